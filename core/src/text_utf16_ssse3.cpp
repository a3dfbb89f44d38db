// UTF-8 <-> UTF-16 a vector at a time, for x86-64 CPUs with SSSE3 and POPCNT (pshufb
// compacts and spreads the bytes). Only called after the one-time CPU check
// in utf16Kernels(); text_utf16.cpp is the portable reference.
//
// Encoding (well-formed UTF-8 in): a 16-byte block of ASCII widens to 32
// bytes; a block of four 4-byte sequences becomes four surrogate pairs in
// 32-bit lanes; five 3-byte sequences (CJK) are gathered by one shuffle per
// byte role; otherwise, when the block holds no 4-byte lead, each of its
// 16 positions gets its unit as if a sequence started there (ASCII, 2- or
// 3-byte lead; the two bytes after it come from loads at +1 and +2) and the
// continuation positions are squeezed out, 8 lanes at a time, with a shuffle
// chosen by their mask. Such a block steps 16 bytes, so the next may start inside its last
// sequence: the vector cases need no boundary (an ASCII or 4-byte block never
// starts with a continuation), the scalar steps first move to the next one.
//
// Decoding: 8 units per block, when they are all below U+0800 (1 or 2 bytes
// each, squeezed by a shuffle chosen by which are ASCII), all 3-byte (no
// surrogate), or four surrogate pairs; any other block takes one unit or
// pair through the scalar step, so mixed text costs a few scalar steps.
#if defined(__x86_64__)
#include <tmmintrin.h>

#include <array>
#include <cstdint>

#include "detail/text_utf16.hpp"
#include "detail/text_utf8_x86.hpp"

namespace zonebuf::text::detail {
namespace {

using Table = std::array<std::array<u8, 16>, 256>;

// Mask bit i set: 16-bit lane i is kept; kept lanes move to the front in
// order, their two bytes swapped when `swap` (big-endian output).
constexpr Table makeKeptLanes(bool swap) {
  Table t{};
  for (unsigned m = 0; m < 256; ++m) {
    unsigned k = 0;
    for (unsigned i = 0; i < 8; ++i) {
      if ((m >> i) & 1u) {
        t[m][k++] = static_cast<u8>(2 * i + (swap ? 1 : 0));
        t[m][k++] = static_cast<u8>(2 * i + (swap ? 0 : 1));
      }
    }
    while (k < 16) t[m][k++] = 0x80;
  }
  return t;
}

// Mask bit i set: lane i holds two UTF-8 bytes, else one (its low byte).
constexpr Table makeUtf8Bytes() {
  Table t{};
  for (unsigned m = 0; m < 256; ++m) {
    unsigned k = 0;
    for (unsigned i = 0; i < 8; ++i) {
      t[m][k++] = static_cast<u8>(2 * i);
      if ((m >> i) & 1u) t[m][k++] = static_cast<u8>(2 * i + 1);
    }
    while (k < 16) t[m][k++] = 0x80;
  }
  return t;
}

alignas(16) constexpr Table kKeptLanes[2] = {makeKeptLanes(false), makeKeptLanes(true)};  // [bigEndian]
alignas(16) constexpr Table kUtf8Bytes = makeUtf8Bytes();

}  // namespace
}  // namespace zonebuf::text::detail

ZONEBUF_TEXT_TARGET_BEGIN("ssse3,popcnt")

