// LinearMemoryAllocator: the Direct and SharedMemory zones.
//
// A bump arena reserved at the first Direct/SharedMemory allocation
// (initialSizeMB, 16 by default), split into per-thread spans so that the hot
// path is a bump of one thread-local pointer with no atomic read-modify-write
// and no lock.
//
// How the arena grows (each rule names the code that applies it, all in
// src/linear_memory_allocator.cpp unless noted):
//  - Chunks: the first chunk is initialSizeMB, or the first request rounded
//    up to whole MiB if that is larger. Each later chunk doubles the arena
//    (it is as large as everything reserved so far), or is the request
//    rounded up to whole MiB if that is larger, and is cut down to what is
//    left below maxSizeMB; a request that still does not fit throws
//    OutOfMemoryError (acquireSpan) — but first the registered pools' idle
//    memory in the zone and the calling thread's wholly free spans go back and
//    the request is retried once (src/linear_reclaim.cpp); a failed retry
//    changes nothing else. Chunks never move, so neither does any block.
//  - Spans: a thread takes its memory from the chunks a span at a time; a
//    span is 1/64 of the initial size, clamped to 64 KiB..1 MiB
//    (LinearGlobal::spanBytes, linear_arena_internal.hpp). Spans returned by
//    a Scope are reused first fit before fresh chunk memory is carved; the
//    uncarved tail of a chunk is kept as such a free span when a newer chunk
//    is mapped (acquireSpan).
//  - A request is served from its class's free list, else bumped from the
//    rest of the thread's current span if it fits there, whatever its size
//    (tryServe, inline). One that does not fit:
//     - if its class is over a quarter of a span, gets a span of its own,
//       exactly its class size, and the current span stays (allocateSlow), so
//       one large buffer never wastes the rest of a span;
//     - otherwise retires that rest: it is cut into whole class blocks on the
//       free lists (class sizes are 64-byte multiples, so nothing is lost)
//       and a new span starts (retireCurrentSpan).
//
// Giving memory back (trim(), src/linear_trim.cpp): free blocks that lie next
// to each other in runs of at least kTrimMinBytes, and spans returned by
// Scopes, leave the free lists for a per-zone list of given-back spans, and
// natively their whole pages go back to the system; the arena reuses those
// spans (first fit, after the resident free spans) before it grows. Chunks
// stay mapped (address space only). WebAssembly memory cannot shrink: there
// trim() only coalesces, so the freed space serves any size class again.
//
// Invariants:
//  - Blocks are 64-byte aligned (a cache line: no false sharing between
//    buffers, full-line SIMD) and never move; growth adds chunks up to
//    maxSizeMB and throws OutOfMemoryError (naming the fixes) beyond it.
//  - A released block at the top of its thread's span rewinds the bump
//    pointer; any other released block goes to its size class's free list
//    and is reused by the next allocation of that class.
//  - Block::ownerState is the owning ThreadArena; a block released on another
//    thread is handed back to its owner lock-free.
//  - A block grows in place (tryExtend) only into bytes no one holds: never
//    over another block or a free-list entry, so its reserved size is always
//    classSize(sizeClassOf(block.size)) and the spans still tile what was
//    carved.
#pragma once

#include <cstddef>

#include "zonebuf/allocators/block.hpp"
#include "zonebuf/allocators/detail/size_class.hpp"
#include "zonebuf/allocators/detail/thread_arena.hpp"
#include "zonebuf/allocators/linear_memory_stats.hpp"

namespace zonebuf {

// Where a SharedMemory block lives in its memfd, so another process can map
// it: mmap(nullptr, len, ..., MAP_SHARED, fd, offset) (offset page-aligned
// down first). Native only.
struct SharedMemoryHandle {
  int fd = -1;
  std::size_t offset = 0;
};

class LinearMemoryAllocator {
 public:
  static constexpr std::size_t kAlignment = detail::kLinearAlignment;
  static constexpr std::size_t kDefaultInitialSizeMB = 16;
  // Default ceiling: a quarter of wasm32's 4 GiB linear memory (the rest is
  // left to the Heap zone and the program); natively 4 GiB of address space,
  // reserved chunk by chunk only as the arena grows.
#ifdef __EMSCRIPTEN__
  static constexpr std::size_t kDefaultMaxSizeMB = 1024;
  static constexpr std::size_t kCeilingLimitMB = 3072;
#else
  static constexpr std::size_t kDefaultMaxSizeMB = 4096;
  static constexpr std::size_t kCeilingLimitMB = std::size_t{1} << 20;  // 1 TiB
#endif

  // Sets the initial reservation and the growth ceiling of each linear arena.
  // Must run before the first Direct/SharedMemory allocation; otherwise, or if
  // initialSizeMB is 0, exceeds maxSizeMB, or maxSizeMB exceeds
  // kCeilingLimitMB, throws InvalidArgumentError and changes nothing.
  static void configure(std::size_t initialSizeMB = kDefaultInitialSizeMB,
                        std::size_t maxSizeMB = kDefaultMaxSizeMB);

  // Both arenas summed, or one zone's arena (in WebAssembly Direct and
  // SharedMemory share one arena, so both calls return the same numbers).
  static LinearMemoryStats stats();
  static LinearMemoryStats stats(AllocationZone zone);

  // Free runs shorter than this stay on their free lists at trim().
  static constexpr std::size_t kTrimMinBytes = std::size_t{64} << 10;

