// Zone routing: maps (size, zone) to the allocator that owns that zone, and a
// block back to the allocator named by its owner. Every PlatformBuffer
// allocation and release passes through here.
#pragma once

#include <cstddef>

#include "zonebuf/allocators/block.hpp"

namespace zonebuf {

// Throws InvalidArgumentError for a size no zone can ever satisfy and
// OutOfMemoryError when the zone is exhausted.
Block allocateBlock(std::size_t size, AllocationZone zone);
void releaseBlock(const Block& block) noexcept;

}  // namespace zonebuf
