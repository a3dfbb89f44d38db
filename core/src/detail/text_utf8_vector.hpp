// The vector UTF-8 screen: Keiser & Lemire, "Validating UTF-8 In Less Than One
// Instruction Per Byte" (2021), written from the paper's description.
//
// Invariants:
//  * screenUtf8(p, end) needs p to be a sequence boundary. It returns end when
//    [p, end) is well-formed UTF-8; otherwise a pointer `hit` in [p, end) such
//    that [p, hit) is well-formed except that it may end inside an unfinished
//    sequence, and the first ill-formed subpart starts at most 3 bytes before
//    hit or within the 64 bytes after it (the block the screen flagged). It
//    never names the error: the exact scalar decoder does, from restartPoint().
//  * Without a usable vector unit (a CPU without SSSE3, or a build for
//    neither x86-64 nor WebAssembly SIMD128) it returns p: the scalar decoder
//    then checks everything, with the same results.
//  * Kernels: text_utf8_kernel.hpp (the algorithm), text_utf8_ssse3.cpp and
//    text_utf8_avx2.cpp (x86-64), text_utf8_vector.cpp (dispatch, SIMD128).
#pragma once

#include <cstdint>

namespace zonebuf::text::detail {

const std::uint8_t* screenUtf8(const std::uint8_t* p, const std::uint8_t* end) noexcept;

// The vector kernel screenUtf8 uses in this process: "avx2", "ssse3",
// "simd128" or "none" (fixed for the life of the process; for tests).
const char* vectorScreenName() noexcept;

}  // namespace zonebuf::text::detail
