// LeakDetector: the leases a pool sampled for leak detection, by node, and
// where each was acquired (PoolConfig::leakDetection, leak_report.hpp).
// Like the trace recorder it sits on slow paths only: BufferPool::onTick
// offers it each per-class tick (every tickPeriod acquisitions of a class,
// tickPeriod <= sampleEvery, 1 at Paranoid) and acquireOversize each
// oversize acquisition; a recorded node carries kLeakBit and
// &gNoFastRelease (K fails, pool_node.hpp), so its release leaves the inline
// path for detail::releaseSlow, which reports it here.
//
// Invariants: a node is in `live_` iff it carries kLeakBit; `live_` is
// guarded by `mutex_` (leases end on any thread); the sampling counters are
// atomics, so deciding costs no lock. The detector never nests another lock
// inside `mutex_` (callers may hold the pool's lock when they call in).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "zonebuf/pool/detail/pool_node.hpp"
#include "zonebuf/pool/pool_config.hpp"

// The caller of the function this is written in: the user's function when
// that function was called from inline hit-path code. WebAssembly has no
// return address without Emscripten's offset converter (which aborts
// otherwise), so there it is nothing. A macro because the builtin must be
// evaluated in the calling function's own frame.
#if defined(__EMSCRIPTEN__)
#define ZONEBUF_LEAK_CALLER() static_cast<const void*>(nullptr)
#else
#define ZONEBUF_LEAK_CALLER() static_cast<const void*>(__builtin_return_address(0))
#endif

namespace zonebuf::detail {

// Where a lease was acquired: return addresses, innermost (the acquiring
// function) first.
struct LeakStack {
  static constexpr std::size_t kFrames = 8;
  std::array<const void*, kFrames> frames{};
  std::uint32_t depth = 0;
  // Emscripten 3.1.6's libc++ has no std::array <=>; std::less orders
  // unrelated pointers totally, where < need not.
  bool operator<(const LeakStack& o) const noexcept {
    if (depth != o.depth) return depth < o.depth;
    return std::lexicographical_compare(frames.begin(), frames.end(), o.frames.begin(), o.frames.end(),
                                        std::less<const void*>());
  }
};

// `caller` alone (Sampled), or the stack from `caller` outwards (Paranoid).
LeakStack captureLeakStack(const void* caller, bool wholeStack) noexcept;
// "ns::f(int)+0x2a <- main+0x40", or LeakSite::kUnknownSite for an empty stack.
std::string describeLeakStack(const LeakStack& stack);

class LeakDetector {
 public:
  LeakDetector(const LeakDetectionConfig& config, std::uint64_t tickPeriod) noexcept;
  LeakDetector(const LeakDetector&) = delete;
  LeakDetector& operator=(const LeakDetector&) = delete;

  // A tick stands for tickPeriod acquisitions: true when they complete a
  // sampleEvery (always at Paranoid).
  bool sampleTick() noexcept { return crosses(ticks_, tickPeriod_); }
  // Every oversize acquisition counts its bytes; true for every sampleEvery-th.
  bool sampleOversize(std::size_t bytes) noexcept {
    oversizeBytes_.fetch_add(bytes, std::memory_order_relaxed);
    return crosses(oversize_, 1);
  }
  void oversizeReleased(std::size_t bytes) noexcept { oversizeBytes_.fetch_sub(bytes, std::memory_order_relaxed); }
  // An oversize lease grew in place by `bytes` (or a pooled one became one of `bytes`).
  void oversizeGrew(std::size_t bytes) noexcept { oversizeBytes_.fetch_add(bytes, std::memory_order_relaxed); }
  std::uint64_t oversizeBytesOut() const noexcept { return oversizeBytes_.load(std::memory_order_relaxed); }

  // Records a lease of `n` acquired from `caller` when its clock (the
  // acquisition count of its size class, or of its zone's oversize
  // requests: BufferPool::leakClockOf) read `acquisitions`, this one
  // included. Out of memory, it records nothing.
  void record(PoolNode* n, std::uint32_t clock, std::uint64_t acquisitions, const void* caller) noexcept;
  // The release of a node carrying kLeakBit: forgets it and clears the bit
  // (the caller restores the fast-release key).
  void onRelease(PoolNode* n) noexcept;
  // A node carrying kLeakBit grew in place: its record holds its new capacity
  // (its age still counts the clock it was acquired under).
  void onGrow(const PoolNode* n) noexcept;
  // The recorded leases by site, `clocks` being every clock's reading now;
  // unsampled counts are the caller's (it knows every lease out).
  LeakReport report(const std::vector<std::uint64_t>& clocks) const;

  const LeakDetectionConfig& config() const noexcept { return config_; }

 private:
  bool crosses(std::atomic<std::uint64_t>& counter, std::uint64_t step) noexcept {
    const std::uint64_t before = counter.fetch_add(step, std::memory_order_relaxed);
    return (before + step) / every_ != before / every_;
  }

  struct Record {
    LeakStack stack;
    std::uint32_t clock;
    std::uint64_t acquisitions;
    std::uint64_t millis;
    std::size_t bytes;
  };
  const LeakDetectionConfig config_;
  const std::uint64_t every_;       // sampleEvery, 1 at Paranoid
  const std::uint64_t tickPeriod_;
  std::atomic<std::uint64_t> ticks_{0};     // acquisitions stood for by ticks
  std::atomic<std::uint64_t> oversize_{0};  // oversize acquisitions
  std::atomic<std::uint64_t> oversizeBytes_{0};
  mutable std::mutex mutex_;
  std::unordered_map<const PoolNode*, Record> live_;
};

// Fills the unsampled counts of `report` from every lease out.
void addUnsampled(LeakReport& report, std::uint64_t countOut, std::uint64_t bytesOut) noexcept;

}  // namespace zonebuf::detail
