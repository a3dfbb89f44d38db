#include "support/registry.hpp"

namespace zonebuf::bench {

std::string sizeLabel(std::size_t bytes) {
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + "KiB";
  return std::to_string(bytes) + "B";
}

}  // namespace zonebuf::bench
