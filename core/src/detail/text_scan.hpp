// UTF-8 scanning shared by every codec: ASCII skipping, the exact scalar
// decoder of one sequence (Unicode Table 3-7), the first ill-formed subpart,
// and the walk over scalars that the UTF-16 / single-byte encoders visit.
//
// Invariants:
//  * decodeUtf8Sequence(p, end) needs p < end; it returns a well-formed scalar
//    (fault None, length 1..4) or one maximal ill-formed subpart (fault set,
//    length 1..3), and never reads at or past end.
//  * firstInvalidUtf8(p, end, copyTo) needs p to be a sequence boundary (the
//    start of the text, or just past a maximal ill-formed subpart); it returns
//    the start of the first ill-formed subpart of [p, end), or end; in that
//    case only, it has also copied [p, end) to copyTo when that is not null.
//    The vector screen (text_utf8_vector.hpp) only says where to look; this
//    scalar decoder alone names the error, so both paths give the same answer.
//  * Runs of ASCII are skipped 8 bytes at a time through a uint64_t (not
//    size_t, so wasm32 behaves the same).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "text_utf8_vector.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf::text::detail {

using u8 = std::uint8_t;

inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
inline constexpr char kReplacementUtf8[3] = {'\xEF', '\xBF', '\xBD'};

ZONEBUF_ALWAYS_INLINE std::uint64_t load64(const u8* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

ZONEBUF_ALWAYS_INLINE const u8* asBytes(std::string_view s) noexcept {
  return reinterpret_cast<const u8*>(s.data());
}

// memcpy with a possibly-null pointer and zero length is undefined; guard it.
ZONEBUF_ALWAYS_INLINE void copyBytes(void* dst, const void* src, std::size_t n) noexcept {
  if (n != 0) std::memcpy(dst, src, n);
}

// Index of the first byte whose high bit is set in a non-zero masked word.
ZONEBUF_ALWAYS_INLINE unsigned firstHighByte(std::uint64_t high) noexcept {
  static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big);
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<unsigned>(std::countr_zero(high)) >> 3;
  } else {
    return static_cast<unsigned>(std::countl_zero(high)) >> 3;
  }
}

// First byte >= 0x80 in [p, end), or end.
ZONEBUF_ALWAYS_INLINE const u8* skipAscii(const u8* p, const u8* end) noexcept {
  while (end - p >= 8) {
    const std::uint64_t high = load64(p) & kHighBits;
    if (high != 0) return p + firstHighByte(high);
    p += 8;
  }
  while (p != end && *p < 0x80) ++p;
  return p;
}

enum class Utf8Fault : u8 {
  None,
  StrayContinuation,  // 80..BF with no lead byte
  OverlongLead,       // C0, C1
  InvalidLead,        // F5..FF
  OverlongThree,      // E0 80..9F
  OverlongFour,       // F0 80..8F
  Surrogate,          // ED A0..BF
  AboveMaximum,       // F4 90..BF
  MissingContinuation,
  Truncated,  // input ends inside a sequence
};

struct Utf8Sequence {
  char32_t codePoint;
  u8 length;
  Utf8Fault fault;
};

constexpr Utf8Fault secondByteFault(unsigned b0, unsigned b1) noexcept {
  if ((b1 & 0xC0) != 0x80) return Utf8Fault::MissingContinuation;
  switch (b0) {
    case 0xE0: return Utf8Fault::OverlongThree;
    case 0xED: return Utf8Fault::Surrogate;
    case 0xF0: return Utf8Fault::OverlongFour;
    default: return Utf8Fault::AboveMaximum;  // 0xF4
  }
}

