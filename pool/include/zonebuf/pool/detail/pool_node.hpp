// The pool's record of one pooled buffer, and the rule its release follows.
// Not for application code.
//
// Release protocol (detail::releaseLease, lease_release.hpp). A lease is
// {node, list, bookingDeferred} (detail::Lease). Its release is fast —
// the node goes back to the top (`hot`) of its list with one store — iff all of
//   H  lease.list != nullptr          the lease has a home list on this thread
//   K  node->fastKey == buffer.data() the node is plain and still owns its block
//   T  lease.list->hot == nullptr     that list's top is free
//   C  (PooledBuffer only) cache.retained() + capacity <= cache.retainedCap,
//      cache being list->owner
// and they are tested in this order (H is a pointer compare: a MultiThreaded
// PooledBuffer never reads the key, which ~BufferPool may write on another
// thread; K comes before T: an orphan's list is gone with its pool).
// Each special case makes exactly one of these false:
//   miss (a new node), oversize, detached thread, MultiThreaded PooledBuffer  -> H
//   buffer moved out of the lease (or another moved in)                        -> K
//   zeroOnRelease pool, orphan (its pool was destroyed while it was leased)    -> K
//   a lease the trace recorder sampled (kTraceBit: its release is recorded)    -> K
//   a lease the leak detector recorded (kLeakBit: its release is forgotten)    -> K
//     (fastKey = &gNoFastRelease, which no buffer's data() is)
//   the top already holds another idle node (nested leases of one class)      -> T
//   the cache is at its byte cap                                               -> C
// Everything else goes down one out-of-line decision tree (releaseSlow,
// pool/src/pool_release.cpp): orphan -> deferred booking -> traced ->
// oversize -> detached -> moved out -> into the cache's list -> over a cap.
//
// PoolNode: one pooled buffer plus its bookkeeping. A node lives on the heap
// at a fixed address for its whole life, so a lease holds its address and a
// hit moves no PlatformBuffer. `slot` is atomic because ~BufferPool may orphan
// a leased node while another thread holds the lease. While idle its bytes are
// poisoned (ASan) or filled with 0xDB (other debug builds).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/allocators/detail/asan.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf {
class BufferPool;
namespace detail {

// PoolNode::slot: the flat (zone, class) list index, or one of these bits.
inline constexpr std::uint32_t kOversizeBit = 0x80000000u;  // unpooled (larger than every class)
inline constexpr std::uint32_t kOrphanBit = 0x40000000u;    // its pool was destroyed while it was leased
inline constexpr std::uint32_t kTraceBit = 0x20000000u;     // a sampled lease: its release is recorded (trace_recorder.hpp)
inline constexpr std::uint32_t kLeakBit = 0x10000000u;     // a lease the leak detector recorded (leak_detector.hpp)
inline constexpr std::uint32_t kSpecialBits = kOversizeBit | kOrphanBit | kTraceBit | kLeakBit;

// PoolNode::fastKey of a node that must never take the fast release (K
// above); no buffer's data() is ever this address.
inline constinit std::byte gNoFastRelease{};

struct PoolNode {
  PlatformBuffer buffer;
  BufferPool* pool = nullptr;    // home; meaningless once orphaned
  std::byte* data = nullptr;     // buffer.data() as pooled: a mismatch means the buffer was moved out
  // `data`, or &gNoFastRelease in a zeroOnRelease pool (set by its creator),
  // while a sampled lease is out (set by the trace recorder, reset by its
  // release) and once orphaned (set by ~BufferPool on the thread that
  // destroys the pool: a withBuffer in flight elsewhere would be a use of a
  // destroyed pool anyway). One compare then covers a moved-out buffer and
  // every such node, and reading it needs no atomic.
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

}  // namespace detail
}  // namespace zonebuf
