// A block is the unit the allocators hand out: {pointer, size, zone, owner}.
// Invariants: `data` is aligned to at least 16 bytes unless the block wraps
// caller memory (owner None); `size` is the usable size the caller asked for
// (the allocator may have reserved more); `owner` says who takes it back.
#pragma once

#include <cstddef>
#include <cstdint>

#include "zonebuf/allocators/allocation_zone.hpp"

namespace zonebuf {

enum class BlockOwner : std::uint8_t {
  None,        // caller memory or a view: never released
  Heap,        // mimalloc default heap: mi_free from any thread
  ScopedHeap,  // a ScopedHeap region: reclaimed when the region ends
  Linear,      // a LinearMemoryAllocator arena; ownerState is its thread arena
};

struct Block {
  std::byte* data = nullptr;
  std::size_t size = 0;
  AllocationZone zone = AllocationZone::Heap;
  BlockOwner owner = BlockOwner::None;
  void* ownerState = nullptr;
};

}  // namespace zonebuf
