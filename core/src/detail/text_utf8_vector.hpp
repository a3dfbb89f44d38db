// The vector UTF-8 screen: Keiser & Lemire, "Validating UTF-8 In Less Than One
// Instruction Per Byte" (2021), written from the paper's description.
//
// Invariants:
//  * screenUtf8(p, end, copyTo) needs p to be a sequence boundary. It returns end when
//    [p, end) is well-formed UTF-8; otherwise a pointer `hit` in [p, end) such
//    that [p, hit) is well-formed except that it may end inside an unfinished
//    sequence, and the first ill-formed subpart starts at most 3 bytes before
//    hit or within the 64 bytes after it (the block the screen flagged). It
//    never names the error: the exact scalar decoder does, from restartPoint().
//  * copyTo is null, or end - p writable bytes that do not overlap the input:
//    when screenUtf8 returns end it has copied [p, end) there, otherwise it
//    has written nothing. The copy rides in the kernel so that writeString's
//    validate-then-copy reads the text while it is still in L1, with no call
//    of its own.
//  * Without a usable vector unit (a CPU without SSSE3, or a build for
//    neither x86-64 nor WebAssembly SIMD128) it returns p: the scalar decoder
//    then checks everything, with the same results.
//  * Kernels: text_utf8_kernel.hpp (the algorithm), text_utf8_ssse3.cpp and
//    text_utf8_avx2.cpp (x86-64), text_utf8_vector.cpp (dispatch, SIMD128).
//  * On x86-64 the dispatch is inline: the codecs call the chosen kernel
//    through one pointer, with no call of their own in between.
#pragma once

#include <cstdint>

#include "zonebuf/primitives.hpp"

namespace zonebuf::text::detail {

#if defined(__x86_64__)
using ScreenUtf8Fn = const std::uint8_t* (*)(const std::uint8_t*, const std::uint8_t*, std::uint8_t*) noexcept;

// The widest kernel the CPU has, set by a static initialiser in
// text_utf8_vector.cpp; null before that runs (text codecs called from other
// static initialisers then skip the screen, which is correct too).
extern const ScreenUtf8Fn kScreenUtf8;

ZONEBUF_ALWAYS_INLINE const std::uint8_t* screenUtf8(const std::uint8_t* p, const std::uint8_t* end,
                                                    std::uint8_t* copyTo) noexcept {
  return ZONEBUF_LIKELY(kScreenUtf8 != nullptr) ? kScreenUtf8(p, end, copyTo) : p;
}
#else
const std::uint8_t* screenUtf8(const std::uint8_t* p, const std::uint8_t* end, std::uint8_t* copyTo) noexcept;
#endif

// The vector kernel screenUtf8 uses in this process: "avx512", "avx2",
// "ssse3", "simd128" or "none" (fixed for the life of the process; for tests).
const char* vectorScreenName() noexcept;

}  // namespace zonebuf::text::detail
