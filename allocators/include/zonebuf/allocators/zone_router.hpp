// Zone routing: maps (size, zone) to the allocator that owns that zone, and a
// block back to the allocator named by its owner. Every PlatformBuffer
// allocation and release passes through here, so both are inline: a Direct
// or SharedMemory allocate + release compiles down to the arena's pointer bump
// and rewind.
#pragma once

#include <cstddef>

#include "zonebuf/allocators/block.hpp"
#include "zonebuf/allocators/heap_allocator.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"

namespace zonebuf {

// Throws OutOfMemoryError when the zone is exhausted.
[[gnu::always_inline]] inline Block allocateBlock(std::size_t size, AllocationZone zone) {
  if (zone != AllocationZone::Heap) return LinearMemoryAllocator::allocate(size, zone);
  return HeapAllocator::allocate(size, zone);
}

// Grows the block where it lies (LinearMemoryAllocator::tryExtend); false
// (nothing changed) for the Heap zone, views and a block that cannot grow.
inline bool extendBlock(Block& block, std::size_t newSize) noexcept {
  return block.owner == BlockOwner::Linear && LinearMemoryAllocator::tryExtend(block, newSize);
}

[[gnu::always_inline]] inline void releaseBlock(const Block& block) noexcept {
  switch (block.owner) {
    case BlockOwner::None: return;
    case BlockOwner::Linear: LinearMemoryAllocator::release(block); return;
    case BlockOwner::Heap: HeapAllocator::release(block); return;
    case BlockOwner::ScopedHeap: HeapAllocator::releaseScoped(block); return;
  }
}

}  // namespace zonebuf
