// Text codecs: UTF-8 <-> UTF-8 / UTF-16BE / UTF-16LE / US-ASCII / ISO-8859-1.
//
// Structure: one UTF-8 scanner (forEachScalar) drives small per-target visitors
// that either count or write bytes, so encodedSize and encode cannot disagree.
// Runs of ASCII are skipped 8 bytes at a time (a uint64_t loaded with memcpy and
// masked with 0x80 in every byte; uint64_t, not size_t, so wasm32 behaves the
// same). Everything that builds an error message is out of line and cold.
#include "zonebuf/core/text_codec.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__GNUC__) || defined(__clang__)
#define ZB_COLD [[gnu::cold, gnu::noinline]]
#define ZB_INLINE [[gnu::always_inline]] inline
#else
#define ZB_COLD
#define ZB_INLINE inline
#endif

namespace zonebuf {

std::string_view charsetName(Charset charset) noexcept {
  switch (charset) {
    case Charset::Utf8: return "UTF-8";
    case Charset::Utf16BigEndian: return "UTF-16BE";
    case Charset::Utf16LittleEndian: return "UTF-16LE";
    case Charset::Ascii: return "US-ASCII";
    case Charset::Latin1: return "ISO-8859-1";
  }
  return "unknown charset";
}

namespace text {
namespace {

using u8 = std::uint8_t;

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

ZB_INLINE std::uint64_t load64(const u8* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// The uint64_t that load64 returns for these 8 bytes (std::bit_cast is missing
// from older Emscripten libc++).
constexpr std::uint64_t wordOfBytes(std::array<u8, 8> bytes) noexcept {
  std::uint64_t w = 0;
  for (unsigned i = 0; i < 8; ++i) {
    const unsigned shift = std::endian::native == std::endian::little ? 8 * i : 8 * (7 - i);
    w |= std::uint64_t{bytes[i]} << shift;
  }
  return w;
}
static_assert(wordOfBytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}) == kHighBits);

ZB_INLINE const u8* asBytes(std::string_view s) noexcept {
  return reinterpret_cast<const u8*>(s.data());
}

// memcpy with a possibly-null pointer and zero length is undefined; guard it.
ZB_INLINE void copyBytes(void* dst, const void* src, std::size_t n) noexcept {
  if (n != 0) std::memcpy(dst, src, n);
}

// First byte >= 0x80 in [p, end), or end.
ZB_INLINE const u8* skipAscii(const u8* p, const u8* end) noexcept {
  while (end - p >= 8) {
    const std::uint64_t high = load64(p) & kHighBits;
    if (high != 0) {
      if constexpr (std::endian::native == std::endian::little) {
        return p + (std::countr_zero(high) >> 3);
      } else if constexpr (std::endian::native == std::endian::big) {
        return p + (std::countl_zero(high) >> 3);
      } else {
        break;
      }
    }
    p += 8;
  }
  while (p != end && *p < 0x80) ++p;
  return p;
}

std::size_t countHighBytes(const u8* p, const u8* end) noexcept {
  std::size_t count = 0;
  while (end - p >= 8) {
    count += static_cast<std::size_t>(std::popcount(load64(p) & kHighBits));
    p += 8;
  }
  for (; p != end; ++p) count += *p >> 7;
  return count;
}

// ---- UTF-8 scanning ---------------------------------------------------------

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
  Truncated,          // input ends inside a sequence
};

// A well-formed scalar (fault None, length 1..4) or a maximal ill-formed subpart
// (fault set, length 1..3).
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

// Decodes the sequence at p (p < end, *p >= 0x80 expected but not required),
// following Unicode Table 3-7 exactly.
ZB_INLINE Utf8Sequence decodeUtf8Sequence(const u8* p, const u8* end) noexcept {
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

// Start of the first ill-formed subpart in [p, end), or end.
const u8* firstInvalidUtf8(const u8* p, const u8* end) noexcept {
  for (;;) {
    p = skipAscii(p, end);
    if (p == end) return end;
    const Utf8Sequence s = decodeUtf8Sequence(p, end);
    if (s.fault != Utf8Fault::None) return p;
    p += s.length;
  }
}

// Visits the input in order: v.ascii(ptr, n) for ASCII runs, v.scalar(cp, ptr)
// for other well-formed scalars, v.invalid(ptr) for each maximal ill-formed subpart.
template <class Visitor>
ZB_INLINE void forEachScalar(const u8* p, const u8* end, Visitor& v) {
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

// ---- error messages (cold) --------------------------------------------------

void appendHexByte(std::string& out, unsigned b) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out += "0x";
  out += kDigits[(b >> 4) & 0xF];
  out += kDigits[b & 0xF];
}

void appendHexBytes(std::string& out, const u8* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) out += ' ';
    appendHexByte(out, p[i]);
  }
}

