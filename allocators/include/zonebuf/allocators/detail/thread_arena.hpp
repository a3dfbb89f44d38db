// ThreadArena: one thread's slice of a linear arena (Direct or SharedMemory).
//
// Invariants:
//  - Only the owning thread touches top/end/freeLists/spans and writes the
//    OwnerCounters (detail/owner_value.hpp: no read-modify-write, readable by
//    stats() from any thread). Only the cross-thread fields (remote*) use
//    read-modify-writes, on the cold foreign-release path.
//  - freeListBytes is the sum of classSize over every free-list entry, and
//    used the sum of the reserved sizes of live blocks (never below zero).
//  - [top, end) is the unused rest of the current span; top and every block
//    start are 64-byte aligned; a block's reserved size is classSize(sizeClassOf
//    (block.size)).
//  - A free-list entry is a released block of exactly that class, linked
//    through its own first bytes. Other threads never touch free lists: they
//    push onto `remote` (lock-free) and the owner drains it on its slow path.
//  - ThreadArena objects are never destroyed: a thread that exits abandons its
//    arena to a global list and the next new thread adopts it, so late
//    cross-thread releases always have a valid arena to push onto.
//  - In ASan builds every arena byte no caller owns is poisoned: unused span
//    tails, released blocks (free-list links included: the allocator
//    unpoisons a link only while it reads or writes it) and the class
//    rounding past a live block's requested size. A remotely released block
//    keeps its 16-byte RemoteNode header addressable until its owner drains it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/allocators/detail/asan.hpp"
#include "zonebuf/allocators/detail/owner_value.hpp"
#include "zonebuf/allocators/detail/size_class.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf::detail {

struct FreeNode {
  FreeNode* next;
};

// A free-list link, read or written with its bytes addressable for just that
// moment (they are poisoned in ASan builds; plain accesses otherwise).
[[gnu::always_inline]] inline FreeNode* nextOf(FreeNode* n) noexcept {
  asanUnpoison(n, sizeof(FreeNode));
  FreeNode* next = n->next;
  asanPoison(n, sizeof(FreeNode));
  return next;
}
[[gnu::always_inline]] inline void setNext(FreeNode* n, FreeNode* next) noexcept {
  asanUnpoison(n, sizeof(FreeNode));
  n->next = next;
  asanPoison(n, sizeof(FreeNode));
}

// Written into a block released by a thread other than its owner.
struct RemoteNode {
  RemoteNode* next;
  std::size_t size;
};

struct Span {
  std::byte* begin;
  std::byte* end;
};

struct ThreadArena {
  // ---- hot: the bump and the free lists --------------------------------------
  std::byte* top = nullptr;
  std::byte* end = nullptr;
  FreeNode* freeLists[kClassCount] = {};
  OwnerCounter<> used;           // reserved bytes of live blocks
  OwnerCounter<> peak;           // high-water mark of `used`
  OwnerCounter<> freeListBytes;  // bytes parked in freeLists
  OwnerCounter<> allocations;
  OwnerCounter<> reuses;  // allocations served from a free list
  // ---- cross-thread ------------------------------------------------------------
  std::atomic<RemoteNode*> remote{nullptr};
  std::atomic<std::size_t> remoteFrees{0};
  std::atomic<std::size_t> remoteBytes{0};  // released remotely, not yet drained
  // ---- cold: owner only --------------------------------------------------------
  std::vector<Span> spans;        // every span this arena holds, in acquisition order
  std::ptrdiff_t currentSpan = -1;  // index in spans of [top, end), -1 if none
  OwnerCounter<> scopeOverruns;
  OwnerCounter<> extensions;  // blocks grown in place (LinearMemoryAllocator::tryExtend)
  unsigned arenaIndex = 0;
  unsigned activeScopes = 0;  // live Scopes (they hold span indices: no span may leave meanwhile)
};

// Direct and SharedMemory have separate arenas natively (SharedMemory lives in
// a memfd mapping); in WebAssembly both live in linear memory and share one.
#ifdef __EMSCRIPTEN__
inline constexpr unsigned kArenaCount = 1;
[[gnu::always_inline]] inline constexpr unsigned arenaIndexOf(AllocationZone) noexcept { return 0; }
#else
inline constexpr unsigned kArenaCount = 2;
[[gnu::always_inline]] inline constexpr unsigned arenaIndexOf(AllocationZone zone) noexcept {
  return zone == AllocationZone::SharedMemory ? 1u : 0u;
}
#endif

// An arena with no memory: every bump fails, so a thread's first allocation
// takes the slow path, which gives it a real arena. Saves a null check.
extern ThreadArena gEmptyArena;

#if defined(__EMSCRIPTEN__)
extern constinit thread_local ThreadArena* tlsArena[kArenaCount];
#else
// initial-exec: one %fs-relative load; zonebuf is a static library, so the
// variable always lives in the executable's or an initially loaded module's TLS.
[[gnu::tls_model("initial-exec")]] extern constinit thread_local ThreadArena* tlsArena[kArenaCount];
#endif

// True if `block` is not among the newest entries of its class's free list
// (expensive assertions only): a block released twice in a row is caught.
// The walk is bounded so that long free lists keep debug builds usable.
inline bool notRecentlyFreed(const ThreadArena* a, unsigned cls, const std::byte* block) noexcept {
  int steps = 64;
  for (FreeNode* n = a->freeLists[cls]; n != nullptr && steps-- > 0; n = nextOf(n))
    if (reinterpret_cast<const std::byte*>(n) == block) return false;
  return true;
}

// True if the block [data, data + rs) is the last one bumped in the current
// span, so releasing it may rewind the bump pointer and it may grow into the
// span's rest. Ending at `top` is not enough: a span is often carved right
// after another (a large block's own span, a retired span), and while nothing
// is bumped in it yet, top is its begin, where the previous span's last block
// ends too. Only the owner calls it.
[[gnu::always_inline]] inline bool isAtBumpTop(const ThreadArena* a, const std::byte* data, std::size_t rs) noexcept {
  if (data + rs != a->top) return false;
  ZONEBUF_ASSERT(a->currentSpan >= 0, "a non-null bump top lies in the current span");
  return data >= a->spans[static_cast<std::size_t>(a->currentSpan)].begin;
}

// Gives a block back to its arena; only on the arena's owning thread.
[[gnu::always_inline]] inline void releaseLocal(ThreadArena* a, std::byte* data, std::size_t size) noexcept {
  ZONEBUF_ASSERT(a == tlsArena[a->arenaIndex], "releaseLocal runs only on the arena's owning thread");
  const unsigned cls = sizeClassOf(size);
  const std::size_t rs = classSize(cls);
  a->used.sub(rs);
  asanPoison(data, rs);  // nobody's now: a use after release is reported
  if (isAtBumpTop(a, data, rs)) {
    a->top = data;
    return;
  }
  ZONEBUF_ASSERT_EXPENSIVE(notRecentlyFreed(a, cls, data), "a linear block was released twice");
  auto* node = reinterpret_cast<FreeNode*>(data);
  setNext(node, a->freeLists[cls]);
  a->freeLists[cls] = node;
  a->freeListBytes.add(rs);
}

}  // namespace zonebuf::detail
