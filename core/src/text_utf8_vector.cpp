// Keiser & Lemire's UTF-8 validation ("Validating UTF-8 In Less Than One
// Instruction Per Byte", 2021), written from the paper's description.
//
// Every 2-byte error shows up in the pair (previous byte, current byte), so
// three 16-entry tables indexed by the previous byte's high nibble, its low
// nibble and the current byte's high nibble each give the set of error
// classes that nibble allows; a pair is bad when one class survives the AND of
// all three. What pairs cannot see - a third or fourth byte that must be a
// continuation (its lead is 2 or 3 bytes back) - is checked with saturating
// subtractions, and it cancels the "two continuations in a row" class, which
// is then only an error where no such lead is found. One table lookup is a
// pshufb on x86 (SSSE3, chosen once at start-up: the native build targets
// baseline x86-64) and a swizzle in WebAssembly SIMD128.
#include "detail/text_utf8_vector.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "zonebuf/primitives.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ZONEBUF_TEXT_VECTOR_SSSE3 1
#include <tmmintrin.h>
#elif defined(__wasm_simd128__)
#define ZONEBUF_TEXT_VECTOR_SIMD128 1
#include <wasm_simd128.h>
#endif

namespace zonebuf::text::detail {
namespace {

using u8 = std::uint8_t;

// Error classes, one bit each. A class may need several nibbles to agree.
constexpr u8 kTooShort = 1 << 0;     // lead followed by a non-continuation
constexpr u8 kTooLong = 1 << 1;      // ASCII followed by a continuation
constexpr u8 kOverlong3 = 1 << 2;    // E0 80..9F
constexpr u8 kTooLarge = 1 << 3;     // F4 90..BF, F5..FF + continuation
constexpr u8 kSurrogate = 1 << 4;    // ED A0..BF
constexpr u8 kOverlong2 = 1 << 5;    // C0, C1 + continuation
constexpr u8 kTooLarge1000 = 1 << 6; // F5..FF 80..8F (F4 80..8F is fine)
constexpr u8 kOverlong4 = 1 << 6;    // F0 80..8F: shares the bit, the nibbles tell them apart
constexpr u8 kTwoConts = 1 << 7;     // continuation after continuation
// Classes decided by the previous byte's high nibble alone.
constexpr u8 kCarry = kTooShort | kTooLong | kTwoConts;

// Indexed by the previous byte's high nibble.
alignas(16) constexpr u8 kPrevHigh[16] = {
    kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,  // 0..7: ASCII
    kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                      // 8..B: continuation
    kTooShort | kOverlong2,                                                          // C
    kTooShort,                                                                       // D
    kTooShort | kOverlong3 | kSurrogate,                                             // E
    kTooShort | kTooLarge | kTooLarge1000 | kOverlong4,                              // F
};

// Indexed by the previous byte's low nibble.
alignas(16) constexpr u8 kPrevLow[16] = {
    kCarry | kOverlong3 | kOverlong2 | kOverlong4,          // x0: C0, E0, F0
    kCarry | kOverlong2,                                    // x1: C1
    kCarry, kCarry,                                         // x2, x3
    kCarry | kTooLarge,                                     // x4: F4 (90..BF too large)
    kCarry | kTooLarge | kTooLarge1000,                     // x5..xC: F5..FC
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000 | kSurrogate,        // xD: ED
    kCarry | kTooLarge | kTooLarge1000,                     // xE, xF
    kCarry | kTooLarge | kTooLarge1000,
};

// Indexed by the current byte's high nibble.
alignas(16) constexpr u8 kCurHigh[16] = {
    kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,  // ASCII
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,  // 80..8F
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,                   // 90..9F
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // A0..AF
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // B0..BF
    kTooShort, kTooShort, kTooShort, kTooShort,                                   // leads
};

// A byte at position 13, 14 or 15 above these starts a sequence that the
// block does not finish.
alignas(16) constexpr u8 kIncompleteAbove[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                 0xFF, 0xFF, 0xFF, 0xFF, 0xEF, 0xDF, 0xBF};

#if defined(ZONEBUF_TEXT_VECTOR_SSSE3)
// Everything below is compiled for SSSE3 and only ever called after the CPU
// check; the headers above were included before, under the default target.
#pragma GCC push_options
#pragma GCC target("ssse3")
struct Vec {
  using V = __m128i;
  static V load(const void* p) { return _mm_loadu_si128(static_cast<const V*>(p)); }
  static V splat(u8 b) { return _mm_set1_epi8(static_cast<char>(b)); }
  static V zero() { return _mm_setzero_si128(); }
  static V orV(V a, V b) { return _mm_or_si128(a, b); }
  static V andV(V a, V b) { return _mm_and_si128(a, b); }
  static V xorV(V a, V b) { return _mm_xor_si128(a, b); }
  static V subSat(V a, V b) { return _mm_subs_epu8(a, b); }
  static V highNibble(V a) { return _mm_and_si128(_mm_srli_epi16(a, 4), splat(0x0F)); }
  static V lookup(V table, V nibble) { return _mm_shuffle_epi8(table, nibble); }
  // Each byte of `cur` paired with the byte N positions before it.
  template <int N>
  static V before(V cur, V prev) {
    return _mm_alignr_epi8(cur, prev, 16 - N);
  }
  static bool anyHighBit(V a) { return _mm_movemask_epi8(a) != 0; }
  static bool anyNonZero(V a) { return _mm_movemask_epi8(_mm_cmpeq_epi8(a, zero())) != 0xFFFF; }
};
#elif defined(ZONEBUF_TEXT_VECTOR_SIMD128)
struct Vec {
  using V = v128_t;
  static V load(const void* p) { return wasm_v128_load(p); }
  static V splat(u8 b) { return wasm_u8x16_splat(b); }
  static V zero() { return wasm_i64x2_const(0, 0); }
  static V orV(V a, V b) { return wasm_v128_or(a, b); }
  static V andV(V a, V b) { return wasm_v128_and(a, b); }
  static V xorV(V a, V b) { return wasm_v128_xor(a, b); }
  static V subSat(V a, V b) { return wasm_u8x16_sub_sat(a, b); }
  static V highNibble(V a) { return wasm_u8x16_shr(a, 4); }
  static V lookup(V table, V nibble) { return wasm_i8x16_swizzle(table, nibble); }
  template <int N>
  static V before(V cur, V prev) {
    if constexpr (N == 1) {
      return wasm_i8x16_shuffle(prev, cur, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
    } else if constexpr (N == 2) {
      return wasm_i8x16_shuffle(prev, cur, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
    } else {
      static_assert(N == 3);
      return wasm_i8x16_shuffle(prev, cur, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28);
    }
  }
  static bool anyHighBit(V a) { return wasm_i8x16_bitmask(a) != 0; }
  static bool anyNonZero(V a) { return wasm_v128_any_true(a); }
};
#endif

#if defined(ZONEBUF_TEXT_VECTOR_SSSE3) || defined(ZONEBUF_TEXT_VECTOR_SIMD128)
using V = Vec::V;

struct Screen {
  V prevHigh, prevLow, curHigh, incompleteAbove;
  V prev;        // the block before, for the bytes 1..3 back
  V incomplete;  // non-zero: prev ends inside a sequence
  V error;

  // Written out (not default member initialisers) so that it is compiled for
  // the same target as the kernel.
  ZONEBUF_ALWAYS_INLINE Screen()
      : prevHigh(Vec::load(kPrevHigh)),
        prevLow(Vec::load(kPrevLow)),
        curHigh(Vec::load(kCurHigh)),
        incompleteAbove(Vec::load(kIncompleteAbove)),
        prev(Vec::zero()),
        incomplete(Vec::zero()),
        error(Vec::zero()) {}

  ZONEBUF_ALWAYS_INLINE void check(V cur) {
    const V prev1 = Vec::before<1>(cur, prev);
    const V special = Vec::andV(Vec::andV(Vec::lookup(prevHigh, Vec::highNibble(prev1)),
                                          Vec::lookup(prevLow, Vec::andV(prev1, Vec::splat(0x0F)))),
                                Vec::lookup(curHigh, Vec::highNibble(cur)));
    // High bit set where the byte 2 back is E0..FF or the byte 3 back is F0..FF:
    // this byte must be a continuation, and its pair is "two continuations".
    const V third = Vec::subSat(Vec::before<2>(cur, prev), Vec::splat(0xE0 - 0x80));
    const V fourth = Vec::subSat(Vec::before<3>(cur, prev), Vec::splat(0xF0 - 0x80));
    const V mustContinue = Vec::andV(Vec::orV(third, fourth), Vec::splat(0x80));
    error = Vec::orV(error, Vec::xorV(mustContinue, special));
    incomplete = Vec::subSat(cur, incompleteAbove);
    prev = cur;
  }
};

ZONEBUF_ALWAYS_INLINE const u8* screenVector(const u8* p, const u8* end) noexcept {
  Screen s;
  while (end - p >= 64) {
    const V a = Vec::load(p);
    const V b = Vec::load(p + 16);
    const V c = Vec::load(p + 32);
    const V d = Vec::load(p + 48);
    if (!Vec::anyHighBit(Vec::orV(Vec::orV(a, b), Vec::orV(c, d)))) {
      // All ASCII: only an unfinished sequence before it can be wrong.
      s.error = Vec::orV(s.error, s.incomplete);
      s.incomplete = Vec::zero();
      s.prev = d;
    } else {
      s.check(a);
      s.check(b);
      s.check(c);
      s.check(d);
    }
    if (ZONEBUF_UNLIKELY(Vec::anyNonZero(s.error))) return p;
    p += 64;
  }
  while (end - p >= 16) {
    s.check(Vec::load(p));
    if (ZONEBUF_UNLIKELY(Vec::anyNonZero(s.error))) return p;
    p += 16;
  }
  if (p != end) {
    // The zeros after the last bytes act as ASCII, so an unfinished sequence
    // there is an error of this block.
    alignas(16) u8 tail[16] = {};
    std::memcpy(tail, p, static_cast<std::size_t>(end - p));
    s.check(Vec::load(tail));
    return Vec::anyNonZero(s.error) ? p : end;
  }
  if (Vec::anyNonZero(Vec::orV(s.error, s.incomplete))) return end - 1;
  return end;
}
#endif

#if defined(ZONEBUF_TEXT_VECTOR_SSSE3)
ZONEBUF_NOINLINE const u8* screenSsse3(const u8* p, const u8* end) noexcept { return screenVector(p, end); }
#pragma GCC pop_options

// Zero (false, the scalar path) until the initialiser runs, which is correct
// too: text codecs called from other static initialisers simply skip the screen.
const bool kHasSsse3 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("ssse3") != 0;
}();
#endif

}  // namespace

const u8* screenUtf8(const u8* p, const u8* end) noexcept {
#if defined(ZONEBUF_TEXT_VECTOR_SSSE3)
  return ZONEBUF_LIKELY(kHasSsse3) ? screenSsse3(p, end) : p;
#elif defined(ZONEBUF_TEXT_VECTOR_SIMD128)
  return screenVector(p, end);
#else
  (void)end;
  return p;
#endif
}

bool vectorScreenActive() noexcept {
#if defined(ZONEBUF_TEXT_VECTOR_SSSE3)
  return kHasSsse3;
#elif defined(ZONEBUF_TEXT_VECTOR_SIMD128)
  return true;
#else
  return false;
#endif
}

}  // namespace zonebuf::text::detail
