// The byte kernels of zonebuf/core/detail/byte_search.hpp. Loops step 64
// bytes (four 16-byte lanes, one branch) while they can, then 16, then
// finish with one overlapping 16-byte step or scalar code, never reading
// outside [p, p + n).
#include <bit>
#include <cstring>

#include "buffer_simd.hpp"
#include "zonebuf/core/detail/byte_search.hpp"

namespace zonebuf::detail {

namespace {
using simd::Vec;

ZONEBUF_ALWAYS_INLINE std::size_t lowestBit(std::uint64_t m) noexcept {
  return static_cast<std::size_t>(std::countr_zero(m));
}
}  // namespace

std::size_t findByte(const std::byte* p, std::size_t n, std::uint8_t value) noexcept {
#if !defined(__EMSCRIPTEN__)
  // Natively libc's memchr is vectorised with the widest unit the CPU has
  // (glibc picks AVX2/EVEX at load time), which a baseline SSE2 loop cannot
  // match (0.65x measured); Emscripten's musl memchr is scalar, so WASM runs
  // the SIMD128 loop below.
  if (n == 0) return kNotFound;
  const void* hit = std::memchr(p, value, n);
  return hit == nullptr ? kNotFound : static_cast<std::size_t>(static_cast<const std::byte*>(hit) - p);
#else
  if (n < 16) {
    for (std::size_t i = 0; i < n; ++i)
      if (std::to_integer<std::uint8_t>(p[i]) == value) return i;
    return kNotFound;
  }
  const Vec needle = simd::splat(value);
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const Vec a = simd::eq(simd::load(p + i), needle);
    const Vec b = simd::eq(simd::load(p + i + 16), needle);
    const Vec c = simd::eq(simd::load(p + i + 32), needle);
    const Vec d = simd::eq(simd::load(p + i + 48), needle);
    if (ZONEBUF_UNLIKELY(simd::any(simd::bitOr(simd::bitOr(a, b), simd::bitOr(c, d))))) {
      const std::uint64_t m = std::uint64_t{simd::mask(a)} | std::uint64_t{simd::mask(b)} << 16 |
                              std::uint64_t{simd::mask(c)} << 32 | std::uint64_t{simd::mask(d)} << 48;
      return i + lowestBit(m);
    }
  }
  for (; i + 16 <= n; i += 16) {
    const std::uint32_t m = simd::mask(simd::eq(simd::load(p + i), needle));
    if (m != 0) return i + lowestBit(m);
  }
  if (i < n) {
    // The last 16 bytes overlap ones already searched: drop their lanes.
    const std::size_t j = n - 16;
    const std::uint32_t m = simd::mask(simd::eq(simd::load(p + j), needle)) >> (i - j);
    if (m != 0) return i + lowestBit(m);
  }
  return kNotFound;
#endif
}

// Wojciech Mula's "SIMD-friendly" substring search: a candidate start must
// match the pattern's first and last bytes, tested 16 starts at a time; only
// candidates are compared in full.
std::size_t findPattern(const std::byte* p, std::size_t n, const std::byte* pattern, std::size_t m) noexcept {
  if (m == 0) return 0;
  if (m > n) return kNotFound;
  const std::uint8_t first = std::to_integer<std::uint8_t>(pattern[0]);
  if (m == 1) return findByte(p, n, first);
  const std::uint8_t last = std::to_integer<std::uint8_t>(pattern[m - 1]);
  const std::size_t starts = n - m + 1;  // candidate starts: [0, starts)
  std::size_t i = 0;
  if (starts >= 16) {
    const Vec vf = simd::splat(first);
    const Vec vl = simd::splat(last);
    for (; i + 16 <= starts; i += 16) {
      const Vec both = simd::bitAnd(simd::eq(simd::load(p + i), vf), simd::eq(simd::load(p + i + m - 1), vl));
      // Candidates are rare: a test first (one instruction in SIMD128, where
      // a bitmask takes several).
      if (ZONEBUF_LIKELY(!simd::any(both))) continue;
      std::uint32_t cand = simd::mask(both);
      while (cand != 0) {
        const std::size_t at = i + lowestBit(cand);
        if (std::memcmp(p + at + 1, pattern + 1, m - 2) == 0) return at;
        cand &= cand - 1;
      }
    }
  }
  for (; i < starts; ++i) {
    if (std::to_integer<std::uint8_t>(p[i]) == first && std::to_integer<std::uint8_t>(p[i + m - 1]) == last &&
        std::memcmp(p + i + 1, pattern + 1, m - 2) == 0)
      return i;
  }
  return kNotFound;
}

