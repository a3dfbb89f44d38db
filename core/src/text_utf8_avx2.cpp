// The UTF-8 screen for x86-64 CPUs with AVX2: 32 bytes per vector. pshufb and
// palignr work within 16-byte lanes, so the bytes before a block's upper lane
// come from a cross-lane permute first. Only called after the one-time CPU
// check in text_utf8_vector.cpp.
#if defined(__x86_64__)
#include <immintrin.h>

#include <cstdint>

#include "detail/text_utf8_x86.hpp"

ZONEBUF_TEXT_TARGET_BEGIN("avx2")
#include "detail/text_utf8_kernel.hpp"

namespace zonebuf::text::detail {
namespace {

struct Avx2 {
  static constexpr int kStep = 64;
  static constexpr int kWidth = 32;
  using V = __m256i;
  static V load(const void* p) { return _mm256_loadu_si256(static_cast<const V*>(p)); }
  static V table(const std::uint8_t* t) {
    return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t)));
  }
  static V constant(const std::uint8_t* t) { return load(t); }
  static V splat(std::uint8_t b) { return _mm256_set1_epi8(static_cast<char>(b)); }
  static V subSat(V a, V b) { return _mm256_subs_epu8(a, b); }
  static V shiftRight4(V a) { return _mm256_srli_epi16(a, 4); }
  static V lookup(V table, V nibble) { return _mm256_shuffle_epi8(table, nibble); }
  template <int N>
  static V before(V cur, V prev) {
    // [prev's upper lane, cur's lower lane]: what precedes each lane of cur.
    const V shifted = _mm256_permute2x128_si256(prev, cur, 0x21);
    return _mm256_alignr_epi8(cur, shifted, 16 - N);
  }
  static bool anyHighBit(V a) { return _mm256_movemask_epi8(a) != 0; }
  static bool anyNonZero(V a) { return _mm256_testz_si256(a, a) == 0; }
};

}  // namespace

const std::uint8_t* screenUtf8Avx2(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  return utf8_kernel::screenWith<Avx2>(p, end);
}

}  // namespace zonebuf::text::detail
ZONEBUF_TEXT_TARGET_END()
#endif  // __x86_64__
