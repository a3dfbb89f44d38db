// Text codecs behind PlatformBuffer::writeString / readString.
//
// Invariants:
//  * Text inside zonebuf is UTF-8 (std::string / std::string_view); the charset
//    only describes the bytes in the buffer.
//  * Ill-formed input is handled exactly per Unicode (section 3.9, "U+FFFD
//    substitution of maximal subparts", the same rule as WHATWG TextDecoder):
//    Lenient replaces each maximal ill-formed subpart by one U+FFFD ('?' when
//    the target is Ascii/Latin1); Strict throws MalformedTextError whose
//    byteOffset() is the offset of the first ill-formed byte in the input.
//  * encodedSize(s, c, p) is exactly the number of bytes encode(s, c, p, out)
//    and encodeIfFits write, and all three throw on the same inputs, before
//    writing anything.
//  * A byte-order mark is data: it is neither written nor stripped.
//  * Every function is pure (no global state) and safe to call concurrently.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "zonebuf/core/charset.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf::text {

// Bytes that encode(utf8, charset, policy) will produce. Validates the whole input:
// Strict -> throws MalformedTextError on ill-formed UTF-8 input or (Ascii/Latin1)
//           an unrepresentable code point.
// Lenient -> each maximal ill-formed subpart of the input counts as U+FFFD ('?' for
//            Ascii/Latin1, where U+FFFD is unrepresentable too; so is every code
//            point above U+007F / U+00FF, one '?' per code point).
std::size_t encodedSize(std::string_view utf8, Charset charset, TextPolicy policy);

// Writes exactly encodedSize(...) bytes to out. Precondition: out has room (the
// caller checked). Same policy semantics. UTF-16 is written without a BOM.
void encode(std::string_view utf8, Charset charset, TextPolicy policy, std::byte* out);

// encodedSize and encode in one pass over the input: validates it as encodedSize
// does (same throws), returns the encoded size, and writes the bytes to out
// only when they fit in `room` (nothing is written otherwise, nor when it
// throws). writeString uses it so that well-formed text is validated once.
std::size_t encodeIfFits(std::string_view utf8, Charset charset, TextPolicy policy, std::byte* out,
                         std::size_t room);

// Decodes bytes in `charset` into UTF-8.
// Lenient: each maximal ill-formed subpart -> U+FFFD.
//   Utf8:   Unicode "substitution of maximal subparts" (same as WHATWG TextDecoder).
//   Utf16*: unpaired surrogate -> U+FFFD, odd trailing byte -> U+FFFD (a high
//           surrogate followed only by the odd trailing byte -> one U+FFFD, as WHATWG).
//   Ascii:  every byte >= 0x80 -> U+FFFD.
//   Latin1: never ill-formed; byte b maps to U+00bb.
// Strict: throws MalformedTextError naming the charset, the byte offset and the
//         offending byte(s) in hex.
std::string decode(std::span<const std::byte> bytes, Charset charset, TextPolicy policy);

// Fast checks.
bool isValidUtf8(std::string_view utf8) noexcept;
bool isAscii(std::string_view text) noexcept;  // every byte < 0x80

}  // namespace zonebuf::text
