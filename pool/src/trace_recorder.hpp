// TraceRecorder: writes a pool's sampled acquisitions and releases (see
// zonebuf/pool/pool_trace.hpp). It sits on the pool's slow paths only: the
// idle-policy tick (BufferPool::onTick) offers it every tickPeriod-th
// acquisition of a class, acquireOversize every oversize one; a sampled
// node carries kTraceBit and &gNoFastRelease (K fails, pool_node.hpp), so its
// release leaves the inline path for detail::releaseSlow, which reports it
// here and restores the node's fast-release key.
//
// Invariants: a node is in `live_` iff it carries kTraceBit; records are
// appended in the order of the calls (under `mutex_`), and the header's
// record count is patched by close(). Not on any hot path: one lock per sample.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "zonebuf/pool/detail/pool_node.hpp"
#include "zonebuf/pool/pool_config.hpp"
#include "zonebuf/pool/pool_trace.hpp"

namespace zonebuf::detail {

class TraceRecorder {
 public:
  // Creates (truncates) the file. Throws InvalidArgumentError naming
  // 'trace.path' if it cannot be created.
  TraceRecorder(const TraceConfig& config, std::uint64_t tickPeriod);
  ~TraceRecorder();
  TraceRecorder(const TraceRecorder&) = delete;
  TraceRecorder& operator=(const TraceRecorder&) = delete;

  // A pooled acquisition at a tick: stands for tickPeriod acquisitions of
  // its class; recorded when they add up to sampleEvery.
  void onTick(PoolNode* n, std::size_t size) noexcept;
  // An oversize acquisition: every sampleEvery-th is recorded.
  void onOversize(PoolNode* n, std::size_t size) noexcept;
  // A release of a node carrying kTraceBit: records it and clears the bit
  // (the caller restores the fast-release key).
  void onRelease(PoolNode* n) noexcept;
  // Flushes and patches the header; later calls record nothing.
  void close() noexcept;

 private:
  void sample(PoolNode* n, std::size_t size) noexcept;  // mutex_ held
  void append(const TraceRecord& r) noexcept;          // mutex_ held
  void flush() noexcept;                                // mutex_ held
  std::uint16_t threadIndex() noexcept;                 // mutex_ held

  struct Live {
    PoolNode* node;
    std::uint32_t id;
    std::uint64_t samplesAt;
  };
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  std::string path_;
  std::uint32_t sampleEvery_;
  std::uint64_t tickPeriod_;
  std::uint64_t credit_ = 0;     // acquisitions stood for by ticks since the last sample
  std::uint64_t oversizeSeen_ = 0;
  std::uint64_t samples_ = 0;
  std::uint64_t written_ = 0;
  std::uint32_t nextId_ = 0;
  std::string buffer_;
  // Few sampled leases are out at once: a scan beats hashing, and the
  // vector stops allocating once it has grown.
  std::vector<Live> live_;
  std::uint64_t serial_;  // tells this recorder's thread-index cache from an earlier one's at the same address
  std::unordered_map<std::thread::id, std::uint16_t> threads_;
};

}  // namespace zonebuf::detail
