// The pool's internal records. Not for application code.
//
// PoolNode: one pooled buffer plus its bookkeeping. A node lives on the heap
// at a fixed address for its whole life, so a lease is one pointer and a hit
// moves no PlatformBuffer. `slot` is atomic because ~BufferPool may orphan a
// leased node while another thread holds the lease. While idle its bytes are
// poisoned (ASan) or filled with 0xDB (other debug builds).
// FreeList: a LIFO array of idle nodes (no pointer chasing: pop reads one
// slot, not a node's link); slots are allocated on first use. `lowWater` is
// the smallest count seen since the last idle-trim epoch (those buffers were
// never needed).
// LocalCache: the lists and counters one thread owns (the pool's own instance
// in SingleThreaded mode). Only the owner writes; counters are OwnerValues
// written with load+store (no read-modify-write), so stats() may read them
// from another thread. Idle bytes are releasedBytes - acquiredBytes, two
// counters that only grow, so acquire and release touch different ones.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/pool/detail/expect.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/pool/pool_stats.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define ZONEBUF_POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZONEBUF_POOL_ASAN 1
#endif
#endif
#if defined(ZONEBUF_POOL_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace zonebuf {
class BufferPool;
namespace detail {

// PoolNode::slot: the flat (zone, class) list index, or one of these bits.
inline constexpr std::uint32_t kOversizeBit = 0x80000000u;  // unpooled (larger than every class)
inline constexpr std::uint32_t kOrphanBit = 0x40000000u;    // its pool was destroyed while it was leased
inline constexpr std::uint32_t kSpecialBits = kOversizeBit | kOrphanBit;

struct PoolNode {
  PlatformBuffer buffer;
  BufferPool* pool = nullptr;    // home; meaningless once orphaned
  std::byte* data = nullptr;     // buffer.data() as pooled: a mismatch means the buffer was moved out
  std::size_t capacity = 0;      // buffer.capacity() as pooled
  std::atomic<std::uint32_t> slot{0};
  AllocationZone zone = AllocationZone::Heap;
  PoolNode* next = nullptr;      // chains of nodes being freed (slow paths only)
  PoolNode* allPrev = nullptr;   // registry of every node (slow paths only)
  PoolNode* allNext = nullptr;

  std::uint32_t listIndex() const noexcept { return slot.load(std::memory_order_relaxed) & ~kSpecialBits; }
  bool oversize() const noexcept { return (slot.load(std::memory_order_relaxed) & kOversizeBit) != 0; }
};

// Poisoning marks the bytes of an idle buffer; any touch is a use after release.
// `zeroed`: zeroOnRelease already cleared it, and the zeros must stay.
inline void poisonIdle([[maybe_unused]] PoolNode* n, [[maybe_unused]] bool zeroed = false) noexcept {
#if defined(ZONEBUF_POOL_ASAN)
  ASAN_POISON_MEMORY_REGION(n->data, n->capacity);
#elif !defined(NDEBUG)
  if (!zeroed && n->capacity != 0) std::memset(n->data, 0xDB, n->capacity);
#endif
}
inline void unpoisonIdle([[maybe_unused]] PoolNode* n) noexcept {
#if defined(ZONEBUF_POOL_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(n->data, n->capacity);
#endif
}

// A value only its owner thread writes and stats() may read from another
// thread. Natively a relaxed atomic: a plain load/store on x86 and ARM, and
// visible to TSan. In WebAssembly every atomic access is sequentially
// consistent, so each store is a full fence in V8 (the threaded build's hit
// cycle measured 3.4x slower); there it is a plain value, and a stats()
// snapshot taken while other threads work may read a stale count.
template <class T>
class OwnerValue {
 public:
#if defined(__EMSCRIPTEN__)
  T load() const noexcept { return value_; }
  void store(T v) noexcept { value_ = v; }

 private:
  T value_{};
#else
  T load() const noexcept { return value_.load(std::memory_order_relaxed); }
  void store(T v) noexcept { value_.store(v, std::memory_order_relaxed); }

 private:
  std::atomic<T> value_{};
#endif
};

struct FreeList {
  std::unique_ptr<PoolNode*[]> slots;
  OwnerValue<std::uint32_t> count;
  std::uint32_t cap = 0;       // 0 until `slots` exists: every push takes the slow path
  std::uint32_t maxCount = 0;  // the configured cap
  std::uint32_t lowWater = 0;

  std::uint32_t size() const noexcept { return count.load(); }
  bool hasRoom() const noexcept { return size() < cap; }

  [[gnu::always_inline]] PoolNode* pop() noexcept {
    std::uint32_t c = size();
    if (ZONEBUF_POOL_UNLIKELY(c == 0)) return nullptr;
    count.store(--c);
    if (ZONEBUF_POOL_UNLIKELY(c < lowWater)) lowWater = c;
    return slots[c];
  }
  // Needs hasRoom().
  [[gnu::always_inline]] void push(PoolNode* n) noexcept {
    const std::uint32_t c = size();
    slots[c] = n;
    count.store(c + 1);
  }
  // Allocates the slots on first use; false if memory is short.
  bool ensureSlots() noexcept {
    if (cap != 0 || maxCount == 0) return cap != 0;
    slots.reset(new (std::nothrow) PoolNode*[maxCount]);
    if (slots) cap = maxCount;
    return cap != 0;
  }
};

// Single-writer counter: the owner thread bumps it without an atomic RMW.
struct Counter {
  OwnerValue<std::uint64_t> value;
  [[gnu::always_inline]] void bump(std::uint64_t d = 1) noexcept { value.store(value.load() + d); }
  std::uint64_t get() const noexcept { return value.load(); }
};

struct LocalCache {
  explicit LocalCache(std::size_t listCount)
      : lists(std::make_unique<FreeList[]>(listCount)), acquired(std::make_unique<Counter[]>(listCount)) {}

  std::size_t retained() const noexcept { return releasedBytes - acquiredBytes; }
  void gained(std::size_t bytes) noexcept { releasedBytes += bytes; }
  void lost(std::size_t bytes) noexcept { acquiredBytes += bytes; }

  std::unique_ptr<FreeList[]> lists;     // by flat (zone, class) index
  std::unique_ptr<Counter[]> acquired;   // pooled acquisitions by class (also the size histogram)
  std::size_t releasedBytes = 0;         // bytes that went into `lists`
  std::size_t acquiredBytes = 0;         // bytes that left `lists`
  std::size_t retainedCap = 0;           // most idle bytes this cache keeps
  std::size_t releaseLimit = 0;          // retainedCap, or 0 to send every release down the slow path
  std::uint64_t opsUntilTick = 0;  // acquisitions until the next idle-policy check
  std::uint64_t opsSinceEpoch = 0;
  std::uint64_t epochStartMillis = 0;
  std::uint64_t seenTrimRequest = 0;  // MultiThreaded: trim() generations handled
};

// Per-thread fast lookup of this thread's cache for the pool it used last.
// Pool ids are never reused, so a stale entry can never match a live pool.
struct ThreadSlot {
  std::uint64_t poolId = 0;
  LocalCache* cache = nullptr;
};
inline constinit thread_local ThreadSlot tThreadSlot{};

}  // namespace detail
}  // namespace zonebuf
