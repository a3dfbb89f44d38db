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
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "zonebuf/core/charset.hpp"

namespace zonebuf::text::detail {

std::size_t encodeAsUtf8(const std::uint8_t* b, const std::uint8_t* e, TextPolicy policy, std::uint8_t* out,
                         std::size_t room);
std::size_t encodeAsUtf16(const std::uint8_t* b, const std::uint8_t* e, bool bigEndian, TextPolicy policy,
                          std::uint8_t* out, std::size_t room);
// target: Charset::Ascii or Charset::Latin1.
std::size_t encodeAsSingleByte(const std::uint8_t* b, const std::uint8_t* e, Charset target, TextPolicy policy,
                               std::uint8_t* out, std::size_t room);

std::string decodeUtf8(const std::uint8_t* b, const std::uint8_t* e, TextPolicy policy);
std::string decodeUtf16(const std::uint8_t* b, const std::uint8_t* e, bool bigEndian, TextPolicy policy);
// charset: Charset::Ascii or Charset::Latin1.
std::string decodeSingleByte(const std::uint8_t* b, const std::uint8_t* e, Charset charset, TextPolicy policy);

}  // namespace zonebuf::text::detail