void appendCodePoint(std::string& out, char32_t cp) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out += "U+";
  int digits = cp > 0xFFFFF ? 6 : cp > 0xFFFF ? 5 : 4;
  for (int i = digits - 1; i >= 0; --i) out += kDigits[(cp >> (4 * i)) & 0xF];
}

std::size_t sequenceLengthForLead(unsigned b0) noexcept { return b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4; }

// `encodingTo` is the target charset when the UTF-8 is the input of encode(),
// or null when decoding; `replacement` names what Lenient would substitute.
ZB_COLD [[noreturn]] void throwMalformedUtf8(const u8* begin, const u8* end, const u8* at,
                                             const Charset* encodingTo,
                                             std::string_view replacement) {
  const Utf8Sequence s = decodeUtf8Sequence(at, end);
  const std::size_t offset = static_cast<std::size_t>(at - begin);
  const std::size_t remaining = static_cast<std::size_t>(end - at);
  std::string msg = "malformed UTF-8 at byte " + std::to_string(offset);
  if (encodingTo != nullptr) {
    msg += " of the text to encode as ";
    msg += charsetName(*encodingTo);
  }
  msg += ": ";
  const unsigned b0 = at[0];
  switch (s.fault) {
    case Utf8Fault::StrayContinuation:
      appendHexByte(msg, b0);
      msg += " is a continuation byte without a lead byte";
      break;
    case Utf8Fault::OverlongLead:
      appendHexByte(msg, b0);
      msg += " can only start an overlong encoding (code points below U+0080 take 1 byte)";
      break;
    case Utf8Fault::InvalidLead:
      appendHexByte(msg, b0);
      msg += b0 < 0xF8 ? " would start a code point above U+10FFFF"
                       : " never appears in UTF-8";
      break;
    case Utf8Fault::OverlongThree:
      appendHexBytes(msg, at, 2);
      msg += " is an overlong encoding (code points below U+0800 take fewer than 3 bytes)";
      break;
    case Utf8Fault::OverlongFour:
      appendHexBytes(msg, at, 2);
      msg += " is an overlong encoding (code points below U+10000 take fewer than 4 bytes)";
      break;
    case Utf8Fault::Surrogate:
      appendHexBytes(msg, at, 2);
      msg += " encodes a surrogate (U+D800..U+DFFF are not allowed in UTF-8)";
      break;
    case Utf8Fault::AboveMaximum:
      appendHexBytes(msg, at, 2);
      msg += " encodes a code point above U+10FFFF";
      break;
    case Utf8Fault::MissingContinuation: {
      appendHexBytes(msg, at, s.length + 1u);
      msg += " is truncated: ";
      appendHexByte(msg, b0);
      msg += " starts a " + std::to_string(sequenceLengthForLead(b0)) + "-byte sequence but ";
      appendHexByte(msg, at[s.length]);
      msg += " at byte " + std::to_string(offset + s.length) +
             " is not a continuation byte (0x80..0xBF)";
      break;
    }
    case Utf8Fault::Truncated:
      appendHexBytes(msg, at, remaining);
      msg += " is truncated: ";
      appendHexByte(msg, b0);
      msg += " starts a " + std::to_string(sequenceLengthForLead(b0)) +
             "-byte sequence but the input ends after " + std::to_string(remaining) +
             (remaining == 1 ? " byte" : " bytes");
      break;
    case Utf8Fault::None:
      msg += "internal error: sequence is well-formed";
      break;
  }
  msg += "; pass TextPolicy::Lenient to replace it with ";
  msg += replacement;
  throw MalformedTextError(msg, offset);
}