  // Gives free linear memory back to the system (see "Giving memory back"
  // above): the calling thread's free blocks, including those other threads
  // released to it, those of exited threads, and spans returned by Scopes,
  // in both zones. Other live threads' free blocks go back when they call it
  // (a pool's trim() and idle policy do, after freeing linear buffers).
  // A Scope open on this thread across trim() rewinds nothing at its end if
  // trim() took blocks allocated inside it (counted as a scopeOverrun).
  // Cold path: one lock, a sort of this thread's free blocks, one madvise per
  // range given back. Never throws (without memory for its bookkeeping it
  // gives nothing back).
  static void trim() noexcept;

  // Throws OutOfMemoryError beyond the ceiling; `zone` is Direct or SharedMemory.
  [[gnu::always_inline]] static Block allocate(std::size_t size, AllocationZone zone) {
    using namespace detail;
    ThreadArena* a = tlsArena[arenaIndexOf(zone)];
    Block out;
    if (size <= kMaxClassSize && tryServe(a, size, zone, out)) [[likely]] return out;
    const SlowGrant g = allocateSlow(size, zone);
    return Block{g.data, size, zone, BlockOwner::Linear, g.arena};
  }

  [[gnu::always_inline]] static void release(const Block& block) noexcept {
    auto* a = static_cast<detail::ThreadArena*>(block.ownerState);
    if (a != detail::tlsArena[detail::arenaIndexOf(block.zone)]) [[unlikely]]
      return releaseForeign(a, block.data, block.size);
    detail::releaseLocal(a, block.data, block.size);
  }

  // Grows a live block to newSize where it lies (same data pointer, bytes
  // kept) when what follows it is nobody's: its class rounding, the rest of
  // its thread's current span when the block ends at the bump top, or the
  // uncarved rest of the newest chunk when the block ends there (the last
  // span carved). On success block.size == newSize, and `used` (and `carved`,
  // `resident` when chunk memory was taken) grow by the added reserved bytes;
  // `extensions` counts it. Returns false and changes nothing when the block
  // is followed by another block or by free-list memory, when the span and
  // chunk lack room, or off the block's owning thread (only the owner moves
  // its bump pointer). Never maps a chunk, never reclaims, never throws.
  // Inside a Scope, bytes a block grows into past the Scope's mark count as
  // allocated inside it. The caller must then store the new size wherever the
  // block is recorded (its release computes the reserved size from it).
  static bool tryExtend(Block& block, std::size_t newSize) noexcept;

  // The memfd and file offset of a SharedMemory block's byte `p`. Throws
  // InvalidArgumentError if p is not inside the SharedMemory arena (and always
  // in WebAssembly, where SharedMemory is linear memory: use its address).
  static SharedMemoryHandle sharedMemoryHandle(const void* p);

  // Mark/rewind scope for request-style work on the calling thread. On
  // destruction every block allocated on this thread in `zone` since the
  // Scope began goes back to the arena at once: the bump pointer rewinds to
  // the mark, spans taken since are returned, and free-list entries above the
  // mark are dropped, so no fragmentation survives the request.
  // Contract: blocks allocated inside must be released before the Scope ends
  // (declare the Scope before the buffers). If one is still live, the Scope
  // rewinds nothing (that buffer stays valid and is reclaimed individually when
  // released) and stats().scopeOverruns counts it; memory is never handed out
  // twice. Not movable; must end on the thread that created it; scopes nest.
  class Scope {
   public:
    explicit Scope(AllocationZone zone = AllocationZone::Direct);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    detail::ThreadArena* arena_;
    std::byte* markTop_;
    std::ptrdiff_t markSpan_;
    std::size_t markSpanCount_;
  };

 private:
  // The hot path: a pop from the class's free list, else a bump; false if the
  // span has no room (size <= kMaxClassSize).
  [[gnu::always_inline]] static bool tryServe(detail::ThreadArena* a, std::size_t size, AllocationZone zone,
                                              Block& out) noexcept {
    using namespace detail;
    ZONEBUF_ASSERT(size <= kMaxClassSize, "tryServe needs size <= kMaxClassSize");
    const unsigned cls = sizeClassOf(size);
    const std::size_t rs = classSize(cls);
    if (FreeNode* f = a->freeLists[cls]) {
      a->freeLists[cls] = nextOf(f);
      a->freeListBytes.sub(rs);
      a->reuses.add(1);
      out = handOut(a, reinterpret_cast<std::byte*>(f), size, rs, zone);
      return true;
    }
    std::byte* p = a->top;
    if (rs > static_cast<std::size_t>(a->end - p)) [[unlikely]] return false;
    a->top = p + rs;
    out = handOut(a, p, size, rs, zone);
    return true;
  }
  [[gnu::always_inline]] static Block handOut(detail::ThreadArena* a, std::byte* p, std::size_t size,
                                              std::size_t rs, AllocationZone zone) noexcept {
    const std::size_t u = a->used.get() + rs;
    a->used.set(u);
    if (u > a->peak.get()) a->peak.set(u);
    a->allocations.add(1);
    detail::asanUnpoison(p, size);  // the class rounding past `size` stays poisoned
    return Block{p, size, zone, BlockOwner::Linear, a};
  }
  // What the slow path returns: the rest of the Block is the caller's to
  // fill. Two pointers come back in registers; a returned Block (through
  // memory) made the fast path build its Block on the stack as well, to
  // meet the slow path's at one merge point.
  struct SlowGrant {
    std::byte* data;
    detail::ThreadArena* arena;
  };
  [[gnu::noinline]] static SlowGrant allocateSlow(std::size_t size, AllocationZone zone);
  static Block allocateFromArena(std::size_t size, AllocationZone zone);
  // The block's fields by value, for the reason SlowGrant says: a Block by
  // reference made every release store its Block to the stack.
  [[gnu::noinline]] static void releaseForeign(detail::ThreadArena* a, std::byte* data, std::size_t size) noexcept;
};

}  // namespace zonebuf
