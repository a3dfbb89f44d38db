// The UTF-8 screen for x86-64 CPUs with AVX2: 32 bytes per vector. pshufb and
// palignr work within 16-byte lanes, so the bytes before a block's upper lane
// come from a cross-lane permute first. On CPUs with AVX-512BW the leading
// ASCII run is checked 64 bytes per load first (the screen of ASCII text is
// bound by the number of loads, and writeString pays it before its copy).
// Only called after the one-time CPU check in text_utf8_vector.cpp.
#if defined(__x86_64__)
#include <immintrin.h>

#include <cstdint>
#include <cstring>

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

// The kernel alone (screenThenCopy).
[[gnu::noinline]] const std::uint8_t* screenAvx2(const std::uint8_t* p, const std::uint8_t* end) noexcept {
  return utf8_kernel::screenWith<Avx2>(p, end);
}

}  // namespace

const std::uint8_t* screenUtf8Avx2(const std::uint8_t* p, const std::uint8_t* end, std::uint8_t* copyTo) noexcept {
  return screenThenCopy<screenAvx2>(p, end, copyTo);
}

}  // namespace zonebuf::text::detail
ZONEBUF_TEXT_TARGET_END()

ZONEBUF_TEXT_TARGET_BEGIN("avx2,avx512f,avx512bw")
namespace zonebuf::text::detail {
namespace {

using u8 = std::uint8_t;

[[gnu::always_inline]] inline bool anyHighBit(__m512i v) { return _mm512_movepi8_mask(v) != 0; }

// Text up to this size that is all ASCII is loaded once: into registers,
// checked, then stored from them. Nothing reaches out before the whole text
// is known to be ASCII, and the copy costs no second load (which, for ASCII,
// is what a screen and a copy in two passes would spend half their time on).
constexpr std::size_t kHeldMax = 1024;
// Larger text is screened in memory, then copied by a loop of 64-byte vectors
// up to this size and by libc's memcpy, which knows the caches (rep movsb,
// non-temporal stores), beyond it.
constexpr std::size_t kInlineCopyMax = 4096;

// n in [64K, 128K], K in {1, 2, 4, 8}: K vectors from the front and K from
// the back, which overlap when n < 128K. Stores only if every byte is ASCII.
// Named variables, not arrays: GCC keeps an array of vectors on the stack.
template <int K>
[[gnu::always_inline]] inline bool copyAsciiHeld(const u8* p, std::size_t n, u8* out) {
  static_assert(K == 1 || K == 2 || K == 4 || K == 8);
  const u8* const tail = p + n - 64 * K;
  u8* const outTail = out + n - 64 * K;
  const __m512i zero = _mm512_setzero_si512();
#define ZONEBUF_HELD_LOAD(k)                                                  \
  const __m512i f##k = K > k ? _mm512_loadu_si512(p + 64 * (k)) : zero;    \
  const __m512i b##k = K > k ? _mm512_loadu_si512(tail + 64 * (k)) : zero;
  ZONEBUF_HELD_LOAD(0) ZONEBUF_HELD_LOAD(1) ZONEBUF_HELD_LOAD(2) ZONEBUF_HELD_LOAD(3)
  ZONEBUF_HELD_LOAD(4) ZONEBUF_HELD_LOAD(5) ZONEBUF_HELD_LOAD(6) ZONEBUF_HELD_LOAD(7)
#undef ZONEBUF_HELD_LOAD
  // a | b | c is ternary-logic 0xFE: the OR of 16 vectors in 8 instructions.
  const __m512i any0 = _mm512_ternarylogic_epi64(f0, b0, f1, 0xFE);
  const __m512i any1 = _mm512_ternarylogic_epi64(b1, f2, b2, 0xFE);
  const __m512i any2 = _mm512_ternarylogic_epi64(f3, b3, f4, 0xFE);
  const __m512i any3 = _mm512_ternarylogic_epi64(b4, f5, b5, 0xFE);
  const __m512i any4 = _mm512_ternarylogic_epi64(f6, b6, f7, 0xFE);
  const __m512i any5 = _mm512_ternarylogic_epi64(any0, any1, b7, 0xFE);
  const __m512i any6 = _mm512_ternarylogic_epi64(any2, any3, any4, 0xFE);
  if (anyHighBit(_mm512_or_si512(any5, any6))) return false;
#define ZONEBUF_HELD_STORE(k)                        \
  if constexpr (K > k) {                             \
    _mm512_storeu_si512(out + 64 * (k), f##k);       \
    _mm512_storeu_si512(outTail + 64 * (k), b##k);   \
  }
  ZONEBUF_HELD_STORE(0) ZONEBUF_HELD_STORE(1) ZONEBUF_HELD_STORE(2) ZONEBUF_HELD_STORE(3)
  ZONEBUF_HELD_STORE(4) ZONEBUF_HELD_STORE(5) ZONEBUF_HELD_STORE(6) ZONEBUF_HELD_STORE(7)
#undef ZONEBUF_HELD_STORE
  return true;
}

// n in [32, 64], as above with two 32-byte vectors.
[[gnu::always_inline]] inline bool copyAsciiHeld32(const u8* p, std::size_t n, u8* out) {
  const __m256i front = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i back = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + n - 32));
  if (_mm256_movemask_epi8(_mm256_or_si256(front, back)) != 0) return false;
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), front);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + n - 32), back);
  return true;
}

