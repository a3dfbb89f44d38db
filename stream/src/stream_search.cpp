// StreamProcessor::indexOf across chunk boundaries: each chunk is searched
// with the vectorised kernels, then only the starts in its last m - 1 bytes
// (where a match would cross into the next chunk) are checked piecewise.
#include <algorithm>
#include <cstring>

#include "zonebuf/core/detail/byte_search.hpp"
#include "zonebuf/stream/stream_processor.hpp"

namespace zonebuf {

std::size_t StreamProcessor::indexOf(std::uint8_t value, std::size_t from) const noexcept {
  if (from >= available_) return npos;
  std::size_t base = 0;
  for (std::size_t i = 0; i < count_; ++i) {
    const Chunk& c = at(i);
    if (from < base + c.size) {
      const std::size_t start = from > base ? from - base : 0;
      const std::size_t found = detail::findByte(c.data + start, c.size - start, value);
      if (found != detail::kNotFound) return base + start + found;
    }
    base += c.size;
  }
  return npos;
}

bool StreamProcessor::matchesAt(std::size_t chunk, std::size_t offsetInChunk,
                                std::span<const std::byte> pattern) const noexcept {
  std::size_t done = 0;
  while (done < pattern.size()) {
    if (chunk >= count_) return false;  // the stream ends first
    const Chunk& c = at(chunk++);
    const std::size_t take = std::min(pattern.size() - done, c.size - offsetInChunk);
    if (std::memcmp(c.data + offsetInChunk, pattern.data() + done, take) != 0) return false;
    done += take;
    offsetInChunk = 0;
  }
  return true;
}

std::size_t StreamProcessor::indexOf(std::span<const std::byte> pattern, std::size_t from) const noexcept {
  const std::size_t m = pattern.size();
  if (from > available_ || m > available_ - from) return npos;
  if (m == 0) return from;
  const std::byte first = pattern[0];
  std::size_t base = 0;
  for (std::size_t i = 0; i < count_; ++i) {
    const Chunk& c = at(i);
    if (from < base + c.size) {
      const std::size_t start = from > base ? from - base : 0;
      // Whole matches inside this chunk come first (they start earliest).
      const std::size_t found = detail::findPattern(c.data + start, c.size - start, pattern.data(), m);
      if (found != detail::kNotFound) return base + start + found;
      // Then starts whose match would run past this chunk's end.
      for (std::size_t k = std::max(start, c.size >= m ? c.size - m + 1 : 0); k < c.size; ++k) {
        if (c.data[k] == first && matchesAt(i, k, pattern)) return base + k;
      }
    }
    base += c.size;
  }
  return npos;
}

std::size_t StreamProcessor::indexOf(std::string_view pattern, std::size_t from) const noexcept {
  return indexOf(std::as_bytes(std::span<const char>(pattern.data(), pattern.size())), from);
}

}  // namespace zonebuf
