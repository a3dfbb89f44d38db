// Byte order of a buffer's multi-byte values, and the load/store primitives
// every typed access uses. Both are alignment-free and compile to single
// (possibly byte-swapped) moves.
//
// Why they are not plain memcpy: a store through a character type (memcpy
// into std::byte*) may alias any object, including the PlatformBuffer or
// cursor doing the store, so a caller's loop of writeInt() on a
// PlatformBuffer& had to reload data_, limit_ and swap_ and store position_
// after every value. The bytes are instead accessed through types that
// type-based alias analysis can tell apart from a pointer, a size_t, a bool
// or a ByteOrder/zone enum — everything a buffer or a cursor holds:
//   - g++: BufferCell, a packed union of every width. g++ orders accesses
//     through one union type with one another and with accesses of its
//     member types, so every width (and float/double) stays ordered against
//     every other, and none against the cursor fields.
//   - clang (WebAssembly): clang treats union members as character types, so
//     stores go through StoreWord<N> (the unsigned type of the width, an enum
//     for bytes, alignment 1) and loads stay memcpy. A character load is
//     ordered after every store to its bytes, and stores keep their program
//     order whatever their types (a store may change an object's dynamic
//     type), so mixed widths over the same bytes stay correct.
// The 8-byte word is unsigned long long, never std::uint64_t: natively that
// is unsigned long, size_t's type, and would alias the cursor fields again.
// Contract this makes concrete for code that goes around the API: bytes the
// API stored are read back through the API, std::memcpy, a character type or
// the value's own type — not through a pointer to an unrelated type such as
// std::int64_t* over an 8-byte field (the C++ aliasing rule). And a buffer's
// bytes never overlap the PlatformBuffer or cursor object that accesses them
// (the typed stores rely on it, and the per-op read states it with
// __restrict: PlatformBuffer::advanceAndLoad).
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

// The type each store width writes through (alignment 1; the attribute
// lives on the member typedef so that no template argument drops it).
template <std::size_t N>
struct StoreWord;
template <>
struct StoreWord<1> {
  enum class type : unsigned char {};  // a byte that is not a character type
};
template <>
struct StoreWord<2> {
  typedef std::uint16_t type __attribute__((aligned(1)));
};
template <>
struct StoreWord<4> {
  typedef std::uint32_t type __attribute__((aligned(1)));
};
template <>
struct StoreWord<8> {
  typedef unsigned long long type __attribute__((aligned(1)));  // not std::uint64_t: see above
};

#if !defined(__clang__)
union __attribute__((packed)) BufferCell {
  StoreWord<1>::type b;
  std::uint16_t h;
  std::uint32_t w;
  unsigned long long d;
  float f;
  double g;
};
#endif

// The swap, as a branch marked predictable. Without the hint clang folds
// `if (swap) bits = byteSwap(bits)` into a select, so the swap is computed
// for every value, also of a native-order buffer (in WebAssembly, which has
// no bswap, ten instructions), and a caller's loop cannot be unswitched; a
// predictable branch is kept, and the loop is then unswitched on the
// register-held flag into two clean loops that both vectorise (the swapped
// one with i8x16.shuffle). g++ unswitches either way.
template <class U>
[[gnu::always_inline]] inline U orderBits(U bits, bool swap) noexcept {
  if (ZONEBUF_UNLIKELY(swap)) bits = byteSwap(bits);
  return bits;
}

// T is any arithmetic type of 1, 2, 4 or 8 bytes; float and double travel as
// their bit patterns, so NaN payloads survive.
template <class T>
[[gnu::always_inline]] inline T loadValue(const std::byte* p, bool swap) noexcept {
  using U = UnsignedOfSize<T>;
  U bits;
#if defined(__clang__)
  std::memcpy(&bits, p, sizeof(U));
#else
  const auto* c = reinterpret_cast<const BufferCell*>(p);
  if constexpr (sizeof(U) == 1) bits = static_cast<U>(c->b);
  else if constexpr (sizeof(U) == 2) bits = c->h;
  else if constexpr (sizeof(U) == 4) bits = c->w;
  else bits = c->d;
#endif
  return bitCast<T>(orderBits(bits, swap));
}

template <class T>
[[gnu::always_inline]] inline void storeValue(std::byte* p, T value, bool swap) noexcept {
  using U = UnsignedOfSize<T>;
  const U bits = orderBits(bitCast<U>(value), swap);
#if defined(__clang__)
  using W = typename StoreWord<sizeof(U)>::type;
  *reinterpret_cast<W*>(p) = static_cast<W>(bits);
#else
  auto* c = reinterpret_cast<BufferCell*>(p);
  if constexpr (sizeof(U) == 1) c->b = static_cast<StoreWord<1>::type>(bits);
  else if constexpr (sizeof(U) == 2) c->h = bits;
  else if constexpr (sizeof(U) == 4) c->w = bits;
  else c->d = bits;
#endif
}

// memcpy for the bulk paths. g++ expands a memcpy of a known size of a few
// hundred bytes or more inline as `rep movsq`, which on the AMD cores this
// was measured on ran at half the speed of libc's vector memcpy at 1 KiB
// (writeInts of a std::array); hiding the size keeps it a libc call. Small
// copies stay inline. clang lowers both to memory.copy in WebAssembly.
[[gnu::always_inline]] inline void copyBytes(void* dst, const void* src, std::size_t n) noexcept {
#if !defined(__clang__)
  if (n > 128) asm("" : "+r"(n));
#endif
  if (n != 0) std::memcpy(dst, src, n);
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
