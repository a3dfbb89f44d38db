// 16-byte lanes for the byte kernels (buffer_kernels.cpp): SSE2 natively,
// SIMD128 in WebAssembly, and a portable fallback with the same results.
// Invariant: a mask has bit i set iff lane i compared equal (bits 16+ clear).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <zonebuf/primitives.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace zonebuf::detail::simd {

#if defined(__SSE2__)
using Vec = __m128i;
ZONEBUF_ALWAYS_INLINE Vec load(const std::byte* p) noexcept { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
ZONEBUF_ALWAYS_INLINE void store(std::byte* p, Vec v) noexcept { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
ZONEBUF_ALWAYS_INLINE Vec splat(std::uint8_t b) noexcept { return _mm_set1_epi8(static_cast<char>(b)); }
ZONEBUF_ALWAYS_INLINE Vec eq(Vec a, Vec b) noexcept { return _mm_cmpeq_epi8(a, b); }
ZONEBUF_ALWAYS_INLINE Vec bitAnd(Vec a, Vec b) noexcept { return _mm_and_si128(a, b); }
ZONEBUF_ALWAYS_INLINE Vec bitOr(Vec a, Vec b) noexcept { return _mm_or_si128(a, b); }
ZONEBUF_ALWAYS_INLINE Vec bitXor(Vec a, Vec b) noexcept { return _mm_xor_si128(a, b); }
ZONEBUF_ALWAYS_INLINE std::uint32_t mask(Vec v) noexcept { return static_cast<std::uint32_t>(_mm_movemask_epi8(v)); }
ZONEBUF_ALWAYS_INLINE bool any(Vec v) noexcept { return _mm_movemask_epi8(v) != 0; }
#elif defined(__wasm_simd128__)
using Vec = v128_t;
ZONEBUF_ALWAYS_INLINE Vec load(const std::byte* p) noexcept { return wasm_v128_load(p); }
ZONEBUF_ALWAYS_INLINE void store(std::byte* p, Vec v) noexcept { wasm_v128_store(p, v); }
ZONEBUF_ALWAYS_INLINE Vec splat(std::uint8_t b) noexcept { return wasm_i8x16_splat(static_cast<std::int8_t>(b)); }
ZONEBUF_ALWAYS_INLINE Vec eq(Vec a, Vec b) noexcept { return wasm_i8x16_eq(a, b); }
ZONEBUF_ALWAYS_INLINE Vec bitAnd(Vec a, Vec b) noexcept { return wasm_v128_and(a, b); }
ZONEBUF_ALWAYS_INLINE Vec bitOr(Vec a, Vec b) noexcept { return wasm_v128_or(a, b); }
ZONEBUF_ALWAYS_INLINE Vec bitXor(Vec a, Vec b) noexcept { return wasm_v128_xor(a, b); }
ZONEBUF_ALWAYS_INLINE std::uint32_t mask(Vec v) noexcept { return wasm_i8x16_bitmask(v); }
// any_true is one instruction; bitmask is several in V8's lowering.
ZONEBUF_ALWAYS_INLINE bool any(Vec v) noexcept { return wasm_v128_any_true(v); }
#else
using Vec [[gnu::vector_size(16)]] = std::uint8_t;
ZONEBUF_ALWAYS_INLINE Vec load(const std::byte* p) noexcept {
  Vec v;
  std::memcpy(&v, p, 16);
  return v;
}
ZONEBUF_ALWAYS_INLINE void store(std::byte* p, Vec v) noexcept { std::memcpy(p, &v, 16); }
ZONEBUF_ALWAYS_INLINE Vec splat(std::uint8_t b) noexcept { return Vec{} + b; }
ZONEBUF_ALWAYS_INLINE Vec eq(Vec a, Vec b) noexcept { return reinterpret_cast<Vec>(a == b); }
ZONEBUF_ALWAYS_INLINE Vec bitAnd(Vec a, Vec b) noexcept { return a & b; }
ZONEBUF_ALWAYS_INLINE Vec bitOr(Vec a, Vec b) noexcept { return a | b; }
ZONEBUF_ALWAYS_INLINE Vec bitXor(Vec a, Vec b) noexcept { return a ^ b; }
ZONEBUF_ALWAYS_INLINE std::uint32_t mask(Vec v) noexcept {
  std::uint32_t m = 0;
  for (int i = 0; i < 16; ++i) m |= static_cast<std::uint32_t>(v[i] >> 7) << i;
  return m;
}
ZONEBUF_ALWAYS_INLINE bool any(Vec v) noexcept { return mask(v) != 0; }
#endif

}  // namespace zonebuf::detail::simd
