#include "zonebuf/allocators/allocation_zone.hpp"

namespace zonebuf {

std::string_view zoneName(AllocationZone zone) noexcept {
  switch (zone) {
    case AllocationZone::Heap: return "Heap";
    case AllocationZone::Direct: return "Direct";
    case AllocationZone::SharedMemory: return "SharedMemory";
  }
  return "UnknownZone";
}

bool parseZoneName(std::string_view name, AllocationZone& out) noexcept {
  for (auto zone : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
    if (name == zoneName(zone)) {
      out = zone;
      return true;
    }
  }
  return false;
}

}  // namespace zonebuf
