#include "zonebuf/allocators/zone_memory_resource.hpp"

#if ZONEBUF_HAS_PMR

#include <mimalloc.h>

#include <string>

#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace detail {

void throwResourceTooLarge(const char* resource, std::size_t bytes, std::size_t align) {
  throw OutOfMemoryError(std::string(resource) + " allocation of " + std::to_string(bytes) + " bytes aligned to " +
                         std::to_string(align) + " exceeds the address space; request less memory.");
}

}  // namespace detail

ZoneMemoryResource::ZoneMemoryResource(AllocationZone zone) : zone_(zone) {
  if (static_cast<unsigned>(zone) >= static_cast<unsigned>(kZoneCount)) {
    throw InvalidArgumentError("ZoneMemoryResource zone " + std::to_string(static_cast<int>(zone)) +
                               " is not an AllocationZone; use Heap, Direct or SharedMemory.");
  }
}

// mimalloc honours any power-of-two alignment; its natural one (16) costs nothing.
void* ZoneMemoryResource::heapAllocate(std::size_t bytes, std::size_t align) {
  // Sizes no address space holds are refused before mimalloc sees them (its
  // ASan build checks shadow memory for the region first).
  if (ZONEBUF_UNLIKELY(bytes > SIZE_MAX / 2 - detail::headerPad(align))) {
    detail::throwResourceTooLarge("ZoneMemoryResource(Heap)", bytes, align);
  }
  void* p = mi_malloc_aligned(bytes == 0 ? 1 : bytes, align);
  if (ZONEBUF_UNLIKELY(p == nullptr)) {
    throw OutOfMemoryError("ZoneMemoryResource(Heap) allocation of " + std::to_string(bytes) + " bytes aligned to " +
                           std::to_string(align) +
                           " failed: mimalloc could not obtain memory from the system. Free memory you no longer "
                           "need or use a smaller alignment.");
  }
  return p;
}

void ZoneMemoryResource::heapDeallocate(void* p, std::size_t, std::size_t) noexcept { mi_free(p); }

}  // namespace zonebuf

#endif  // ZONEBUF_HAS_PMR
