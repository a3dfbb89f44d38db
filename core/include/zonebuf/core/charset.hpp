// Character sets and the decoding policy used by writeString/readString.
#pragma once

#include <cstdint>
#include <string_view>

namespace zonebuf {

enum class Charset : std::uint8_t { Utf8, Utf16BigEndian, Utf16LittleEndian, Ascii, Latin1 };

// Lenient: every maximal ill-formed subpart (Unicode 15, section 3.9) becomes
// U+FFFD when decoding; when encoding into Ascii/Latin1, an unrepresentable
// code point becomes '?'. Strict: both throw MalformedTextError.
enum class TextPolicy : std::uint8_t { Lenient, Strict };

std::string_view charsetName(Charset charset) noexcept;

}  // namespace zonebuf