ZB_COLD [[noreturn]] void throwUnrepresentable(char32_t cp, std::size_t offset, Charset target) {
  std::string msg = "cannot encode ";
  appendCodePoint(msg, cp);
  msg += " (at byte " + std::to_string(offset) + " of the text) as ";
  msg += charsetName(target);
  msg += target == Charset::Ascii ? ", which only has U+0000..U+007F"
                                  : ", which only has U+0000..U+00FF";
  msg += "; pass TextPolicy::Lenient to replace it with '?', or use Charset::Utf8";
  throw MalformedTextError(msg, offset);
}

ZB_COLD [[noreturn]] void throwMalformedUtf16(const u8* begin, const u8* end, const u8* at,
                                              bool bigEndian) {
  const std::size_t offset = static_cast<std::size_t>(at - begin);
  const std::size_t remaining = static_cast<std::size_t>(end - at);
  std::string msg = "malformed ";
  msg += charsetName(bigEndian ? Charset::Utf16BigEndian : Charset::Utf16LittleEndian);
  msg += " at byte " + std::to_string(offset) + ": ";
  const auto unitAt = [bigEndian](const u8* q) -> unsigned {
    return bigEndian ? (unsigned{q[0]} << 8) | q[1] : (unsigned{q[1]} << 8) | q[0];
  };
  if (remaining == 1) {
    appendHexByte(msg, at[0]);
    msg += " is a lone trailing byte (UTF-16 needs an even number of bytes)";
  } else {
    const unsigned unit = unitAt(at);
    appendHexBytes(msg, at, 2);
    if (unit >= 0xDC00) {
      msg += " is a low surrogate without a preceding high surrogate";
    } else if (remaining >= 4) {
      msg += " is a high surrogate not followed by a low surrogate (next: ";
      appendHexBytes(msg, at + 2, 2);
      msg += ")";
    } else if (remaining == 3) {
      msg += " is a high surrogate followed only by a lone trailing byte ";
      appendHexByte(msg, at[2]);
    } else {
      msg += " is a high surrogate at the end of the input (its low surrogate is missing)";
    }
  }
  msg += "; pass TextPolicy::Lenient to replace it with U+FFFD";
  throw MalformedTextError(msg, offset);
}

ZB_COLD [[noreturn]] void throwNotAscii(const u8* begin, const u8* at) {
  const std::size_t offset = static_cast<std::size_t>(at - begin);
  std::string msg = "malformed US-ASCII at byte " + std::to_string(offset) + ": ";
  appendHexByte(msg, *at);
  msg +=
      " is not an ASCII byte (0x00..0x7F); pass TextPolicy::Lenient to replace it with U+FFFD, "
      "or decode as Charset::Latin1 or Charset::Utf8 if that is what the bytes are";
  throw MalformedTextError(msg, offset);
}

// ---- UTF-8 -> UTF-8 ---------------------------------------------------------

constexpr char kReplacementUtf8[3] = {'\xEF', '\xBF', '\xBD'};

// Lenient UTF-8 -> UTF-8: size with each maximal ill-formed subpart counted as U+FFFD.
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

// Writes the sanitized text; returns one past the last byte written.
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

// ---- UTF-8 -> UTF-16 / ASCII / Latin1 visitors ------------------------------

template <Charset Target>
constexpr std::size_t kUnitBytes = (Target == Charset::Utf16BigEndian ||
                                    Target == Charset::Utf16LittleEndian)
                                       ? 2
                                       : 1;

template <Charset Target>
constexpr char32_t kMaxScalar = Target == Charset::Ascii    ? 0x7F
                                : Target == Charset::Latin1 ? 0xFF
                                                            : 0x10FFFF;

template <Charset Target>
constexpr std::string_view kReplacementName = kUnitBytes<Target> == 2 ? "U+FFFD" : "'?'";

template <Charset Target, TextPolicy Policy>
struct SizeVisitor {
  const u8* begin;
  const u8* end;
  std::size_t size = 0;