// Any n; for n >= 64 the last vector ends at the last byte (overlapping the
// one before), below that a masked load and store, which touch nothing past
// the end.
[[gnu::always_inline]] inline void copyBlocks(u8* out, const u8* p, std::size_t n) {
  if (n < 64) {
    const __mmask64 inside = (std::uint64_t{1} << n) - 1;
    _mm512_mask_storeu_epi8(out, inside, _mm512_maskz_loadu_epi8(inside, p));
    return;
  }
  std::size_t i = 0;
  for (; n - i >= 256; i += 256) {
    const __m512i a = _mm512_loadu_si512(p + i);
    const __m512i b = _mm512_loadu_si512(p + i + 64);
    const __m512i c = _mm512_loadu_si512(p + i + 128);
    const __m512i d = _mm512_loadu_si512(p + i + 192);
    _mm512_storeu_si512(out + i, a);
    _mm512_storeu_si512(out + i + 64, b);
    _mm512_storeu_si512(out + i + 128, c);
    _mm512_storeu_si512(out + i + 192, d);
  }
  for (; n - i > 64; i += 64) _mm512_storeu_si512(out + i, _mm512_loadu_si512(p + i));
  _mm512_storeu_si512(out + n - 64, _mm512_loadu_si512(p + n - 64));
}

// The cold ends of screenUtf8Avx512, out of line and reached by tail calls so
// that its ASCII paths need no stack frame.
[[gnu::noinline]] const u8* copyLarge(const u8* p, const u8* end, u8* copyTo) noexcept {
  std::memcpy(copyTo, p, static_cast<std::size_t>(end - p));
  return end;
}

// [p, q) is ASCII and q a sequence boundary: the AVX2 kernel screens from q,
// then [p, end) is copied if well-formed.
[[gnu::noinline]] const u8* screenRest(const u8* p, const u8* q, const u8* end, u8* copyTo) noexcept {
  if (q == p) return screenUtf8Avx2(p, end, copyTo);
  const u8* hit = screenUtf8Avx2(q, end, nullptr);
  if (copyTo == nullptr || hit != end) return hit;
  if (static_cast<std::size_t>(end - p) > kInlineCopyMax) return copyLarge(p, end, copyTo);
  copyBlocks(copyTo, p, static_cast<std::size_t>(end - p));
  return end;
}

}  // namespace

// Only ASCII here, so no tables and nothing to carry between blocks: from
// the first block with a byte >= 0x80 (its start is a sequence boundary,
// every byte before it being ASCII) the AVX2 kernel takes over. Short text,
// and text whose first 32 bytes are not all ASCII (most non-Latin text), go
// to it at once, before any 512-bit instruction.
const u8* screenUtf8Avx512(const u8* p, const u8* end, u8* copyTo) noexcept {
  const auto n = static_cast<std::size_t>(end - p);
  if (n < 32 || _mm256_movemask_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))) != 0) {
    return screenUtf8Avx2(p, end, copyTo);
  }
  if (copyTo != nullptr && n <= kHeldMax) {
    const bool ascii = n > 512   ? copyAsciiHeld<8>(p, n, copyTo)
                       : n > 256 ? copyAsciiHeld<4>(p, n, copyTo)
                       : n > 128 ? copyAsciiHeld<2>(p, n, copyTo)
                       : n >= 64 ? copyAsciiHeld<1>(p, n, copyTo)
                                 : copyAsciiHeld32(p, n, copyTo);
    return ascii ? end : screenRest(p, p, end, copyTo);
  }
  const u8* q = p;
  while (end - q >= 256) {
    const __m512i a = _mm512_or_si512(_mm512_loadu_si512(q), _mm512_loadu_si512(q + 64));
    const __m512i b = _mm512_or_si512(_mm512_loadu_si512(q + 128), _mm512_loadu_si512(q + 192));
    if (anyHighBit(_mm512_or_si512(a, b))) break;
    q += 256;
  }
  while (end - q >= 64) {
    if (anyHighBit(_mm512_loadu_si512(q))) return screenRest(p, q, end, copyTo);
    q += 64;
  }
  if (q != end) {
    // The last 64 bytes when there are that many (those before q are
    // ASCII already), else the last 32 (n >= 32 here).
    const bool ascii = n >= 64 ? !anyHighBit(_mm512_loadu_si512(end - 64))
                               : _mm256_movemask_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(end - 32))) == 0;
    if (!ascii) return screenRest(p, q, end, copyTo);
  }
  if (copyTo == nullptr) return end;
  if (n > kInlineCopyMax) return copyLarge(p, end, copyTo);
  copyBlocks(copyTo, p, n);
  return end;
}

}  // namespace zonebuf::text::detail
ZONEBUF_TEXT_TARGET_END()
#endif  // __x86_64__
