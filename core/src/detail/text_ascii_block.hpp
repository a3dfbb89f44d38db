// 16 ASCII characters at a time between UTF-8 and UTF-16, with the vector unit
// every build has (SSE2 is baseline x86-64; the wasm presets compile with
// -msimd128) and a portable loop elsewhere.
//
// Invariants: widenAscii16 needs 16 readable bytes at p that are all < 0x80 and
// 32 writable bytes at out; narrowAscii16 needs 32 readable bytes at p and 16
// writable bytes at out, and writes only when it returns true.
#pragma once

#include <cstdint>
#include <cstring>

#include "zonebuf/primitives.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace zonebuf::text::detail {

// Whether the 16 bytes at p are all < 0x80.
ZONEBUF_ALWAYS_INLINE bool isAscii16(const std::uint8_t* p) noexcept {
#if defined(__SSE2__)
  return _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) == 0;
#elif defined(__wasm_simd128__)
  return wasm_i8x16_bitmask(wasm_v128_load(p)) == 0;
#else
  std::uint64_t a, b;
  std::memcpy(&a, p, 8);
  std::memcpy(&b, p + 8, 8);
  return ((a | b) & 0x8080808080808080ULL) == 0;
#endif
}

template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE void widenAscii16(const std::uint8_t* p, std::uint8_t* out) noexcept {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i z = _mm_setzero_si128();
  auto* o = reinterpret_cast<__m128i*>(out);
  _mm_storeu_si128(o, BigEndian ? _mm_unpacklo_epi8(z, v) : _mm_unpacklo_epi8(v, z));
  _mm_storeu_si128(o + 1, BigEndian ? _mm_unpackhi_epi8(z, v) : _mm_unpackhi_epi8(v, z));
#elif defined(__wasm_simd128__)
  const v128_t v = wasm_v128_load(p);
  const v128_t z = wasm_i64x2_const(0, 0);
  if constexpr (BigEndian) {
    wasm_v128_store(out, wasm_i8x16_shuffle(z, v, 0, 16, 0, 17, 0, 18, 0, 19, 0, 20, 0, 21, 0, 22, 0, 23));
    wasm_v128_store(out + 16, wasm_i8x16_shuffle(z, v, 0, 24, 0, 25, 0, 26, 0, 27, 0, 28, 0, 29, 0, 30, 0, 31));
  } else {
    wasm_v128_store(out, wasm_i8x16_shuffle(v, z, 0, 16, 1, 16, 2, 16, 3, 16, 4, 16, 5, 16, 6, 16, 7, 16));
    wasm_v128_store(out + 16,
                    wasm_i8x16_shuffle(v, z, 8, 16, 9, 16, 10, 16, 11, 16, 12, 16, 13, 16, 14, 16, 15, 16));
  }
#else
  for (int i = 0; i < 16; ++i) {
    out[2 * i + (BigEndian ? 0 : 1)] = 0;
    out[2 * i + (BigEndian ? 1 : 0)] = p[i];
  }
#endif
}

template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE bool narrowAscii16(const std::uint8_t* p, char* out) noexcept {
#if defined(__SSE2__)
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
  // As little-endian 16-bit lanes, an ASCII unit is 0x00XX (LE) or 0xXX00 (BE), XX < 0x80.
  const __m128i notAscii = _mm_set1_epi16(static_cast<short>(BigEndian ? 0x80FF : 0xFF80));
  const __m128i bad = _mm_and_si128(_mm_or_si128(a, b), notAscii);
  if (_mm_movemask_epi8(_mm_cmpeq_epi8(bad, _mm_setzero_si128())) != 0xFFFF) return false;
  const __m128i packed = BigEndian ? _mm_packus_epi16(_mm_srli_epi16(a, 8), _mm_srli_epi16(b, 8))
                                   : _mm_packus_epi16(a, b);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), packed);
  return true;
#elif defined(__wasm_simd128__)
  const v128_t a = wasm_v128_load(p);
  const v128_t b = wasm_v128_load(p + 16);
  const v128_t notAscii = wasm_u16x8_splat(BigEndian ? 0x80FF : 0xFF80);
  if (wasm_v128_any_true(wasm_v128_and(wasm_v128_or(a, b), notAscii))) return false;
  if constexpr (BigEndian) {
    wasm_v128_store(out, wasm_i8x16_shuffle(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
  } else {
    wasm_v128_store(out, wasm_i8x16_shuffle(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
  }
  return true;
#else
  for (int i = 0; i < 16; ++i) {
    if (p[2 * i + (BigEndian ? 0 : 1)] != 0 || p[2 * i + (BigEndian ? 1 : 0)] >= 0x80) return false;
  }
  for (int i = 0; i < 16; ++i) out[i] = static_cast<char>(p[2 * i + (BigEndian ? 1 : 0)]);
  return true;
#endif
}

}  // namespace zonebuf::text::detail