namespace zonebuf::text::detail {
namespace {

ZONEBUF_ALWAYS_INLINE __m128i loadBlock(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }

ZONEBUF_ALWAYS_INLINE __m128i loadTable(const Table& t, unsigned m) {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(t[m].data()));
}

// Host-order 16-bit lanes <-> the byte order of the text.
template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE __m128i inOrder(__m128i units) {
  if constexpr (BigEndian) {
    return _mm_or_si128(_mm_slli_epi16(units, 8), _mm_srli_epi16(units, 8));
  } else {
    return units;
  }
}

ZONEBUF_ALWAYS_INLINE __m128i select(__m128i mask, __m128i yes, __m128i no) {
  return _mm_or_si128(_mm_and_si128(mask, yes), _mm_andnot_si128(mask, no));
}

ZONEBUF_ALWAYS_INLINE __m128i splat16(unsigned v) { return _mm_set1_epi16(static_cast<short>(v)); }
ZONEBUF_ALWAYS_INLINE __m128i splat32(std::uint32_t v) { return _mm_set1_epi32(static_cast<int>(v)); }

// Four 4-byte sequences (32-bit lanes, lead lowest) -> four surrogate pairs.
template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE __m128i pairsOfFourByte(__m128i v) {
  const __m128i six = splat32(0x3F);
  const __m128i cp = _mm_or_si128(
      _mm_or_si128(_mm_slli_epi32(_mm_and_si128(v, splat32(0x07)), 18),
                   _mm_slli_epi32(_mm_and_si128(_mm_srli_epi32(v, 8), six), 12)),
      _mm_or_si128(_mm_slli_epi32(_mm_and_si128(_mm_srli_epi32(v, 16), six), 6), _mm_and_si128(_mm_srli_epi32(v, 24), six)));
  const __m128i off = _mm_sub_epi32(cp, splat32(0x10000));
  const __m128i high = _mm_or_si128(_mm_srli_epi32(off, 10), splat32(0xD800));
  const __m128i low = _mm_or_si128(_mm_and_si128(off, splat32(0x3FF)), splat32(0xDC00));
  return inOrder<BigEndian>(_mm_or_si128(high, _mm_slli_epi32(low, 16)));
}

// Past the at most 2 continuations that a block of the 1- to 3-byte case
// leaves at its end: the sequence boundary the scalar steps need.
ZONEBUF_ALWAYS_INLINE const u8* skipContinuations(const u8* p, const u8* end) {
  while (p != end && (*p & 0xC0) == 0x80) ++p;
  return p;
}

// Five 3-byte sequences at 0, 3, 6, 9 and 12 -> five units (lanes 5..7 zero).
template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE __m128i unitsOfFiveThreeByte(__m128i v) {
  constexpr char X = static_cast<char>(0x80);
  // Per lane: lead above the first continuation, and the last continuation.
  const __m128i pair = _mm_shuffle_epi8(v, _mm_setr_epi8(1, 0, 4, 3, 7, 6, 10, 9, 13, 12, X, X, X, X, X, X));
  const __m128i last = _mm_shuffle_epi8(v, _mm_setr_epi8(2, X, 5, X, 8, X, 11, X, 14, X, X, X, X, X, X, X));
  const __m128i units = _mm_or_si128(
      _mm_or_si128(_mm_and_si128(_mm_slli_epi16(pair, 4), splat16(0xF000)),
                   _mm_slli_epi16(_mm_and_si128(pair, splat16(0x3F)), 6)),
      _mm_and_si128(last, splat16(0x3F)));
  return inOrder<BigEndian>(units);
}

// The UTF-16 unit of a sequence starting at each of 8 positions, from lanes
// holding (that byte << 8 | the next byte) and the byte after them. Lanes of
// continuations come out meaningless (the caller drops them).
ZONEBUF_ALWAYS_INLINE __m128i unitsAt(__m128i pair, __m128i third) {
  const __m128i c1 = _mm_and_si128(pair, splat16(0x3F));
  const __m128i two = _mm_or_si128(_mm_and_si128(_mm_srli_epi16(pair, 2), splat16(0x07C0)), c1);
  const __m128i three = _mm_or_si128(_mm_or_si128(_mm_and_si128(_mm_slli_epi16(pair, 4), splat16(0xF000)),
                                                  _mm_slli_epi16(c1, 6)),
                                     _mm_and_si128(third, splat16(0x3F)));
  const __m128i lead = _mm_srai_epi16(pair, 15);  // the byte is >= 0x80
  // Signed, a lead 0xE0..0xEF is a lane above -8193 and below 0.
  const __m128i threeByte = _mm_and_si128(lead, _mm_cmpgt_epi16(pair, splat16(0xDFFF)));
  return select(lead, select(threeByte, three, two), _mm_srli_epi16(pair, 8));
}

// unitsAt where no lane holds a 3-byte lead.
ZONEBUF_ALWAYS_INLINE __m128i unitsOfOneOrTwoAt(__m128i pair) {
  const __m128i two = _mm_or_si128(_mm_and_si128(_mm_srli_epi16(pair, 2), splat16(0x07C0)),
                                   _mm_and_si128(pair, splat16(0x3F)));
  return select(_mm_srai_epi16(pair, 15), two, _mm_srli_epi16(pair, 8));
}

template <bool BigEndian>
u8* encodeSsse3(const u8* p, const u8* end, u8* out, u8* const outEnd) noexcept {
  const __m128i zero = _mm_setzero_si128();
  while (end - p >= 16 && outEnd - out >= 16) {
    const __m128i v = loadBlock(p);
    if (_mm_movemask_epi8(v) == 0) {
      ZONEBUF_ASSERT(outEnd - out >= 32);
      widenAscii16<BigEndian>(p, out);
      p += 16;
      out += 32;
      continue;
    }
    const auto fourByteLeads = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(static_cast<char>(0xF0))), v)));
    if (fourByteLeads == 0x1111) {  // well-formed input: four whole 4-byte sequences
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), pairsOfFourByte<BigEndian>(v));
      p += 16;
      out += 16;
      continue;
    }
    const auto threeByteLeads = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(static_cast<char>(0xF0))), _mm_set1_epi8(static_cast<char>(0xE0)))));
    if ((threeByteLeads & 0x7FFF) == 0x1249) {  // well-formed input: five whole 3-byte sequences
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), unitsOfFiveThreeByte<BigEndian>(v));
      p += 15;
      out += 10;
      continue;
    }
    // A block with a 4-byte lead among others, or too near either end for
    // the loads at +1 and +2 and the two stores: one scalar sequence.
    if (fourByteLeads != 0 || end - p < 18 || outEnd - out < 32) {
      p = skipContinuations(p, end);
      if (p != end) p = putUtf16Of<BigEndian>(p, out);
      continue;
    }
    // Each 16-bit lane: the byte at a position above the one after it.
    const __m128i next = loadBlock(p + 1);
    const __m128i third = loadBlock(p + 2);
    // 0x80..0xBF are the signed bytes below -64.
    const auto continuations = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64))));
    const unsigned keptLow = ~continuations & 0xFFu;
    const unsigned keptHigh = (~continuations >> 8) & 0xFFu;
    __m128i low, high;
    if (threeByteLeads == 0) {  // Cyrillic, Greek, ...: 1- and 2-byte only
      low = unitsOfOneOrTwoAt(_mm_unpacklo_epi8(next, v));
      high = unitsOfOneOrTwoAt(_mm_unpackhi_epi8(next, v));
    } else {
      low = unitsAt(_mm_unpacklo_epi8(next, v), _mm_unpacklo_epi8(third, zero));
      high = unitsAt(_mm_unpackhi_epi8(next, v), _mm_unpackhi_epi8(third, zero));
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(low, loadTable(kKeptLanes[BigEndian], keptLow)));
    out += 2 * static_cast<unsigned>(__builtin_popcount(keptLow));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out),
                     _mm_shuffle_epi8(high, loadTable(kKeptLanes[BigEndian], keptHigh)));
    out += 2 * static_cast<unsigned>(__builtin_popcount(keptHigh));
    // A fixed step keeps p off the loop's critical path; the next block may
    // start with the continuations of this one's last lead, which its mask drops.
    p += 16;
  }
  return writeUtf16<BigEndian>(skipContinuations(p, end), end, out);
}

