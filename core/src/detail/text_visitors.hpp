// Per-target visitors of forEachScalar (text_scan.hpp) for the encoders whose
// output differs from UTF-8: one counts bytes, one writes them, and both make
// the same decision for every scalar, so the size and the bytes agree.
//
// Invariant: for any input and policy, WriteVisitor<T, P> writes exactly the
// bytes SizeVisitor<T, P> counts, and both throw at the same place.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

#include "text_errors.hpp"
#include "text_scan.hpp"
#include "zonebuf/core/charset.hpp"

namespace zonebuf::text::detail {

template <Charset Target>
inline constexpr std::size_t kUnitBytes =
    (Target == Charset::Utf16BigEndian || Target == Charset::Utf16LittleEndian) ? 2 : 1;

template <Charset Target>
inline constexpr char32_t kMaxScalar = Target == Charset::Ascii    ? 0x7F
                                       : Target == Charset::Latin1 ? 0xFF
                                                                   : 0x10FFFF;

template <Charset Target>
inline constexpr std::string_view kReplacementName = kUnitBytes<Target> == 2 ? "U+FFFD" : "'?'";

template <Charset Target, TextPolicy Policy>
struct SizeVisitor {
  const u8* begin;
  const u8* end;
  std::size_t size = 0;

  ZONEBUF_ALWAYS_INLINE void ascii(const u8*, std::size_t n) noexcept { size += n * kUnitBytes<Target>; }
  ZONEBUF_ALWAYS_INLINE void scalar(char32_t cp, const u8* at) {
    if constexpr (kUnitBytes<Target> == 2) {
      size += cp >= 0x10000 ? 4 : 2;
    } else {
      if constexpr (Policy == TextPolicy::Strict) {
        if (cp > kMaxScalar<Target>) throwUnrepresentable(cp, static_cast<std::size_t>(at - begin), Target);
      }
      size += 1;
    }
  }
  ZONEBUF_ALWAYS_INLINE void invalid(const u8* at) {
    if constexpr (Policy == TextPolicy::Strict) {
      const Charset target = Target;
      throwMalformedUtf8(begin, end, at, &target, kReplacementName<Target>);
    }
    size += kUnitBytes<Target>;
  }
};

template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE u8* putUnit16(u8* out, unsigned u) noexcept {
  if constexpr (BigEndian) {
    out[0] = static_cast<u8>(u >> 8);
    out[1] = static_cast<u8>(u);
  } else {
    out[0] = static_cast<u8>(u);
    out[1] = static_cast<u8>(u >> 8);
  }
  return out + 2;
}

// cp >= 0x10000: its surrogate pair.
template <bool BigEndian>
ZONEBUF_ALWAYS_INLINE u8* putPair16(u8* out, char32_t cp) noexcept {
  const char32_t v = cp - 0x10000;
  out = putUnit16<BigEndian>(out, 0xD800 | (v >> 10));
  return putUnit16<BigEndian>(out, 0xDC00 | (v & 0x3FF));
}

template <Charset Target, TextPolicy Policy>
struct WriteVisitor {
  const u8* begin;
  const u8* end;
  u8* out;

  static constexpr bool kBigEndian = Target == Charset::Utf16BigEndian;

  ZONEBUF_ALWAYS_INLINE void ascii(const u8* p, std::size_t n) noexcept {
    if constexpr (kUnitBytes<Target> == 2) {
      for (std::size_t i = 0; i < n; ++i) out = putUnit16<kBigEndian>(out, p[i]);
    } else {
      std::memcpy(out, p, n);
      out += n;
    }
  }
  ZONEBUF_ALWAYS_INLINE void scalar(char32_t cp, const u8* at) {
    if constexpr (kUnitBytes<Target> == 2) {
      out = cp < 0x10000 ? putUnit16<kBigEndian>(out, cp) : putPair16<kBigEndian>(out, cp);
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
  ZONEBUF_ALWAYS_INLINE void invalid(const u8* at) {
    if constexpr (Policy == TextPolicy::Strict) {
      const Charset target = Target;
      throwMalformedUtf8(begin, end, at, &target, kReplacementName<Target>);
    }
    if constexpr (kUnitBytes<Target> == 2) {
      out = putUnit16<kBigEndian>(out, 0xFFFD);
    } else {
      *out++ = '?';
    }
  }
};

// The visitor pair as one encodeAs* (text_codecs.hpp): size, then bytes if they fit.
template <Charset Target, TextPolicy Policy>
std::size_t encodeVisiting(const u8* b, const u8* e, u8* out, std::size_t room) {
  SizeVisitor<Target, Policy> sizer{b, e};
  forEachScalar(b, e, sizer);
  if (out != nullptr && sizer.size <= room) {
    WriteVisitor<Target, Policy> writer{b, e, out};
    forEachScalar(b, e, writer);
  }
  return sizer.size;
}

}  // namespace zonebuf::text::detail
