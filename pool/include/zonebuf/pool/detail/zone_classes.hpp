// The pool's class table: for each zone its SizeClasses and where its lists
// start in the flat (zone, class) list index that every cache, the shared
// lists and the per-class books use. BufferPool holds the only copy.
#pragma once

#include <array>
#include <cstdint>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/pool/size_classes.hpp"

namespace zonebuf::detail {

struct ZoneClasses {
  SizeClasses classes;
  std::uint32_t base = 0;  // first flat list index of the zone
};
using ZoneTable = std::array<ZoneClasses, kZoneCount>;

}  // namespace zonebuf::detail
