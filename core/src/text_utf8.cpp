// UTF-8 <-> UTF-8: validation (Strict) or repair (Lenient) plus a copy. The
// vector screen makes the common, well-formed case one pass over the input,
// the kernel copying it once it is known good (short ASCII on AVX-512 from
// registers, without a second load); only ill-formed input takes the scalar
// repair loop.
#include <cstring>
#include <string>

#include "detail/text_codecs.hpp"
#include "detail/text_errors.hpp"
#include "detail/text_scan.hpp"

namespace zonebuf::text::detail {
namespace {

// Size of [p, end) with each maximal ill-formed subpart counted as U+FFFD;
// p is a sequence boundary.
std::size_t sanitizedUtf8Size(const u8* p, const u8* end) noexcept {
  std::size_t size = 0;
  for (;;) {
    const u8* bad = firstInvalidUtf8(p, end);
    size += static_cast<std::size_t>(bad - p);
    if (bad == end) return size;
    size += 3;
    p = bad + decodeUtf8Sequence(bad, end).length;
  }
}

// Writes the repaired text; returns one past the last byte written.
u8* writeSanitizedUtf8(const u8* p, const u8* end, u8* out) noexcept {
  for (;;) {
    const u8* bad = firstInvalidUtf8(p, end);
    const auto n = static_cast<std::size_t>(bad - p);
    copyBytes(out, p, n);
    out += n;
    if (bad == end) return out;
    std::memcpy(out, kReplacementUtf8, 3);
    out += 3;
    p = bad + decodeUtf8Sequence(bad, end).length;
  }
}

}  // namespace

std::size_t encodeAsUtf8(const u8* b, const u8* e, TextPolicy policy, u8* out, std::size_t room) {
  std::size_t n = static_cast<std::size_t>(e - b);
  // Well-formed text is its own encoding: the screen copies it as it
  // finishes, and writes nothing when it is ill-formed (the repair may not fit).
  const u8* bad = firstInvalidUtf8(b, e, out != nullptr && n <= room ? out : nullptr);
  if (ZONEBUF_LIKELY(bad == e)) return n;
  if (policy == TextPolicy::Strict) {
    const Charset target = Charset::Utf8;
    throwMalformedUtf8(b, e, bad, &target, "U+FFFD");
  }
  n = static_cast<std::size_t>(bad - b) + sanitizedUtf8Size(bad, e);
  if (out != nullptr && n <= room) writeSanitizedUtf8(b, e, out);
  return n;
}

std::string decodeUtf8(const u8* b, const u8* e, TextPolicy policy) {
  const u8* bad = firstInvalidUtf8(b, e);
  if (ZONEBUF_LIKELY(bad == e)) {
    return std::string(reinterpret_cast<const char*>(b), static_cast<std::size_t>(e - b));
  }
  if (policy == TextPolicy::Strict) throwMalformedUtf8(b, e, bad, nullptr, "U+FFFD");
  std::string out(static_cast<std::size_t>(bad - b) + sanitizedUtf8Size(bad, e), '\0');
  writeSanitizedUtf8(b, e, reinterpret_cast<u8*>(out.data()));
  return out;
}

}  // namespace zonebuf::text::detail
