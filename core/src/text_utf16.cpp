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
#include "detail/text_utf16.hpp"
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

template <bool BigEndian>
std::size_t encodeUtf16As(const u8* b, const u8* e, TextPolicy policy, u8* out, std::size_t room,
                          Utf16Kernels::Encode vector) {
  constexpr Charset kTarget = BigEndian ? Charset::Utf16BigEndian : Charset::Utf16LittleEndian;
  const u8* bad = firstInvalidUtf8(b, e);
  if (ZONEBUF_LIKELY(bad == e)) {
    const std::size_t n = 2 * utf16Units(b, e);
    if (out != nullptr && n <= room) {
      [[maybe_unused]] const u8* written =
          vector != nullptr ? vector(b, e, out, out + n) : writeUtf16<BigEndian>(b, e, out);
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
std::string decodeUtf16As(const u8* b, const u8* e, TextPolicy policy, Utf16Kernels::Decode vector) {
  const std::size_t n = static_cast<std::size_t>(e - b);
  // Bound: a unit becomes at most 3 UTF-8 bytes (a pair of units, 4 bytes);
  // a lone trailing byte becomes U+FFFD (3 bytes).
  // 16 more bytes take the whole-vector stores of the kernels (and
  // putUtf8Bmp storing 3 bytes as 4).
  std::string out((n / 2) * 3 + (n & 1) * 3 + 16, '\0');
  char* o = out.data();
  const u8* p = b;
  const u8* const pairsEnd = b + (n & ~std::size_t{1});

  while (p != pairsEnd) {
    if (vector != nullptr && pairsEnd - p >= 16) {
      // Stops at an unpaired surrogate or the last 15 bytes, both for the scalar steps below.
      p = vector(p, pairsEnd, o);
      if (p == pairsEnd) break;
    }
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

const Utf16Kernels* kernelsIf(bool vector) noexcept { return vector ? utf16Kernels() : nullptr; }

}  // namespace

std::size_t encodeAsUtf16Using(const u8* b, const u8* e, bool bigEndian, TextPolicy policy, u8* out,
                               std::size_t room, bool vector) {
  const Utf16Kernels* k = kernelsIf(vector);
  return bigEndian ? encodeUtf16As<true>(b, e, policy, out, room, k != nullptr ? k->encode[1] : nullptr)
                   : encodeUtf16As<false>(b, e, policy, out, room, k != nullptr ? k->encode[0] : nullptr);
}

std::string decodeUtf16Using(const u8* b, const u8* e, bool bigEndian, TextPolicy policy, bool vector) {
  const Utf16Kernels* k = kernelsIf(vector);
  return bigEndian ? decodeUtf16As<true>(b, e, policy, k != nullptr ? k->decode[1] : nullptr)
                   : decodeUtf16As<false>(b, e, policy, k != nullptr ? k->decode[0] : nullptr);
}

std::size_t encodeAsUtf16(const u8* b, const u8* e, bool bigEndian, TextPolicy policy, u8* out,
                          std::size_t room) {
  return encodeAsUtf16Using(b, e, bigEndian, policy, out, room, true);
}

std::string decodeUtf16(const u8* b, const u8* e, bool bigEndian, TextPolicy policy) {
  return decodeUtf16Using(b, e, bigEndian, policy, true);
}

}  // namespace zonebuf::text::detail
