#include "zonebuf/pool/pool_memory_resource.hpp"

#if ZONEBUF_HAS_PMR

#include <string>

#include "zonebuf/errors.hpp"

namespace zonebuf {

PoolMemoryResource::PoolMemoryResource(BufferPool& pool, AllocationZone zone, std::size_t smallMax)
    : pool_(&pool), zone_(zone), smallMax_(smallMax) {
  if (static_cast<unsigned>(zone) >= static_cast<unsigned>(kZoneCount)) {
    throw InvalidArgumentError("PoolMemoryResource zone " + std::to_string(static_cast<int>(zone)) +
                               " is not an AllocationZone; use Heap, Direct or SharedMemory.");
  }
  if (smallMax % kGranule != 0 || smallMax > kMaxSmallMax) {
    throw InvalidArgumentError("PoolMemoryResource smallMax " + std::to_string(smallMax) +
                               " must be a multiple of 16 and at most " + std::to_string(kMaxSmallMax) +
                               " (0 sends every request to the pool).");
  }
}

PoolMemoryResource::~PoolMemoryResource() {
  // The pool unpoisons a buffer when it leases it again; the slabs' poisoned
  // free chunks need nothing here.
  slabs_.clear();
}

void* PoolMemoryResource::carve(std::size_t c) {
  const std::size_t size = (c + 1) * kGranule;
  if (static_cast<std::size_t>(slabEnd_ - bump_) < size) {
    slabs_.reserve(slabs_.size() + 1);  // nothing may throw once the lease is taken
    PooledBuffer slab = pool_->acquire(kSlabBytes, zone_);
    std::byte* begin = slab->data();
    const std::size_t capacity = slab->capacity();
    // The old slab's tail (< smallMax bytes) stays unused: carving it into
    // smaller classes would save at most 1/64 of a slab.
    slabs_.push_back(std::move(slab));
    bump_ = begin;
    slabEnd_ = begin + capacity;
    detail::asanPoison(bump_, capacity);
  }
  std::byte* p = bump_;
  bump_ += size;
  detail::asanUnpoison(p, size);
  return p;
}

bool PoolMemoryResource::ownsSmall(const void* p) noexcept {
  const auto* b = static_cast<const std::byte*>(p);
  for (PooledBuffer& slab : slabs_) {
    if (b >= slab->data() && b < slab->data() + slab->capacity()) return true;
  }
  return false;
}

}  // namespace zonebuf

#endif  // ZONEBUF_HAS_PMR
