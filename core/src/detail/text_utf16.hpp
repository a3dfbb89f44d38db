// UTF-16 pieces shared by the portable codec (text_utf16.cpp) and its SSSE3
// kernels (text_utf16_ssse3.cpp): the scalar transcoding steps, which the
// kernels also use for the units no vector case takes, and the kernels' entry
// points.
//
// Invariants:
//  * writeUtf16 needs well-formed UTF-8 and room for exactly its UTF-16 size.
//  * putUtf8Bmp needs 4 writable bytes (it stores 3 bytes as 4).
//  * Utf16Kernels: encode(p, end, out, outEnd) transcodes all of the
//    well-formed UTF-8 [p, end) into exactly [out, outEnd) and writes nothing
//    outside it; decode(p, end, o) transcodes UTF-16 units from p while at
//    least 16 bytes are left and stops at an unpaired surrogate, returning
//    where it stopped (o advanced past what it wrote). It writes at most 16
//    bytes past the UTF-8 it produces, within 3 bytes per unit consumed + 16.
//  * utf16Kernels() is null when the CPU has no SSSE3 (or not x86-64); the
//    scalar path then gives the same results.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "text_ascii_block.hpp"
#include "text_scan.hpp"
#include "text_visitors.hpp"

namespace zonebuf::text::detail {

template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE unsigned unitAt(const u8* q) noexcept {
  return BigEndian ? (unsigned{q[0]} << 8) | q[1] : (unsigned{q[1]} << 8) | q[0];
}

// Well-formed UTF-8 [p, end) -> UTF-16 at out; returns one past the last byte written.
// Branches on the sequence length (unlike the decoder): the next read depends
// on it, and a predicted branch does not wait for that load.
template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE const u8* putUtf16Of(const u8* p, u8*& out) noexcept {
  const unsigned b0 = *p;
  if (b0 < 0x80) {
    out = putUnit16<BigEndian>(out, b0);
    return p + 1;
  }
  if (b0 < 0xE0) {
    out = putUnit16<BigEndian>(out, ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu));
    return p + 2;
  }
  if (b0 < 0xF0) {
    out = putUnit16<BigEndian>(out, ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
    return p + 3;
  }
  const char32_t cp = ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
  out = putPair16<BigEndian>(out, cp);
  return p + 4;
}

template <bool BigEndian>
u8* writeUtf16(const u8* p, const u8* end, u8* out) noexcept {
  while (p != end) {
    if (*p < 0x80) {
      while (end - p >= 16 && isAscii16(p)) {
        widenAscii16<BigEndian>(p, out);
        p += 16;
        out += 32;
      }
      for (; p != end && *p < 0x80; ++p) out = putUnit16<BigEndian>(out, *p);
      continue;
    }
    p = putUtf16Of<BigEndian>(p, out);
  }
  return out;
}

// u <= 0xFFFF, not a surrogate: its 1 to 3 UTF-8 bytes. Text that mixes 1-
// and 2-byte characters (Cyrillic, Greek, ... with spaces) takes no branch on
// the length; 3-byte (CJK) text rarely mixes.
ZONEBUF_ALWAYS_INLINE char* putUtf8Bmp(char* o, unsigned u) noexcept {
  std::uint32_t bytes;  // first byte lowest
  unsigned length;
  if (u >= 0x800) {
    bytes = (0xE0u | (u >> 12)) | ((0x80u | ((u >> 6) & 0x3F)) << 8) | ((0x80u | (u & 0x3F)) << 16);
    length = 3;
  } else {
    const std::uint32_t two = (0xC0u | (u >> 6)) | ((0x80u | (u & 0x3F)) << 8);
    bytes = u < 0x80 ? u : two;
    length = 1u + (u >= 0x80);
  }
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(o, &bytes, 4);
  } else {
    for (unsigned i = 0; i < 4; ++i) o[i] = static_cast<char>(bytes >> (8 * i));
  }
  return o + length;
}

struct Utf16Kernels {
  using Encode = u8* (*)(const u8* p, const u8* end, u8* out, u8* outEnd) noexcept;
  using Decode = const u8* (*)(const u8* p, const u8* end, char*& o) noexcept;
  Encode encode[2];  // [bigEndian]
  Decode decode[2];
};

const Utf16Kernels* utf16Kernels() noexcept;

// The codec with (vector true, when the CPU has the kernels) or without them;
// text::encode / decode use the vector one. For the differential tests.
std::size_t encodeAsUtf16Using(const u8* b, const u8* e, bool bigEndian, TextPolicy policy, u8* out,
                               std::size_t room, bool vector);
std::string decodeUtf16Using(const u8* b, const u8* e, bool bigEndian, TextPolicy policy, bool vector);

}  // namespace zonebuf::text::detail