  ZB_INLINE void ascii(const u8*, std::size_t n) noexcept { size += n * kUnitBytes<Target>; }
  ZB_INLINE void scalar(char32_t cp, const u8* at) {
    if constexpr (kUnitBytes<Target> == 2) {
      size += cp >= 0x10000 ? 4 : 2;
    } else {
      if constexpr (Policy == TextPolicy::Strict) {
        if (cp > kMaxScalar<Target>) {
          throwUnrepresentable(cp, static_cast<std::size_t>(at - begin), Target);
        }
      }
      size += 1;
    }
  }
  ZB_INLINE void invalid(const u8* at) {
    if constexpr (Policy == TextPolicy::Strict) {
      const Charset target = Target;
      throwMalformedUtf8(begin, end, at, &target, kReplacementName<Target>);
    }
    size += kUnitBytes<Target>;
  }
};

template <Charset Target, TextPolicy Policy>
struct WriteVisitor {
  const u8* begin;
  const u8* end;
  u8* out;

  static constexpr bool kBigEndian = Target == Charset::Utf16BigEndian;

  ZB_INLINE void unit16(unsigned u) noexcept {
    if constexpr (kBigEndian) {
      out[0] = static_cast<u8>(u >> 8);
      out[1] = static_cast<u8>(u);
    } else {
      out[0] = static_cast<u8>(u);
      out[1] = static_cast<u8>(u >> 8);
    }
    out += 2;
  }

  ZB_INLINE void ascii(const u8* p, std::size_t n) noexcept {
    if constexpr (kUnitBytes<Target> == 2) {
      constexpr std::size_t hi = kBigEndian ? 0 : 1;
      for (std::size_t i = 0; i < n; ++i) {
        out[2 * i + hi] = 0;
        out[2 * i + (1 - hi)] = p[i];
      }
      out += 2 * n;
    } else {
      std::memcpy(out, p, n);
      out += n;
    }
  }
  ZB_INLINE void scalar(char32_t cp, const u8* at) {
    if constexpr (kUnitBytes<Target> == 2) {
      if (cp < 0x10000) {
        unit16(cp);
      } else {
        const char32_t v = cp - 0x10000;
        unit16(0xD800 | (v >> 10));
        unit16(0xDC00 | (v & 0x3FF));
      }
    } else {
      if (cp > kMaxScalar<Target>) {
        if constexpr (Policy == TextPolicy::Strict) {
          throwUnrepresentable(cp, static_cast<std::size_t>(at - begin), Target);
        }
        *out++ = '?';
      } else {
        *out++ = static_cast<u8>(cp);
      }
    }
  }
  ZB_INLINE void invalid(const u8* at) {
    if constexpr (Policy == TextPolicy::Strict) {
      const Charset target = Target;
      throwMalformedUtf8(begin, end, at, &target, kReplacementName<Target>);
    }
    if constexpr (kUnitBytes<Target> == 2) {
      unit16(0xFFFD);
    } else {
      *out++ = '?';
    }
  }
};

template <Charset Target, TextPolicy Policy>
std::size_t sizeFor(const u8* begin, const u8* end) {
  SizeVisitor<Target, Policy> v{begin, end};
  forEachScalar(begin, end, v);
  return v.size;
}

template <Charset Target, TextPolicy Policy>
void writeFor(const u8* begin, const u8* end, u8* out) {
  WriteVisitor<Target, Policy> v{begin, end, out};
  forEachScalar(begin, end, v);
}

template <TextPolicy Policy>
std::size_t encodedSizeImpl(const u8* b, const u8* e, Charset charset) {
  switch (charset) {
    case Charset::Utf8:
      if constexpr (Policy == TextPolicy::Strict) {
        const u8* bad = firstInvalidUtf8(b, e);
        if (bad != e) {
          const Charset target = Charset::Utf8;
          throwMalformedUtf8(b, e, bad, &target, "U+FFFD");
        }
        return static_cast<std::size_t>(e - b);
      } else {
        return sanitizedUtf8Size(b, e);
      }
    case Charset::Utf16BigEndian: return sizeFor<Charset::Utf16BigEndian, Policy>(b, e);
    case Charset::Utf16LittleEndian: return sizeFor<Charset::Utf16LittleEndian, Policy>(b, e);
    case Charset::Ascii: return sizeFor<Charset::Ascii, Policy>(b, e);
    case Charset::Latin1: return sizeFor<Charset::Latin1, Policy>(b, e);
  }
  throw InvalidArgumentError("unknown Charset value " +
                             std::to_string(static_cast<unsigned>(charset)));
}

