// The x86-64 instantiations of the UTF-8 screen (text_utf8_kernel.hpp), each
// compiled for its own ISA. Call one only on a CPU that has that ISA; the
// dispatch in text_utf8_vector.cpp checks once.
#pragma once

#include <cstdint>
#include <cstring>

// ZONEBUF_TEXT_TARGET_BEGIN("avx2") ... ZONEBUF_TEXT_TARGET_END(): every
// function defined in between is compiled for that ISA (g++ and clang spell
// the pragma differently).
#define ZONEBUF_TEXT_PRAGMA_(x) _Pragma(#x)
#if defined(__clang__)
#define ZONEBUF_TEXT_TARGET_BEGIN(isa) \
  ZONEBUF_TEXT_PRAGMA_(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define ZONEBUF_TEXT_TARGET_END() ZONEBUF_TEXT_PRAGMA_(clang attribute pop)
#else
#define ZONEBUF_TEXT_TARGET_BEGIN(isa) ZONEBUF_TEXT_PRAGMA_(GCC push_options) ZONEBUF_TEXT_PRAGMA_(GCC target(isa))
#define ZONEBUF_TEXT_TARGET_END() ZONEBUF_TEXT_PRAGMA_(GCC pop_options)
#endif

namespace zonebuf::text::detail {

// Each keeps the contract of screenUtf8 (text_utf8_vector.hpp), copyTo included.
const std::uint8_t* screenUtf8Ssse3(const std::uint8_t* p, const std::uint8_t* end, std::uint8_t* copyTo) noexcept;
const std::uint8_t* screenUtf8Avx2(const std::uint8_t* p, const std::uint8_t* end, std::uint8_t* copyTo) noexcept;
// The AVX2 kernel behind a 64-bytes-per-load ASCII prefix, and a 64-byte copy (AVX-512BW).
const std::uint8_t* screenUtf8Avx512(const std::uint8_t* p, const std::uint8_t* end, std::uint8_t* copyTo) noexcept;

// screenUtf8's copyTo contract around a kernel that only screens (a leaf,
// kept out of line: the copy's call would give it a larger frame).
template <const std::uint8_t* (*kScreen)(const std::uint8_t*, const std::uint8_t*) noexcept>
[[gnu::always_inline]] inline const std::uint8_t* screenThenCopy(const std::uint8_t* p, const std::uint8_t* end,
                                                                 std::uint8_t* copyTo) noexcept {
  if (copyTo == nullptr) return kScreen(p, end);
  const std::uint8_t* hit = kScreen(p, end);
  if (hit == end && p != end) std::memcpy(copyTo, p, static_cast<std::size_t>(end - p));
  return hit;
}

}  // namespace zonebuf::text::detail
