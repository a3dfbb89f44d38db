// US-ASCII and ISO-8859-1: UTF-8 in, one byte per code point out, and back.
// Decoding is one loop for both: ASCII runs are copied, and each byte >= 0x80
// becomes U+FFFD (ASCII, Lenient) or its own code point U+0080..U+00FF (Latin1).
#include <string>

#include "detail/text_codecs.hpp"
#include "detail/text_errors.hpp"
#include "detail/text_scan.hpp"
#include "detail/text_visitors.hpp"

namespace zonebuf::text::detail {
namespace {

std::size_t countHighBytes(const u8* p, const u8* end) noexcept {
  std::size_t count = 0;
  while (end - p >= 8) {
    count += static_cast<std::size_t>(std::popcount(load64(p) & kHighBits));
    p += 8;
  }
  for (; p != end; ++p) count += *p >> 7;
  return count;
}

// Bytes [b, e) whose first byte >= 0x80 is at `first`; every such byte grows
// into kHighBytes UTF-8 bytes that put() writes.
template <std::size_t kHighBytes, class Put>
std::string expandHighBytes(const u8* b, const u8* first, const u8* e, Put put) {
  std::string out(static_cast<std::size_t>(e - b) + (kHighBytes - 1) * countHighBytes(first, e), '\0');
  char* o = out.data();
  const u8* p = b;
  while (p != e) {
    const u8* run = p;
    p = skipAscii(p, e);
    copyBytes(o, run, static_cast<std::size_t>(p - run));
    o += p - run;
    for (; p != e && *p >= 0x80; ++p) o = put(o, *p);
  }
  return out;
}

}  // namespace

std::size_t encodeAsSingleByte(const u8* b, const u8* e, Charset target, TextPolicy policy, u8* out,
                               std::size_t room) {
  const bool strict = policy == TextPolicy::Strict;
  if (target == Charset::Ascii) {
    return strict ? encodeVisiting<Charset::Ascii, TextPolicy::Strict>(b, e, out, room)
                  : encodeVisiting<Charset::Ascii, TextPolicy::Lenient>(b, e, out, room);
  }
  return strict ? encodeVisiting<Charset::Latin1, TextPolicy::Strict>(b, e, out, room)
                : encodeVisiting<Charset::Latin1, TextPolicy::Lenient>(b, e, out, room);
}

std::string decodeSingleByte(const u8* b, const u8* e, Charset charset, TextPolicy policy) {
  const u8* first = skipAscii(b, e);
  if (first == e) return std::string(reinterpret_cast<const char*>(b), static_cast<std::size_t>(e - b));
  if (charset == Charset::Latin1) {
    return expandHighBytes<2>(b, first, e, [](char* o, u8 byte) { return putUtf8(o, byte); });
  }
  if (policy == TextPolicy::Strict) throwNotAscii(b, first);
  return expandHighBytes<3>(b, first, e, [](char* o, u8) { return putReplacement(o); });
}

}  // namespace zonebuf::text::detail
