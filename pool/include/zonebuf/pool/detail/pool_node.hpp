// The pool's internal records. Not for application code.
//
// PoolNode: one pooled buffer plus its bookkeeping. A node lives on the heap
// at a fixed address for its whole life, so a lease holds its address and a
// hit moves no PlatformBuffer. `slot` is atomic because ~BufferPool may orphan a
// leased node while another thread holds the lease. While idle its bytes are
// poisoned (ASan) or filled with 0xDB (other debug builds).
// FreeList: a LIFO stack of idle nodes, its top in `hot` and the rest in an
// array (no pointer chasing through nodes) that grows on demand.
// `lowWater` is the smallest size seen since the last idle-trim epoch (those
// buffers were never needed); `acquisitions` counts the class's pooled
// acquisitions.
// LocalCache: the lists and counters one thread owns (the pool's own instance
// in SingleThreaded mode). Only the owner writes; counters are OwnerValues
// written with load+store (no read-modify-write), so stats() may read them
// from another thread. The byte cap is checked against releasedBytes -
// acquiredBytes, two counters that only grow (acquire and release touch
// different ones): the idle bytes plus those of withBuffer leases whose
// acquisition deferred its booking (BufferPool::acquireHit), so never less.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/allocators/detail/asan.hpp"
#include "zonebuf/primitives.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/pool/pool_stats.hpp"


namespace zonebuf {
class BufferPool;
namespace detail {

// PoolNode::slot: the flat (zone, class) list index, or one of these bits.
inline constexpr std::uint32_t kOversizeBit = 0x80000000u;  // unpooled (larger than every class)
inline constexpr std::uint32_t kOrphanBit = 0x40000000u;    // its pool was destroyed while it was leased
inline constexpr std::uint32_t kZeroBit = 0x20000000u;      // zeroOnRelease: the release zeroes it (out of line)
inline constexpr std::uint32_t kTraceBit = 0x10000000u;     // a sampled lease: its release is recorded (trace_recorder.hpp)
inline constexpr std::uint32_t kSpecialBits = kOversizeBit | kOrphanBit | kZeroBit | kTraceBit;

// PoolNode::fastKey of a node whose release must take the general path; no
// buffer's data() is ever this address.
inline constinit std::byte gNoFastRelease{};

struct PoolNode {
  PlatformBuffer buffer;
  BufferPool* pool = nullptr;    // home; meaningless once orphaned
  std::byte* data = nullptr;     // buffer.data() as pooled: a mismatch means the buffer was moved out
  // `data` while the node may take withBuffer's fast release, &gNoFastRelease
  // once it has any special bit (set by its creator, or by ~BufferPool on the
  // thread that destroys the pool: a withBuffer in flight elsewhere would be
  // a use of a destroyed pool anyway). One compare then covers both a moved-out
  // buffer and a special node, and reading it needs no atomic.
  std::byte* fastKey = nullptr;
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
  if constexpr (kAsan) {
    asanPoison(n->data, n->capacity);
  } else {
#if !defined(NDEBUG)
    if (!zeroed && n->capacity != 0) std::memset(n->data, 0xDB, n->capacity);
#endif
  }
}
inline void unpoisonIdle(PoolNode* n) noexcept { asanUnpoison(n->data, n->capacity); }

// A value only its owner thread writes and stats() may read from another
// thread. Natively a relaxed atomic: a plain load/store on x86 and ARM, and
// visible to TSan. In WebAssembly every atomic access is sequentially
// consistent, so each store is a full fence in V8 (the threaded build's hit
// cycle measured 3.4x slower); there it is a plain value, and a stats()
// snapshot taken while other threads work may read a stale count.
template <class T>
class OwnerValue {
 public:
  constexpr OwnerValue() noexcept = default;
  constexpr explicit OwnerValue(T v) noexcept : value_(v) {}
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

// Single-writer counter: the owner thread bumps it without an atomic RMW.
struct Counter {
  OwnerValue<std::uint64_t> value;
  // Returns the new value from a register (the value is atomic: a reload would wait for the store).
  [[gnu::always_inline]] std::uint64_t bump(std::uint64_t d = 1) noexcept {
    const std::uint64_t v = value.load() + d;
    value.store(v);
    return v;
  }
  std::uint64_t get() const noexcept { return value.load(); }
};

// A LIFO stack of idle nodes: `hot` is its top when non-null, `slots[0,
// count)` the rest. withBuffer's hit takes `hot` and its release puts the
// node back with one store each (no count, no index). Generic push()/pop()
// treat `hot` as the top too. `maxCount` bounds the whole stack, so the slots
// hold at most maxCount - 1 and an empty `hot` always has room.
// `lowWater` is the smallest size() since the last idle-trim epoch, kept
// exactly without a hit-path store: between two changes of `count` size() is
// count or count + 1, and it is count right after any acquisition (a take of
// `hot`, or a pop or miss, which leave `hot` empty); so before `count`
// changes (and before lowWater is read) syncLowWater() checks whether the
// list was acquired from since the last such point (`acquisitions` moved)
// and if so lowers lowWater to count.
struct alignas(64) FreeList {
  constexpr FreeList() noexcept = default;
  constexpr explicit FreeList(PoolNode* top) noexcept : hot(top) {}