template <bool BigEndian>
const u8* decodeSsse3(const u8* p, const u8* end, char*& o) noexcept {
  const __m128i zero = _mm_setzero_si128();
  char* w = o;
  while (end - p >= 16) {
    const __m128i u = inOrder<BigEndian>(loadBlock(p));
    const __m128i top5 = _mm_and_si128(u, splat16(0xF800));
    const auto below800 = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi16(top5, zero)));
    if (below800 == 0xFFFF) {
      if (end - p >= 32 && narrowAscii16<BigEndian>(p, w)) {
        w += 16;
        p += 32;
        continue;
      }
      const __m128i ascii = _mm_cmpeq_epi16(_mm_and_si128(u, splat16(0xFF80)), zero);
      const __m128i two = _mm_or_si128(_mm_or_si128(_mm_srli_epi16(u, 6), splat16(0xC0)),
                                       _mm_slli_epi16(_mm_or_si128(_mm_and_si128(u, splat16(0x3F)), splat16(0x80)), 8));
      const unsigned twoBytes = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_packs_epi16(ascii, ascii))) & 0xFFu;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w),
                       _mm_shuffle_epi8(select(ascii, u, two), loadTable(kUtf8Bytes, twoBytes)));
      w += 8 + __builtin_popcount(twoBytes);
      p += 16;
      continue;
    }
    const auto surrogates =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi16(top5, splat16(0xD800))));
    if (below800 == 0 && surrogates == 0) {
      // Each unit's three bytes: lead and first continuation in a 16-bit lane, the last in another.
      const __m128i leadAndMiddle =
          _mm_or_si128(_mm_or_si128(_mm_srli_epi16(u, 12), splat16(0xE0)),
                       _mm_slli_epi16(_mm_or_si128(_mm_and_si128(_mm_srli_epi16(u, 6), splat16(0x3F)), splat16(0x80)), 8));
      const __m128i last = _mm_or_si128(_mm_and_si128(u, splat16(0x3F)), splat16(0x80));
      constexpr char X = static_cast<char>(0x80);
      const __m128i firstHalf = _mm_or_si128(
          _mm_shuffle_epi8(leadAndMiddle, _mm_setr_epi8(0, 1, X, 2, 3, X, 4, 5, X, 6, 7, X, X, X, X, X)),
          _mm_shuffle_epi8(last, _mm_setr_epi8(X, X, 0, X, X, 2, X, X, 4, X, X, 6, X, X, X, X)));
      const __m128i secondHalf = _mm_or_si128(
          _mm_shuffle_epi8(leadAndMiddle, _mm_setr_epi8(8, 9, X, 10, 11, X, 12, 13, X, 14, 15, X, X, X, X, X)),
          _mm_shuffle_epi8(last, _mm_setr_epi8(X, X, 8, X, X, 10, X, X, 12, X, X, 14, X, X, X, X)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w), firstHalf);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w + 12), secondHalf);
      w += 24;
      p += 16;
      continue;
    }
    // Four pairs: high surrogate in each 32-bit lane's low half, low surrogate above it.
    const __m128i pairTags = _mm_and_si128(u, splat32(0xFC00FC00));
    if (_mm_movemask_epi8(_mm_cmpeq_epi32(pairTags, splat32(0xDC00D800))) == 0xFFFF) {
      const __m128i bits = splat32(0x3FF);
      const __m128i cp = _mm_add_epi32(_mm_or_si128(_mm_slli_epi32(_mm_and_si128(u, bits), 10),
                                                    _mm_and_si128(_mm_srli_epi32(u, 16), bits)),
                                       splat32(0x10000));
      const __m128i six = splat32(0x3F);
      const __m128i bytes = _mm_or_si128(
          _mm_or_si128(_mm_or_si128(_mm_srli_epi32(cp, 18), splat32(0xF0)),
                       _mm_slli_epi32(_mm_or_si128(_mm_and_si128(_mm_srli_epi32(cp, 12), six), splat32(0x80)), 8)),
          _mm_or_si128(_mm_slli_epi32(_mm_or_si128(_mm_and_si128(_mm_srli_epi32(cp, 6), six), splat32(0x80)), 16),
                       _mm_slli_epi32(_mm_or_si128(_mm_and_si128(cp, six), splat32(0x80)), 24)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w), bytes);
      w += 16;
      p += 16;
      continue;
    }
    const unsigned unit = unitAt<BigEndian>(p);
    if (unit < 0xD800 || unit >= 0xE000) {
      w = putUtf8Bmp(w, unit);
      p += 2;
      continue;
    }
    const unsigned next = unitAt<BigEndian>(p + 2);
    if (unit >= 0xDC00 || next < 0xDC00 || next >= 0xE000) break;  // unpaired: the caller's
    w = putUtf8(w, 0x10000 + ((char32_t{unit} - 0xD800) << 10) + (next - 0xDC00));
    p += 4;
  }
  o = w;
  return p;
}

