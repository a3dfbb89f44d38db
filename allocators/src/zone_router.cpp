#include "zonebuf/allocators/zone_router.hpp"

#include "zonebuf/allocators/heap_allocator.hpp"

namespace zonebuf {

// Until the linear arena lands, Direct and SharedMemory are served by the heap;
// the block still records the requested zone.
Block allocateBlock(std::size_t size, AllocationZone zone) { return HeapAllocator::allocate(size, zone); }

void releaseBlock(const Block& block) noexcept {
  switch (block.owner) {
    case BlockOwner::None: return;
    case BlockOwner::Heap: HeapAllocator::release(block); return;
    case BlockOwner::ScopedHeap: return;
    case BlockOwner::Linear: return;
  }
}

}  // namespace zonebuf