std::size_t firstMismatch(const std::byte* a, const std::byte* b, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const std::uint32_t same = simd::mask(simd::eq(simd::load(a + i), simd::load(b + i)));
    if (same != 0xFFFFu) return i + lowestBit(~same);
  }
  for (; i < n; ++i)
    if (a[i] != b[i]) return i;
  return n;
}

void xorMask(std::byte* p, std::size_t n, const std::uint8_t key[4], std::size_t phase) noexcept {
  // 16 is a multiple of 4, so every 16-byte step sees the same rotation.
  std::byte pattern[16];
  for (std::size_t j = 0; j < 16; ++j) pattern[j] = std::byte{key[(phase + j) & 3]};
  const Vec k = simd::load(pattern);
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const Vec a = simd::bitXor(simd::load(p + i), k);
    const Vec b = simd::bitXor(simd::load(p + i + 16), k);
    const Vec c = simd::bitXor(simd::load(p + i + 32), k);
    const Vec d = simd::bitXor(simd::load(p + i + 48), k);
    simd::store(p + i, a);
    simd::store(p + i + 16, b);
    simd::store(p + i + 32, c);
    simd::store(p + i + 48, d);
  }
  for (; i + 16 <= n; i += 16) simd::store(p + i, simd::bitXor(simd::load(p + i), k));
  for (; i < n; ++i) p[i] ^= pattern[i & 15];
}

namespace {
constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr std::uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr std::uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr std::uint64_t kP5 = 0x27D4EB2F165667C5ull;

ZONEBUF_ALWAYS_INLINE std::uint64_t le64(const std::byte* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
ZONEBUF_ALWAYS_INLINE std::uint64_t le32(const std::byte* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}
ZONEBUF_ALWAYS_INLINE std::uint64_t round(std::uint64_t acc, std::uint64_t input) noexcept {
  return std::rotl(acc + input * kP2, 31) * kP1;
}
ZONEBUF_ALWAYS_INLINE std::uint64_t merge(std::uint64_t h, std::uint64_t lane) noexcept {
  return (h ^ round(0, lane)) * kP1 + kP4;
}
}  // namespace

std::uint64_t hash64(const std::byte* p, std::size_t n) noexcept {
  std::uint64_t h;
  std::size_t i = 0;
  if (n >= 32) {
    // Four independent lanes: the multiplies of one stripe overlap.
    std::uint64_t v1 = kP1 + kP2, v2 = kP2, v3 = 0, v4 = 0 - kP1;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, le64(p + i));
      v2 = round(v2, le64(p + i + 8));
      v3 = round(v3, le64(p + i + 16));
      v4 = round(v4, le64(p + i + 24));
    }
    h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = kP5;
  }
  h += static_cast<std::uint64_t>(n);
  for (; i + 8 <= n; i += 8) h = std::rotl(h ^ round(0, le64(p + i)), 27) * kP1 + kP4;
  if (i + 4 <= n) {
    h = std::rotl(h ^ (le32(p + i) * kP1), 23) * kP2 + kP3;
    i += 4;
  }
  for (; i < n; ++i) h = std::rotl(h ^ (std::to_integer<std::uint64_t>(p[i]) * kP5), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

}  // namespace zonebuf::detail