u8* encodeSsse3Be(const u8* p, const u8* end, u8* out, u8* outEnd) noexcept {
  return encodeSsse3<true>(p, end, out, outEnd);
}
u8* encodeSsse3Le(const u8* p, const u8* end, u8* out, u8* outEnd) noexcept {
  return encodeSsse3<false>(p, end, out, outEnd);
}
const u8* decodeSsse3Be(const u8* p, const u8* end, char*& o) noexcept { return decodeSsse3<true>(p, end, o); }
const u8* decodeSsse3Le(const u8* p, const u8* end, char*& o) noexcept { return decodeSsse3<false>(p, end, o); }

}  // namespace
}  // namespace zonebuf::text::detail

ZONEBUF_TEXT_TARGET_END()

namespace zonebuf::text::detail {
namespace {

constexpr Utf16Kernels kSsse3Kernels{{&encodeSsse3Le, &encodeSsse3Be}, {&decodeSsse3Le, &decodeSsse3Be}};

// Null (the scalar path) until the initialiser runs, which is correct too.
const Utf16Kernels* const kKernels = [] () -> const Utf16Kernels* {
  __builtin_cpu_init();
  return __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("popcnt") ? &kSsse3Kernels : nullptr;
}();

}  // namespace

const Utf16Kernels* utf16Kernels() noexcept { return kKernels; }

}  // namespace zonebuf::text::detail

#else  // not x86-64: the portable codec alone

#include "detail/text_utf16.hpp"

namespace zonebuf::text::detail {
const Utf16Kernels* utf16Kernels() noexcept { return nullptr; }
}  // namespace zonebuf::text::detail

#endif
