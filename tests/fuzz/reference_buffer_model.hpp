// An obviously-correct model of PlatformBuffer for differential fuzzing:
// a std::vector of bytes, two indices, and byte-at-a-time arithmetic. It is
// deliberately slow and simple; it shares no code with the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../support/error_outcome.hpp"

namespace zonebuf::fuzz {

using testing::Outcome;

struct ReferenceBuffer {
  std::vector<std::uint8_t> bytes;
  std::size_t position = 0;
  std::size_t limit = 0;
  bool bigEndian = true;

  explicit ReferenceBuffer(std::size_t capacity, bool big) : bytes(capacity), limit(capacity), bigEndian(big) {}

  std::size_t capacity() const { return bytes.size(); }

  // Value of `width` bytes at `index` as an unsigned integer, honouring order.
  std::uint64_t load(std::size_t index, std::size_t width) const {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
      std::size_t at = bigEndian ? index + i : index + width - 1 - i;
      v = (v << 8) | bytes[at];
    }
    return v;
  }
  void store(std::size_t index, std::size_t width, std::uint64_t v) {
    for (std::size_t i = 0; i < width; ++i) {
      std::size_t at = bigEndian ? index + width - 1 - i : index + i;
      bytes[at] = static_cast<std::uint8_t>(v & 0xFF);
      v >>= 8;
    }
  }

  Outcome read(std::size_t width, std::uint64_t& out) {
    if (position + width > limit) return Outcome::Underflow;
    out = load(position, width);
    position += width;
    return Outcome::Ok;
  }
  Outcome write(std::size_t width, std::uint64_t v) {
    if (position + width > limit) return Outcome::Overflow;
    store(position, width, v);
    position += width;
    return Outcome::Ok;
  }
  // Index arithmetic in 128 bits so a huge index can never wrap in the model.
  bool indexFits(std::size_t index, std::size_t width) const {
    return static_cast<unsigned __int128>(index) + width <= limit;
  }
  Outcome get(std::size_t index, std::size_t width, std::uint64_t& out) const {
    if (!indexFits(index, width)) return Outcome::InvalidArgument;
    out = load(index, width);
    return Outcome::Ok;
  }
  Outcome set(std::size_t index, std::size_t width, std::uint64_t v) {
    if (!indexFits(index, width)) return Outcome::InvalidArgument;
    store(index, width, v);
    return Outcome::Ok;
  }
  Outcome setPosition(std::size_t n) {
    if (n > limit) return Outcome::InvalidArgument;
    position = n;
    return Outcome::Ok;
  }
  Outcome setLimit(std::size_t n) {
    if (n > capacity()) return Outcome::InvalidArgument;
    limit = n;
    if (position > n) position = n;
    return Outcome::Ok;
  }
};

// Unicode 15 Table 3-7 (well-formed UTF-8 byte sequences), checked literally.
inline bool referenceIsValidUtf8(const std::uint8_t* s, std::size_t n) {
  std::size_t i = 0;
  auto in = [&](std::size_t k, int lo, int hi) { return i + k < n && s[i + k] >= lo && s[i + k] <= hi; };
  while (i < n) {
    const int b = s[i];
    if (b <= 0x7F) { i += 1; continue; }
    if (b >= 0xC2 && b <= 0xDF && in(1, 0x80, 0xBF)) { i += 2; continue; }
    if (b == 0xE0 && in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF)) { i += 3; continue; }
    if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) && in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF)) { i += 3; continue; }
    if (b == 0xED && in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF)) { i += 3; continue; }
    if (b == 0xF0 && in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF)) { i += 4; continue; }
    if (b >= 0xF1 && b <= 0xF3 && in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF)) { i += 4; continue; }
    if (b == 0xF4 && in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF)) { i += 4; continue; }
    return false;
  }
  return true;
}

}  // namespace zonebuf::fuzz
