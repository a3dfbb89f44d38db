// HeapAllocator: the Heap zone, backed by a private (non-overriding) build of
// mimalloc. Blocks come from the calling thread's mimalloc heap (or from the
// innermost ScopedHeap, if one is active) and may be released from any
// thread. Alignment is 16 bytes: enough for every scalar and a 128-bit SIMD
// vector, and mimalloc's natural small-block alignment, so aligned allocation
// costs nothing extra.
#pragma once

#include <cstddef>

#include "zonebuf/allocators/block.hpp"

namespace zonebuf {

class HeapAllocator {
 public:
  static constexpr std::size_t kAlignment = 16;

  // Throws OutOfMemoryError (with the size and a hint) when mimalloc fails.
  static Block allocate(std::size_t size, AllocationZone zone = AllocationZone::Heap);
  static void release(const Block& block) noexcept;
  // A block owned by a ScopedHeap: freed only while that scope is innermost
  // on this thread, else a no-op (the scope's end reclaims it).
  static void releaseScoped(const Block& block) noexcept;
  // Bytes mimalloc currently has committed from the system (all heaps).
  static std::size_t committedBytes() noexcept;
};

}  // namespace zonebuf
