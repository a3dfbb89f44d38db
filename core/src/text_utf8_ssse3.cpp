// The UTF-8 screen for x86-64 CPUs with SSSE3 (pshufb is the table lookup,
// palignr pairs each byte with the ones before it). Only called after the
// one-time CPU check in text_utf8_vector.cpp.
#if defined(__x86_64__)
#include <tmmintrin.h>

#include <cstdint>

#include "detail/text_utf8_x86.hpp"

ZONEBUF_TEXT_TARGET_BEGIN("ssse3")
#include "detail/text_utf8_kernel.hpp"

namespace zonebuf::text::detail {
namespace {

struct Ssse3 {
  static constexpr int kStep = 64;
  static constexpr int kWidth = 16;
  using V = __m128i;
  static V load(const void* p) { return _mm_loadu_si128(static_cast<const V*>(p)); }
  static V table(const std::uint8_t* t) { return load(t); }
  static V constant(const std::uint8_t* t) { return load(t); }
  static V splat(std::uint8_t b) { return _mm_set1_epi8(static_cast<char>(b)); }
  static V subSat(V a, V b) { return _mm_subs_epu8(a, b); }
  static V shiftRight4(V a) { return _mm_srli_epi16(a, 4); }
  static V lookup(V table, V nibble) { return _mm_shuffle_epi8(table, nibble); }
  template <int N>
  static V before(V cur, V prev) {
    return _mm_alignr_epi8(cur, prev, 16 - N);
  }
  static bool anyHighBit(V a) { return _mm_movemask_epi8(a) != 0; }
  static bool anyNonZero(V a) { return _mm_movemask_epi8(_mm_cmpeq_epi8(a, V{})) != 0xFFFF; }
};

// The kernel alone (screenThenCopy).
[[gnu::noinline]] const std::uint8_t* screenSsse3(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  return utf8_kernel::screenWith<Ssse3>(p, end);
}

}  // namespace

const std::uint8_t* screenUtf8Ssse3(const std::uint8_t* p, const std::uint8_t* end, std::uint8_t* copyTo) noexcept {
  return screenThenCopy<screenSsse3>(p, end, copyTo);
}

}  // namespace zonebuf::text::detail
ZONEBUF_TEXT_TARGET_END()
#endif  // __x86_64__