  std::uint32_t size() const noexcept { return count.load() + (hot.load() != nullptr ? 1 : 0); }
  bool hasRoom() const noexcept { return hot.load() == nullptr || count.load() < cap; }

  PoolNode* pop() noexcept {
    if (PoolNode* n = hot.load()) {
      hot.store(nullptr);
      lowWater = std::min(lowWater, count.load());
      return n;
    }
    return popBelowHot();
  }
  // Needs hasRoom().
  void push(PoolNode* n) noexcept {
    if (hot.load() == nullptr) {
      hot.store(n);
      return;
    }
    syncLowWater();
    const std::uint32_t c = count.load();
    slots[c] = n;
    count.store(c + 1);
  }
  // pop() when `hot` is empty.
  PoolNode* popBelowHot() noexcept {
    syncLowWater();
    std::uint32_t c = count.load();
    if (c == 0) return nullptr;
    count.store(--c);
    lowWater = std::min(lowWater, c);
    return slots[c];
  }
  void syncLowWater() noexcept {
    const std::uint64_t a = acquisitions.get();
    if (a != lowWaterSeen) lowWater = std::min(lowWater, count.load());
    lowWaterSeen = a;
  }
  // Starts an idle-trim epoch: nothing below the current size was needed yet.
  void restartLowWater() noexcept {
    lowWater = size();
    lowWaterSeen = acquisitions.get();
  }
  // hasRoom(), growing the array first if it is full but the cap allows (and
  // memory does): slots grow by doubling up to maxCount - 1, so a large cap
  // costs memory only when that many buffers are idle at once. Slow paths only.
  bool makeRoom() noexcept {
    if (hot.load() == nullptr) return true;
    if (count.load() == cap) growSlots();
    return count.load() < cap;
  }

  // What the hit path touches first, then the rest; one cache line per list.
  OwnerValue<PoolNode*> hot;
  Counter acquisitions;        // pooled acquisitions of this class (hits + misses; the size histogram)
  std::uint64_t tickAt = 0;    // `acquisitions` at which this list runs the idle-policy check
  OwnerValue<std::uint32_t> count;
  std::uint32_t cap = 0;       // slots allocated (grown on demand)
  std::unique_ptr<PoolNode*[]> slots;
  std::uint32_t maxCount = 0;  // the configured cap (>= 1 for a cache's or the shared lists)
  std::uint32_t lowWater = 0;
  std::uint64_t lowWaterSeen = 0;  // `acquisitions` when lowWater last looked

 private:
  void growSlots() noexcept;
};

// A node no list ever holds: the `hot` of gNoList, so a release never finds it empty.
inline constinit PoolNode gNoNode{};
// The list a release compares with when its node must not go back into a
// cache list by the fast path (a miss, oversize, detached, or a MultiThreaded
// PooledBuffer): never written.
inline constinit FreeList gNoList(&gNoNode);

struct LocalCache {
  explicit LocalCache(std::size_t listCount)
      : lists(std::make_unique<FreeList[]>(listCount)) {}

  std::size_t retained() const noexcept { return releasedBytes - acquiredBytes; }
  void gained(std::size_t bytes) noexcept { releasedBytes += bytes; }
  void lost(std::size_t bytes) noexcept { acquiredBytes += bytes; }

  std::unique_ptr<FreeList[]> lists;     // by flat (zone, class) index
  std::array<FreeList*, kZoneCount> zoneLists{};  // each zone's first list: the hit path indexes by class
  std::size_t releasedBytes = 0;         // bytes that went into `lists`
  std::size_t acquiredBytes = 0;         // bytes that left `lists`
  std::size_t retainedCap = 0;           // most idle bytes this cache keeps
  std::size_t releaseLimit = 0;          // retainedCap, or 0 to send every release down the slow path
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
