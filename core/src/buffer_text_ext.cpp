// PlatformBuffer text conveniences: lines, u16-prefixed strings, hex dumps.
#include <algorithm>
#include <cstdio>
#include <string>

#include "zonebuf/core/detail/byte_search.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/core/text_codec.hpp"

namespace zonebuf {

bool PlatformBuffer::readLine(std::string& line, TextPolicy policy) {
  requireLive("readLine");
  const std::size_t p = position();
  const std::size_t lf = detail::findByte(data() + p, remaining(), '\n');
  if (lf == detail::kNotFound) return false;
  const std::size_t textBytes = lf > 0 && data()[p + lf - 1] == std::byte{'\r'} ? lf - 1 : lf;
  line = text::decode({data() + p, textBytes}, Charset::Utf8, policy);  // may throw: nothing moved yet
  position(p + lf + 1);
  return true;
}

std::string PlatformBuffer::readLengthPrefixedString(TextPolicy policy) {
  requireLive("readLengthPrefixedString");
  const std::size_t p = position();
  if (remaining() < 2) [[unlikely]] detail::throwUnderflow("readLengthPrefixedString", 2, p, limit());
  const std::size_t n = getUnsignedShort(p, ByteOrder::BigEndian);
  if (remaining() - 2 < n) [[unlikely]] detail::throwUnderflow("readLengthPrefixedString", 2 + n, p, limit());
  std::string s = text::decode({data() + p + 2, n}, Charset::Utf8, policy);
  position(p + 2 + n);
  return s;
}

std::size_t PlatformBuffer::writeLengthPrefixedString(std::string_view utf8, TextPolicy policy) {
  requireLive("writeLengthPrefixedString");
  const std::size_t n = text::encodedSize(utf8, Charset::Utf8, policy);
  if (n > 0xFFFF) [[unlikely]] {
    throw InvalidArgumentError("writeLengthPrefixedString: the text is " + std::to_string(n) +
                               " bytes, a u16 length prefix holds at most 65535; split it or use another framing");
  }
  if (remaining() < 2 + n) [[unlikely]] detail::throwOverflow("writeLengthPrefixedString", 2 + n, position(), limit());
  setUnsignedShort(position(), static_cast<std::uint16_t>(n), ByteOrder::BigEndian);
  text::encode(utf8, Charset::Utf8, policy, data() + position() + 2);
  position(position() + 2 + n);
  return 2 + n;
}

std::string PlatformBuffer::hexDump(std::size_t maxBytes) const {
  requireLive("hexDump");
  const std::size_t n = std::min(remaining(), maxBytes);
  std::string out;
  out.reserve((n / 16 + 2) * 80);
  char cell[16];
  for (std::size_t row = 0; row < n; row += 16) {
    const std::size_t at = position() + row;
    std::snprintf(cell, sizeof cell, "%08zx ", at);
    out += cell;
    std::string ascii;
    for (std::size_t i = 0; i < 16; ++i) {
      if (i == 8) out += ' ';
      if (row + i < n) {
        const unsigned b = std::to_integer<unsigned>(data()[at + i]);
        std::snprintf(cell, sizeof cell, " %02x", b);
        out += cell;
        ascii += b >= 0x20 && b < 0x7F ? static_cast<char>(b) : '.';
      } else {
        out += "   ";
      }
    }
    out += "  |" + ascii + "|\n";
  }
  if (n < remaining()) out += "... " + std::to_string(remaining() - n) + " more bytes\n";
  return out;
}

}  // namespace zonebuf
