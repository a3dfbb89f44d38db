// Messages of the text codecs' errors. Everything here runs only on the way
// to a throw, so it favours clarity over speed.
#include "detail/text_errors.hpp"

#include <string>

#include "detail/text_scan.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf::text::detail {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

void appendHexByte(std::string& out, unsigned b) {
  out += "0x";
  out += kHexDigits[(b >> 4) & 0xF];
  out += kHexDigits[b & 0xF];
}

void appendHexBytes(std::string& out, const u8* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) out += ' ';
    appendHexByte(out, p[i]);
  }
}

void appendCodePoint(std::string& out, char32_t cp) {
  out += "U+";
  const int digits = cp > 0xFFFFF ? 6 : cp > 0xFFFF ? 5 : 4;
  for (int i = digits - 1; i >= 0; --i) out += kHexDigits[(cp >> (4 * i)) & 0xF];
}

std::size_t sequenceLengthForLead(unsigned b0) noexcept { return b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4; }

// What is wrong with the ill-formed subpart `s` at `at`, for the message.
void appendUtf8Fault(std::string& msg, const Utf8Sequence& s, const u8* at, std::size_t offset,
                     std::size_t remaining) {
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
      msg += b0 < 0xF8 ? " would start a code point above U+10FFFF" : " never appears in UTF-8";
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
    case Utf8Fault::MissingContinuation:
      appendHexBytes(msg, at, s.length + 1u);
      msg += " is truncated: ";
      appendHexByte(msg, b0);
      msg += " starts a " + std::to_string(sequenceLengthForLead(b0)) + "-byte sequence but ";
      appendHexByte(msg, at[s.length]);
      msg += " at byte " + std::to_string(offset + s.length) + " is not a continuation byte (0x80..0xBF)";
      break;
    case Utf8Fault::Truncated:
      appendHexBytes(msg, at, remaining);
      msg += " is truncated: ";
      appendHexByte(msg, b0);
      msg += " starts a " + std::to_string(sequenceLengthForLead(b0)) + "-byte sequence but the input ends after " +
             std::to_string(remaining) + (remaining == 1 ? " byte" : " bytes");
      break;
    case Utf8Fault::None:
      msg += "internal error: sequence is well-formed";
      break;
  }
}

}  // namespace

void throwMalformedUtf8(const u8* begin, const u8* end, const u8* at, const Charset* encodingTo,
                        std::string_view replacement) {
  const std::size_t offset = static_cast<std::size_t>(at - begin);
  std::string msg = "malformed UTF-8 at byte " + std::to_string(offset);
  if (encodingTo != nullptr) {
    msg += " of the text to encode as ";
    msg += charsetName(*encodingTo);
  }
  msg += ": ";
  appendUtf8Fault(msg, decodeUtf8Sequence(at, end), at, offset, static_cast<std::size_t>(end - at));
  msg += "; pass TextPolicy::Lenient to replace it with ";
  msg += replacement;
  throw MalformedTextError(msg, offset);
}

void throwUnrepresentable(char32_t cp, std::size_t offset, Charset target) {
  std::string msg = "cannot encode ";
  appendCodePoint(msg, cp);
  msg += " (at byte " + std::to_string(offset) + " of the text) as ";
  msg += charsetName(target);
  msg += target == Charset::Ascii ? ", which only has U+0000..U+007F" : ", which only has U+0000..U+00FF";
  msg += "; pass TextPolicy::Lenient to replace it with '?', or use Charset::Utf8";
  throw MalformedTextError(msg, offset);
}

void throwMalformedUtf16(const u8* begin, const u8* end, const u8* at, bool bigEndian) {
  const std::size_t offset = static_cast<std::size_t>(at - begin);
  const std::size_t remaining = static_cast<std::size_t>(end - at);
  std::string msg = "malformed ";
  msg += charsetName(bigEndian ? Charset::Utf16BigEndian : Charset::Utf16LittleEndian);
  msg += " at byte " + std::to_string(offset) + ": ";
  if (remaining == 1) {
    appendHexByte(msg, at[0]);
    msg += " is a lone trailing byte (UTF-16 needs an even number of bytes)";
  } else {
    const unsigned unit = bigEndian ? (unsigned{at[0]} << 8) | at[1] : (unsigned{at[1]} << 8) | at[0];
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

void throwNotAscii(const u8* begin, const u8* at) {
  const std::size_t offset = static_cast<std::size_t>(at - begin);
  std::string msg = "malformed US-ASCII at byte " + std::to_string(offset) + ": ";
  appendHexByte(msg, *at);
  msg +=
      " is not an ASCII byte (0x00..0x7F); pass TextPolicy::Lenient to replace it with U+FFFD, "
      "or decode as Charset::Latin1 or Charset::Utf8 if that is what the bytes are";
  throw MalformedTextError(msg, offset);
}

void throwUnknownCharset(Charset charset) {
  throw InvalidArgumentError("unknown Charset value " + std::to_string(static_cast<unsigned>(charset)));
}

}  // namespace zonebuf::text::detail
