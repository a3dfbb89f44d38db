// Byte order of a buffer's multi-byte values, and the load/store primitives
// every typed access uses. Loads and stores go through std::memcpy so they are
// alignment-free and compile to single (possibly byte-swapped) moves.
#pragma once

#include <array>
#include <bit>  // std::endian
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <zonebuf/primitives.hpp>

namespace zonebuf {

enum class ByteOrder : std::uint8_t { BigEndian, LittleEndian };

inline constexpr ByteOrder kNativeByteOrder =
    std::endian::native == std::endian::little ? ByteOrder::LittleEndian : ByteOrder::BigEndian;

namespace detail {

template <class T>
using UnsignedOfSize = std::conditional_t<
    sizeof(T) == 1, std::uint8_t,
    std::conditional_t<sizeof(T) == 2, std::uint16_t,
                       std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;

template <class U>
[[gnu::always_inline]] constexpr U byteSwap(U v) noexcept {
  if constexpr (sizeof(U) == 1) return v;
  else if constexpr (sizeof(U) == 2) return static_cast<U>(__builtin_bswap16(v));
  else if constexpr (sizeof(U) == 4) return __builtin_bswap32(v);
  else return __builtin_bswap64(v);
}

// T is any arithmetic type of 1, 2, 4 or 8 bytes; float and double travel as
// their bit patterns, so NaN payloads survive.
template <class T>
[[gnu::always_inline]] inline T loadValue(const std::byte* p, bool swap) noexcept {
  using U = UnsignedOfSize<T>;
  U bits;
  std::memcpy(&bits, p, sizeof(U));
  if (swap) bits = byteSwap(bits);
  return bitCast<T>(bits);
}

template <class T>
[[gnu::always_inline]] inline void storeValue(std::byte* p, T value, bool swap) noexcept {
  using U = UnsignedOfSize<T>;
  U bits = bitCast<U>(value);
  if (swap) bits = byteSwap(bits);
  std::memcpy(p, &bits, sizeof(U));
}

// Copies `count` elements of `Width` bytes from src to dst, reversing the bytes
// of each. Written with vector types because neither g++ (baseline x86-64 has
// no pshufb) nor clang reliably vectorises a bswap loop: 16 bytes per step
// with shifts and masks (SSE2 natively, simd128 in WASM), scalar tail.
template <std::size_t Width>
inline void copySwapped(std::byte* dst, const std::byte* src, std::size_t count) noexcept {
  using U = UnsignedOfSize<std::array<std::byte, Width>>;
  using Lanes [[gnu::vector_size(16)]] = U;
  std::size_t i = 0;
  if constexpr (Width > 1) {
    constexpr std::size_t kPerVector = 16 / Width;
    for (; i + kPerVector <= count; i += kPerVector) {
      Lanes v;
      std::memcpy(&v, src + i * Width, 16);
      if constexpr (Width == 2) {
        v = (v << 8) | (v >> 8);
      } else if constexpr (Width == 4) {
        v = (v << 24) | ((v & 0xFF00) << 8) | ((v >> 8) & 0xFF00) | (v >> 24);
      } else {
        v = ((v & 0x00FF00FF00FF00FFull) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFull);
        v = ((v & 0x0000FFFF0000FFFFull) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFull);
        v = (v << 32) | (v >> 32);
      }
      std::memcpy(dst + i * Width, &v, 16);
    }
  }
  // Caller checked that count * Width bytes fit, so the product cannot wrap.
  const std::size_t bytes = count * Width;
  for (std::size_t at = i * Width; at < bytes; at += Width) {
    U bits;
    std::memcpy(&bits, src + at, Width);
    bits = byteSwap(bits);
    std::memcpy(dst + at, &bits, Width);
  }
}

}  // namespace detail
}  // namespace zonebuf
