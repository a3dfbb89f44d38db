// UTF-8 <-> UTF-16BE / UTF-16LE.
//
// Encoding validates with the vector screen first; well-formed text (the
// common case) is then sized by counting bytes and transcoded without further
// checks. Ill-formed text goes through the visitors (text_visitors.hpp), which
// handle every maximal subpart exactly. Decoding pairs surrogates as WHATWG
// TextDecoder does; ASCII runs take 16 units per step both ways.
#include <string>

#include "detail/text_ascii_block.hpp"
#include "detail/text_codecs.hpp"
#include "detail/text_errors.hpp"
#include "detail/text_scan.hpp"
#include "detail/text_visitors.hpp"

namespace zonebuf::text::detail {
namespace {

// UTF-16 units of well-formed UTF-8: one per byte that is not a continuation
// (10xxxxxx), plus one more per 4-byte lead (11110xxx).
std::size_t utf16Units(const u8* p, const u8* end) noexcept {
  std::size_t units = static_cast<std::size_t>(end - p);
#if defined(__SSE2__)
  // Per byte lane: continuations and 4-byte leads seen, each < 256 between folds.
  while (end - p >= 16) {
    __m128i continuations = _mm_setzero_si128();
    __m128i fourByteLeads = _mm_setzero_si128();
    for (int i = 0; i < 255 && end - p >= 16; ++i, p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      // 0x80..0xBF are the signed bytes below -64; a mask lane is -1, so subtracting counts.
      continuations = _mm_sub_epi8(continuations, _mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
      fourByteLeads = _mm_sub_epi8(
          fourByteLeads, _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(static_cast<char>(0xF0))), v));
    }
    const __m128i z = _mm_setzero_si128();
    const __m128i c = _mm_sad_epu8(continuations, z);
    const __m128i f = _mm_sad_epu8(fourByteLeads, z);
    units -= static_cast<std::size_t>(_mm_cvtsi128_si32(c) + _mm_extract_epi16(c, 4));
    units += static_cast<std::size_t>(_mm_cvtsi128_si32(f) + _mm_extract_epi16(f, 4));
  }
#elif defined(__wasm_simd128__)
  for (; end - p >= 16; p += 16) {
    const v128_t v = wasm_v128_load(p);
    const auto continuations = static_cast<unsigned>(wasm_i8x16_bitmask(wasm_i8x16_lt(v, wasm_i8x16_splat(-64))));
    const auto fourByteLeads = static_cast<unsigned>(wasm_i8x16_bitmask(wasm_u8x16_ge(v, wasm_u8x16_splat(0xF0))));
    units = units - static_cast<std::size_t>(__builtin_popcount(continuations)) +
            static_cast<std::size_t>(__builtin_popcount(fourByteLeads));
  }
#endif
  for (; p != end; ++p) units = units - ((*p & 0xC0) == 0x80) + (*p >= 0xF0);
  return units;
}

// Well-formed UTF-8 [p, end) -> UTF-16 at out; returns one past the last byte written.
// Branches on the sequence length (unlike the decoder): the next read depends
// on it, and a predicted branch does not wait for that load.
template <bool BigEndian>
u8* writeUtf16(const u8* p, const u8* end, u8* out) noexcept {
  while (p != end) {
    const unsigned b0 = *p;
    if (b0 < 0x80) {
      while (end - p >= 16 && isAscii16(p)) {
        widenAscii16<BigEndian>(p, out);
        p += 16;
        out += 32;
      }
      for (; p != end && *p < 0x80; ++p) out = putUnit16<BigEndian>(out, *p);
      continue;
    }
    if (b0 < 0xE0) {
      out = putUnit16<BigEndian>(out, ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu));
      p += 2;
    } else if (b0 < 0xF0) {
      out = putUnit16<BigEndian>(out, ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
      p += 3;
    } else {
      const char32_t cp = ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
      out = putPair16<BigEndian>(out, cp);
      p += 4;
    }
  }
  return out;
}

template <bool BigEndian>
std::size_t encodeUtf16As(const u8* b, const u8* e, TextPolicy policy, u8* out, std::size_t room) {
  constexpr Charset kTarget = BigEndian ? Charset::Utf16BigEndian : Charset::Utf16LittleEndian;
  const u8* bad = firstInvalidUtf8(b, e);
  if (ZONEBUF_LIKELY(bad == e)) {
    const std::size_t n = 2 * utf16Units(b, e);
    if (out != nullptr && n <= room) {
      [[maybe_unused]] const u8* written = writeUtf16<BigEndian>(b, e, out);
      ZONEBUF_ASSERT(static_cast<std::size_t>(written - out) == n, "utf16Units disagrees with the transcoder");
    }
    return n;
  }
  if (policy == TextPolicy::Strict) {
    const Charset target = kTarget;
    throwMalformedUtf8(b, e, bad, &target, kReplacementName<kTarget>);
  }
  return encodeVisiting<kTarget, TextPolicy::Lenient>(b, e, out, room);
}

template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE unsigned unitAt(const u8* q) noexcept {
  return BigEndian ? (unsigned{q[0]} << 8) | q[1] : (unsigned{q[1]} << 8) | q[0];
}

// u <= 0xFFFF, not a surrogate: its 1 to 3 UTF-8 bytes. Needs 4 writable
// bytes at o. Text that mixes 1- and 2-byte characters (Cyrillic, Greek, ...
// with spaces) takes no branch on the length; 3-byte (CJK) text rarely mixes.
ZONEBUF_ALWAYS_INLINE char* putUtf8Bmp(char* o, unsigned u) noexcept {
  std::uint32_t bytes;  // first byte lowest
  unsigned length;
  if (u >= 0x800) {
    bytes = (0xE0u | (u >> 12)) | ((0x80u | ((u >> 6) & 0x3F)) << 8) | ((0x80u | (u & 0x3F)) << 16);
    length = 3;
  } else {
    const std::uint32_t two = (0xC0u | (u >> 6)) | ((0x80u | (u & 0x3F)) << 8);
    bytes = u < 0x80 ? u : two;
    length = 1u + (u >= 0x80);
  }
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(o, &bytes, 4);
  } else {
    for (unsigned i = 0; i < 4; ++i) o[i] = static_cast<char>(bytes >> (8 * i));
  }
  return o + length;
}

