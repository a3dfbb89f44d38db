// Vectorised byte kernels behind PlatformBuffer's search, compare, hash and
// masking methods, shared with StreamProcessor (stream/), which runs them
// chunk by chunk.
//
// Invariants:
//   - Every kernel reads exactly the bytes [p, p + n) it is given (no
//     over-read past the end, so ASan and page boundaries are safe) and
//     works for any alignment; n == 0 is allowed with any pointer.
//   - findByte is libc memchr natively (vectorised at load time) and the
//     SIMD128 loop in WebAssembly.
//   - Results are the same on every target: 16-byte steps use SSE2
//     natively (x86-64 baseline) and SIMD128 in WebAssembly (-msimd128), a
//     scalar loop elsewhere, and all of them agree byte for byte.
//   - hash64 is XXH64 with seed 0 over the bytes (Yann Collet's published
//     algorithm, little-endian lane loads): stable across builds, hosts and
//     releases, so it may be persisted.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zonebuf::detail {

inline constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

// Offset of the first byte == value in [p, p + n), or kNotFound.
std::size_t findByte(const std::byte* p, std::size_t n, std::uint8_t value) noexcept;
// Offset of the first occurrence of pattern[0, m) in [p, p + n), or
// kNotFound. An empty pattern is found at 0.
std::size_t findPattern(const std::byte* p, std::size_t n, const std::byte* pattern, std::size_t m) noexcept;
// Offset of the first i < n with a[i] != b[i], or n when they are equal.
std::size_t firstMismatch(const std::byte* a, const std::byte* b, std::size_t n) noexcept;
// XOR p[i] with key[(phase + i) % 4], where key holds the 4 mask bytes in
// wire order (RFC 6455: the first masking-key byte masks payload byte 0).
void xorMask(std::byte* p, std::size_t n, const std::uint8_t key[4], std::size_t phase) noexcept;
// XXH64(p, n, seed 0).
std::uint64_t hash64(const std::byte* p, std::size_t n) noexcept;

}  // namespace zonebuf::detail