template <TextPolicy Policy>
void encodeImpl(const u8* b, const u8* e, Charset charset, u8* out) {
  switch (charset) {
    case Charset::Utf8:
      if constexpr (Policy == TextPolicy::Strict) {
        const u8* bad = firstInvalidUtf8(b, e);
        if (bad != e) {
          const Charset target = Charset::Utf8;
          throwMalformedUtf8(b, e, bad, &target, "U+FFFD");
        }
        copyBytes(out, b, static_cast<std::size_t>(e - b));
      } else {
        writeSanitizedUtf8(b, e, out);
      }
      return;
    case Charset::Utf16BigEndian: return writeFor<Charset::Utf16BigEndian, Policy>(b, e, out);
    case Charset::Utf16LittleEndian:
      return writeFor<Charset::Utf16LittleEndian, Policy>(b, e, out);
    case Charset::Ascii: return writeFor<Charset::Ascii, Policy>(b, e, out);
    case Charset::Latin1: return writeFor<Charset::Latin1, Policy>(b, e, out);
  }
  throw InvalidArgumentError("unknown Charset value " +
                             std::to_string(static_cast<unsigned>(charset)));
}

// ---- decoders (bytes -> UTF-8) ----------------------------------------------

ZB_INLINE char* putUtf8(char* o, char32_t cp) noexcept {
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

ZB_INLINE char* putReplacement(char* o) noexcept {
  std::memcpy(o, kReplacementUtf8, 3);
  return o + 3;
}

std::string decodeUtf8(const u8* b, const u8* e, TextPolicy policy) {
  const u8* bad = firstInvalidUtf8(b, e);
  if (bad == e) return std::string(reinterpret_cast<const char*>(b), static_cast<std::size_t>(e - b));
  if (policy == TextPolicy::Strict) throwMalformedUtf8(b, e, bad, nullptr, "U+FFFD");
  std::string out(sanitizedUtf8Size(b, e), '\0');
  writeSanitizedUtf8(b, e, reinterpret_cast<u8*>(out.data()));
  return out;
}

template <bool BigEndian>
std::string decodeUtf16(const u8* b, const u8* e, TextPolicy policy) {
  const std::size_t n = static_cast<std::size_t>(e - b);
  // Bound: a unit becomes at most 3 UTF-8 bytes (a pair of units, 4 bytes);
  // a lone trailing byte becomes U+FFFD (3 bytes).
  std::string out((n / 2) * 3 + (n & 1) * 3, '\0');
  char* o = out.data();
  const u8* p = b;
  const u8* const pairsEnd = b + (n & ~std::size_t{1});

  // Four ASCII units: every high byte 0x00, every low byte < 0x80.
  static constexpr std::uint64_t kNotAsciiUnits =
      BigEndian ? wordOfBytes({0xFF, 0x80, 0xFF, 0x80, 0xFF, 0x80, 0xFF, 0x80})
                : wordOfBytes({0x80, 0xFF, 0x80, 0xFF, 0x80, 0xFF, 0x80, 0xFF});
  constexpr std::size_t lo = BigEndian ? 1 : 0;
  const auto unitAt = [](const u8* q) -> unsigned {
    return BigEndian ? (unsigned{q[0]} << 8) | q[1] : (unsigned{q[1]} << 8) | q[0];
  };

  while (p != pairsEnd) {
    while (pairsEnd - p >= 8 && (load64(p) & kNotAsciiUnits) == 0) {
      o[0] = static_cast<char>(p[lo]);
      o[1] = static_cast<char>(p[2 + lo]);
      o[2] = static_cast<char>(p[4 + lo]);
      o[3] = static_cast<char>(p[6 + lo]);
      o += 4;
      p += 8;
    }
    if (p == pairsEnd) break;
    const unsigned unit = unitAt(p);
    if (unit < 0xD800 || unit >= 0xE000) {
      o = putUtf8(o, unit);
      p += 2;
      continue;
    }
    if (unit < 0xDC00 && pairsEnd - p >= 4) {
      const unsigned next = unitAt(p + 2);
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

std::string decodeAscii(const u8* b, const u8* e, TextPolicy policy) {
  const u8* p = skipAscii(b, e);
  if (p == e) return std::string(reinterpret_cast<const char*>(b), static_cast<std::size_t>(e - b));
  if (policy == TextPolicy::Strict) throwNotAscii(b, p);
  const std::size_t high = countHighBytes(p, e);
  std::string out(static_cast<std::size_t>(e - b) + 2 * high, '\0');
  char* o = out.data();
  copyBytes(o, b, static_cast<std::size_t>(p - b));
  o += p - b;
  while (p != e) {
    const u8* run = p;
    p = skipAscii(p, e);
    copyBytes(o, run, static_cast<std::size_t>(p - run));
    o += p - run;
    for (; p != e && *p >= 0x80; ++p) o = putReplacement(o);
  }
  return out;
}

std::string decodeLatin1(const u8* b, const u8* e) {
  const u8* p = skipAscii(b, e);
  if (p == e) return std::string(reinterpret_cast<const char*>(b), static_cast<std::size_t>(e - b));
  const std::size_t high = countHighBytes(p, e);
  std::string out(static_cast<std::size_t>(e - b) + high, '\0');
  char* o = out.data();
  copyBytes(o, b, static_cast<std::size_t>(p - b));
  o += p - b;
  while (p != e) {
    const u8* run = p;
    p = skipAscii(p, e);
    copyBytes(o, run, static_cast<std::size_t>(p - run));
    o += p - run;
    for (; p != e && *p >= 0x80; ++p) {
      o[0] = static_cast<char>(0xC0 | (*p >> 6));
      o[1] = static_cast<char>(0x80 | (*p & 0x3F));
      o += 2;
    }
  }
  return out;
}

}  // namespace

// ---- public API --------------------------------------------------------------

std::size_t encodedSize(std::string_view utf8, Charset charset, TextPolicy policy) {
  const u8* b = asBytes(utf8);
  const u8* e = b + utf8.size();
  return policy == TextPolicy::Strict ? encodedSizeImpl<TextPolicy::Strict>(b, e, charset)
                                      : encodedSizeImpl<TextPolicy::Lenient>(b, e, charset);
}

void encode(std::string_view utf8, Charset charset, TextPolicy policy, std::byte* out) {
  const u8* b = asBytes(utf8);
  const u8* e = b + utf8.size();
  u8* o = reinterpret_cast<u8*>(out);
  if (policy == TextPolicy::Strict) {
    encodeImpl<TextPolicy::Strict>(b, e, charset, o);
  } else {
    encodeImpl<TextPolicy::Lenient>(b, e, charset, o);
  }
}

std::string decode(std::span<const std::byte> bytes, Charset charset, TextPolicy policy) {
  const u8* b = reinterpret_cast<const u8*>(bytes.data());
  const u8* e = b + bytes.size();
  switch (charset) {
    case Charset::Utf8: return decodeUtf8(b, e, policy);
    case Charset::Utf16BigEndian: return decodeUtf16<true>(b, e, policy);
    case Charset::Utf16LittleEndian: return decodeUtf16<false>(b, e, policy);
    case Charset::Ascii: return decodeAscii(b, e, policy);
    case Charset::Latin1: return decodeLatin1(b, e);
  }
  throw InvalidArgumentError("unknown Charset value " +
                             std::to_string(static_cast<unsigned>(charset)));
}

bool isValidUtf8(std::string_view utf8) noexcept {
  const u8* b = asBytes(utf8);
  const u8* e = b + utf8.size();
  return firstInvalidUtf8(b, e) == e;
}

bool isAscii(std::string_view text) noexcept {
  const u8* b = asBytes(text);
  const u8* e = b + text.size();
  return skipAscii(b, e) == e;
}

}  // namespace text
}  // namespace zonebuf
