// The public face of zonebuf::text: picks the charset's codec (text_utf8.cpp,
// text_utf16.cpp, text_single_byte.cpp) and the policy. Shared scanning lives
// in detail/text_scan.hpp, the vector screen in text_utf8_vector.cpp and every
// error message in text_errors.cpp.
#include "zonebuf/core/text_codec.hpp"

#include <cstdint>
#include <limits>

#include "detail/text_codecs.hpp"
#include "detail/text_errors.hpp"
#include "detail/text_scan.hpp"

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

std::size_t encodeIfFits(std::string_view utf8, Charset charset, TextPolicy policy, std::byte* out,
                         std::size_t room) {
  const detail::u8* b = detail::asBytes(utf8);
  const detail::u8* e = b + utf8.size();
  auto* o = reinterpret_cast<detail::u8*>(out);
  switch (charset) {
    case Charset::Utf8: return detail::encodeAsUtf8(b, e, policy, o, room);
    case Charset::Utf16BigEndian: return detail::encodeAsUtf16(b, e, true, policy, o, room);
    case Charset::Utf16LittleEndian: return detail::encodeAsUtf16(b, e, false, policy, o, room);
    case Charset::Ascii:
    case Charset::Latin1: return detail::encodeAsSingleByte(b, e, charset, policy, o, room);
  }
  detail::throwUnknownCharset(charset);
}

std::size_t encodedSize(std::string_view utf8, Charset charset, TextPolicy policy) {
  return encodeIfFits(utf8, charset, policy, nullptr, 0);
}

void encode(std::string_view utf8, Charset charset, TextPolicy policy, std::byte* out) {
  encodeIfFits(utf8, charset, policy, out, std::numeric_limits<std::size_t>::max());
}

std::string decode(std::span<const std::byte> bytes, Charset charset, TextPolicy policy) {
  const auto* b = reinterpret_cast<const detail::u8*>(bytes.data());
  const auto* e = b + bytes.size();
  switch (charset) {
    case Charset::Utf8: return detail::decodeUtf8(b, e, policy);
    case Charset::Utf16BigEndian: return detail::decodeUtf16(b, e, true, policy);
    case Charset::Utf16LittleEndian: return detail::decodeUtf16(b, e, false, policy);
    case Charset::Ascii:
    case Charset::Latin1: return detail::decodeSingleByte(b, e, charset, policy);
  }
  detail::throwUnknownCharset(charset);
}

bool isValidUtf8(std::string_view utf8) noexcept {
  const detail::u8* b = detail::asBytes(utf8);
  const detail::u8* e = b + utf8.size();
  return detail::firstInvalidUtf8(b, e) == e;
}

bool isAscii(std::string_view text) noexcept {
  const detail::u8* b = detail::asBytes(text);
  const detail::u8* e = b + text.size();
  return detail::skipAscii(b, e) == e;
}

}  // namespace text
}  // namespace zonebuf
