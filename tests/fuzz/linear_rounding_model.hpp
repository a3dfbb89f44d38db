// The linear arena's documented size classes (docs/allocators.md), written
// from the docs, not from the library: 64-byte steps up to 256, then four
// classes per doubling. Shared by the allocator and pool fuzzers (the pool's
// Direct/SharedMemory buffers are linear blocks of their capacity).
#pragma once

#include <cstddef>

namespace zonebuf::fuzz {

inline constexpr std::size_t kMB = std::size_t{1} << 20;

inline std::size_t linearRoundedSize(std::size_t n) {
  if (n <= 256) return n == 0 ? 64 : (n + 63) / 64 * 64;
  std::size_t p = 256;
  while (p * 2 < n) p *= 2;  // p < n <= 2p
  const std::size_t step = p / 4;
  return (n + step - 1) / step * step;
}

// Whole megabytes a new chunk needs for a block of n bytes.
inline std::size_t linearChunkMB(std::size_t n) { return (linearRoundedSize(n) + kMB - 1) / kMB; }

}  // namespace zonebuf::fuzz