ZONEBUF_ALWAYS_INLINE Utf8Sequence decodeUtf8Sequence(const u8* p, const u8* end) noexcept {
  ZONEBUF_ASSERT(p < end);
  const unsigned b0 = p[0];
  const std::size_t avail = static_cast<std::size_t>(end - p);
  if (b0 < 0x80) return {b0, 1, Utf8Fault::None};
  if (b0 < 0xC2) {
    return {0, 1, b0 < 0xC0 ? Utf8Fault::StrayContinuation : Utf8Fault::OverlongLead};
  }
  if (b0 < 0xE0) {
    if (avail < 2) return {0, 1, Utf8Fault::Truncated};
    const unsigned b1 = p[1];
    if ((b1 & 0xC0) != 0x80) return {0, 1, Utf8Fault::MissingContinuation};
    return {((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu), 2, Utf8Fault::None};
  }
  if (b0 < 0xF5) {
    // Three- and four-byte sequences: only the second byte's range depends on
    // the lead (Table 3-7); every later byte is a plain continuation.
    const unsigned length = b0 < 0xF0 ? 3 : 4;
    if (avail < 2) return {0, 1, Utf8Fault::Truncated};
    const unsigned b1 = p[1];
    const unsigned lo = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
    if (b1 < lo || b1 > hi) return {0, 1, secondByteFault(b0, b1)};
    char32_t cp = ((b0 & (length == 3 ? 0x0Fu : 0x07u)) << 6) | (b1 & 0x3Fu);
    for (unsigned k = 2; k < length; ++k) {
      if (avail <= k) return {0, static_cast<u8>(k), Utf8Fault::Truncated};
      const unsigned bk = p[k];
      if ((bk & 0xC0) != 0x80) return {0, static_cast<u8>(k), Utf8Fault::MissingContinuation};
      cp = (cp << 6) | (bk & 0x3Fu);
    }
    return {cp, static_cast<u8>(length), Utf8Fault::None};
  }
  return {0, 1, Utf8Fault::InvalidLead};
}

// The scalar reference: start of the first ill-formed subpart in [p, end), or end.
inline const u8* scalarFirstInvalidUtf8(const u8* p, const u8* end) noexcept {
  for (;;) {
    p = skipAscii(p, end);
    if (p == end) return end;
    const Utf8Sequence s = decodeUtf8Sequence(p, end);
    if (s.fault != Utf8Fault::None) return p;
    p += s.length;
  }
}

// Where the scalar decoder resumes when the vector screen flagged the block at
// `hit`: [p, hit) is well-formed except that it may end inside a sequence, so
// the sequence boundary at or before hit is at most 3 bytes back (the lead of
// that unfinished sequence), or hit itself.
ZONEBUF_ALWAYS_INLINE const u8* restartPoint(const u8* p, const u8* hit) noexcept {
  for (std::ptrdiff_t k = 1; k <= 3 && k <= hit - p; ++k) {
    const unsigned b = hit[-k];
    if (b < 0x80) break;
    if (b >= 0xC0) return hit - k;
  }
  return hit;
}

// copyTo: null, or end - p writable bytes apart from the input; when the
// answer is end, [p, end) has been copied there, otherwise nothing is written.
inline const u8* firstInvalidUtf8(const u8* p, const u8* end, u8* copyTo = nullptr) noexcept {
  const u8* const begin = p;
  // Short ASCII text is done in a few word loads, before the screen's set-up;
  // the first non-ASCII byte after ASCII is a sequence boundary.
  const bool isShort = end - p < 32;
  if (isShort) {
    p = skipAscii(p, end);
    if (p == end) {
      if (copyTo != nullptr) copyBytes(copyTo, begin, static_cast<std::size_t>(end - begin));
      return end;
    }
  }
  const u8* hit = screenUtf8(p, end, isShort ? nullptr : copyTo);
  ZONEBUF_ASSERT(hit >= p && hit <= end);
  // Debug and sanitizer builds check every answer against the scalar decoder.
  ZONEBUF_ASSERT_EXPENSIVE((hit == end ? end : scalarFirstInvalidUtf8(restartPoint(p, hit), end)) ==
                               scalarFirstInvalidUtf8(p, end),
                           "the vector screen and the scalar decoder disagree");
  const u8* bad = ZONEBUF_LIKELY(hit == end) ? end : scalarFirstInvalidUtf8(restartPoint(p, hit), end);
  // The screen copies only what it vouched for; text it did not (short, or
  // no vector unit) is copied here once the scalar decoder agrees.
  if (copyTo != nullptr && bad == end && (isShort || hit != end)) {
    copyBytes(copyTo, begin, static_cast<std::size_t>(end - begin));
  }
  return bad;
}

// Visits the input in order: v.ascii(ptr, n) for ASCII runs, v.scalar(cp, ptr)
// for other well-formed scalars, v.invalid(ptr) for each maximal ill-formed subpart.
template <class Visitor>
ZONEBUF_ALWAYS_INLINE void forEachScalar(const u8* p, const u8* end, Visitor& v) {
  while (p != end) {
    const u8* run = p;
    p = skipAscii(p, end);
    if (p != run) v.ascii(run, static_cast<std::size_t>(p - run));
    if (p == end) return;
    const Utf8Sequence s = decodeUtf8Sequence(p, end);
    if (s.fault == Utf8Fault::None) {
      v.scalar(s.codePoint, p);
    } else {
      v.invalid(p);
    }
    p += s.length;
  }
}

ZONEBUF_ALWAYS_INLINE char* putUtf8(char* o, char32_t cp) noexcept {
  if (cp < 0x80) {
    *o++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *o++ = static_cast<char>(0xC0 | (cp >> 6));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = static_cast<char>(0xE0 | (cp >> 12));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *o++ = static_cast<char>(0xF0 | (cp >> 18));
    *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return o;
}

ZONEBUF_ALWAYS_INLINE char* putReplacement(char* o) noexcept {
  std::memcpy(o, kReplacementUtf8, 3);
  return o + 3;
}

}  // namespace zonebuf::text::detail