template <bool BigEndian>
std::string decodeUtf16As(const u8* b, const u8* e, TextPolicy policy) {
  const std::size_t n = static_cast<std::size_t>(e - b);
  // Bound: a unit becomes at most 3 UTF-8 bytes (a pair of units, 4 bytes);
  // a lone trailing byte becomes U+FFFD (3 bytes).
  // One more byte lets putUtf8Bmp store 3 bytes as 4.
  std::string out((n / 2) * 3 + (n & 1) * 3 + 1, '\0');
  char* o = out.data();
  const u8* p = b;
  const u8* const pairsEnd = b + (n & ~std::size_t{1});

  while (p != pairsEnd) {
    const unsigned unit = unitAt<BigEndian>(p);
    if (unit < 0x80 && pairsEnd - p >= 32 && narrowAscii16<BigEndian>(p, o)) {
      p += 32;
      o += 16;
      while (pairsEnd - p >= 32 && narrowAscii16<BigEndian>(p, o)) {
        p += 32;
        o += 16;
      }
      continue;
    }
    if (unit < 0xD800 || unit >= 0xE000) {
      // A run of units outside the surrogates: all text but emoji and rarer scripts.
      unsigned u = unit;
      do {
        o = putUtf8Bmp(o, u);
        p += 2;
      } while (p != pairsEnd && ((u = unitAt<BigEndian>(p)) < 0xD800 || u >= 0xE000));
      continue;
    }
    if (unit < 0xDC00 && pairsEnd - p >= 4) {
      const unsigned next = unitAt<BigEndian>(p + 2);
      if (next >= 0xDC00 && next < 0xE000) {
        o = putUtf8(o, 0x10000 + ((char32_t{unit} - 0xD800) << 10) + (next - 0xDC00));
        p += 4;
        continue;
      }
    }
    // Unpaired surrogate.
    if (policy == TextPolicy::Strict) throwMalformedUtf16(b, e, p, BigEndian);
    o = putReplacement(o);
    // WHATWG: a high surrogate followed only by the odd trailing byte is one error.
    p = (unit < 0xDC00 && e - p == 3) ? e : p + 2;
    if (p == e) break;
  }
  if (p != e) {  // lone trailing byte
    if (policy == TextPolicy::Strict) throwMalformedUtf16(b, e, p, BigEndian);
    o = putReplacement(o);
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

}  // namespace

std::size_t encodeAsUtf16(const u8* b, const u8* e, bool bigEndian, TextPolicy policy, u8* out,
                          std::size_t room) {
  return bigEndian ? encodeUtf16As<true>(b, e, policy, out, room) : encodeUtf16As<false>(b, e, policy, out, room);
}

std::string decodeUtf16(const u8* b, const u8* e, bool bigEndian, TextPolicy policy) {
  return bigEndian ? decodeUtf16As<true>(b, e, policy) : decodeUtf16As<false>(b, e, policy);
}

}  // namespace zonebuf::text::detail
