// The per-charset halves of zonebuf::text, behind the dispatch in text_codec.cpp.
//
// Invariants:
//  * encodeAs*(b, e, policy, out, room) validates all of [b, e) (throwing as
//    text::encodedSize does), returns the encoded size, and writes it to out
//    only when out != nullptr and the size is <= room; otherwise it writes
//    nothing. So one call serves encodedSize (out null), encode (room
//    unbounded) and writeString (room = remaining bytes), and the size and the
//    bytes come from the same validation.
//  * decode*(b, e, policy) returns the UTF-8 text of [b, e).
//  * writeUtf8 is encodeAsUtf8 with out != nullptr, its common case inline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "text_scan.hpp"
#include "zonebuf/core/charset.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf::text::detail {

std::size_t encodeAsUtf8(const std::uint8_t* b, const std::uint8_t* e, TextPolicy policy, std::uint8_t* out,
                         std::size_t room);
std::size_t encodeAsUtf16(const std::uint8_t* b, const std::uint8_t* e, bool bigEndian, TextPolicy policy,
                          std::uint8_t* out, std::size_t room);
// target: Charset::Ascii or Charset::Latin1.
std::size_t encodeAsSingleByte(const std::uint8_t* b, const std::uint8_t* e, Charset target, TextPolicy policy,
                               std::uint8_t* out, std::size_t room);

// writeString's UTF-8 case: text long enough for the vector screen that fits
// goes straight to the kernel, which copies it once it is known well-formed.
// Everything else (short text, ill-formed text, which is screened again
// there, no vector unit) takes encodeAsUtf8.
ZONEBUF_ALWAYS_INLINE std::size_t writeUtf8(const std::uint8_t* b, const std::uint8_t* e, TextPolicy policy,
                                            std::uint8_t* out, std::size_t room) {
  const auto n = static_cast<std::size_t>(e - b);
  if (ZONEBUF_LIKELY(n >= 32 && n <= room) && screenUtf8(b, e, out) == e) {
    ZONEBUF_ASSERT_EXPENSIVE(scalarFirstInvalidUtf8(b, e) == e, "the vector screen passed ill-formed UTF-8");
    return n;
  }
  return encodeAsUtf8(b, e, policy, out, room);
}

std::string decodeUtf8(const std::uint8_t* b, const std::uint8_t* e, TextPolicy policy);
std::string decodeUtf16(const std::uint8_t* b, const std::uint8_t* e, bool bigEndian, TextPolicy policy);
// charset: Charset::Ascii or Charset::Latin1.
std::string decodeSingleByte(const std::uint8_t* b, const std::uint8_t* e, Charset charset, TextPolicy policy);

}  // namespace zonebuf::text::detail
