// The cold, out-of-line builders of every MalformedTextError the codecs throw.
// Each message names the charset, the byte offset and the offending byte(s) in
// hex, and what to do about it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "zonebuf/core/charset.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf::text::detail {

// Ill-formed UTF-8 at `at` (in [begin, end)). `encodingTo` is the target
// charset when the UTF-8 is the input of encode(), or null when decoding;
// `replacement` names what Lenient would substitute.
[[noreturn]] ZONEBUF_COLD void throwMalformedUtf8(const std::uint8_t* begin, const std::uint8_t* end,
                                                  const std::uint8_t* at, const Charset* encodingTo,
                                                  std::string_view replacement);

[[noreturn]] ZONEBUF_COLD void throwUnrepresentable(char32_t cp, std::size_t offset, Charset target);

[[noreturn]] ZONEBUF_COLD void throwMalformedUtf16(const std::uint8_t* begin, const std::uint8_t* end,
                                                   const std::uint8_t* at, bool bigEndian);

[[noreturn]] ZONEBUF_COLD void throwNotAscii(const std::uint8_t* begin, const std::uint8_t* at);

[[noreturn]] ZONEBUF_COLD void throwUnknownCharset(Charset charset);

}  // namespace zonebuf::text::detail
