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
// (10xxxxxx), plus one more per 4-byte lead (11110xxx). Each byte lane of the
// accumulator gains at most 2 per word, so it is folded every 127 words.
std::size_t utf16Units(const u8* p, const u8* end) noexcept {
  std::size_t units = 0;
  while (end - p >= 8) {
    std::uint64_t lanes = 0;
    for (int i = 0; i < 127 && end - p >= 8; ++i, p += 8) {
      const std::uint64_t w = load64(p);
      const std::uint64_t notContinuation = ~(w & ~(w << 1)) & kHighBits;
      const std::uint64_t fourByteLead = w & (w << 1) & (w << 2) & (w << 3) & kHighBits;
      lanes += (notContinuation >> 7) + (fourByteLead >> 7);
    }
    // Byte lanes -> 16-bit lanes -> one sum.
    const std::uint64_t pairs = (lanes & 0x00FF00FF00FF00FFULL) + ((lanes >> 8) & 0x00FF00FF00FF00FFULL);
    units += static_cast<std::size_t>((pairs * 0x0001000100010001ULL) >> 48);
  }
  for (; p != end; ++p) units += ((*p & 0xC0) != 0x80) + (*p >= 0xF0);
  return units;
}

// Well-formed UTF-8 [p, end) -> UTF-16 at out.
template <bool BigEndian>
void writeUtf16(const u8* p, const u8* end, u8* out) noexcept {
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
}

template <bool BigEndian>
std::size_t encodeUtf16As(const u8* b, const u8* e, TextPolicy policy, u8* out, std::size_t room) {
  constexpr Charset kTarget = BigEndian ? Charset::Utf16BigEndian : Charset::Utf16LittleEndian;
  const u8* bad = firstInvalidUtf8(b, e);
  if (ZONEBUF_LIKELY(bad == e)) {
    const std::size_t n = 2 * utf16Units(b, e);
    if (out != nullptr && n <= room) writeUtf16<BigEndian>(b, e, out);
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

template <bool BigEndian>
std::string decodeUtf16As(const u8* b, const u8* e, TextPolicy policy) {
  const std::size_t n = static_cast<std::size_t>(e - b);
  // Bound: a unit becomes at most 3 UTF-8 bytes (a pair of units, 4 bytes);
  // a lone trailing byte becomes U+FFFD (3 bytes).
  std::string out((n / 2) * 3 + (n & 1) * 3, '\0');
  char* o = out.data();
  const u8* p = b;
  const u8* const pairsEnd = b + (n & ~std::size_t{1});

  while (p != pairsEnd) {
    const unsigned unit = unitAt<BigEndian>(p);
    if (unit < 0x80) {
      while (pairsEnd - p >= 32 && narrowAscii16<BigEndian>(p, o)) {
        p += 32;
        o += 16;
      }
      for (; p != pairsEnd && unitAt<BigEndian>(p) < 0x80; p += 2) *o++ = static_cast<char>(unitAt<BigEndian>(p));
      continue;
    }
    if (unit < 0xD800 || unit >= 0xE000) {
      o = putUtf8(o, unit);
      p += 2;
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
