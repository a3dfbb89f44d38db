// Size classes of the linear arena.
//
// Invariants: every class size is a multiple of kLinearAlignment (64), so a
// block's reserved size, the bump pointer and every span boundary stay 64-byte
// aligned, and any 64-multiple remainder can be cut into whole class blocks.
// Classes: 64, 128, 192, 256, then four per doubling (320, 384, 448, 512, 640,
// ...), so rounding wastes at most 25%. Consecutive same-size blocks are one
// class apart; a class size of 4 KiB or more is a multiple of 1 KiB, so two
// consecutive blocks are 0, 1, 2 or 3 KiB apart modulo 4096 and copies between
// them never hit 4 KiB aliasing (the slow case is dst - src within a few dozen
// bytes above a multiple of 4096).
#pragma once

#include <bit>
#include <cstddef>

#include "zonebuf/primitives.hpp"

namespace zonebuf::detail {

inline constexpr std::size_t kLinearAlignment = 64;
// Larger requests skip the class math and go to the out-of-line path, which
// rejects them against the arena ceiling (no ceiling can reach this size).
inline constexpr unsigned kMaxClassLog = sizeof(std::size_t) == 8 ? 40 : 31;
inline constexpr std::size_t kMaxClassSize = std::size_t{1} << kMaxClassLog;
// Classes 0..8 are 0, 64, ..., 512 (class 0 is never handed out: a size-0
// request takes class 1); every doubling above 512 = 2^9 adds four.
inline constexpr unsigned kClassCount = 9 + 4 * (kMaxClassLog - 9);

[[gnu::always_inline]] inline constexpr unsigned sizeClassOf(std::size_t size) noexcept {
  ZONEBUF_ASSERT(size <= kMaxClassSize, "sizeClassOf needs size <= kMaxClassSize");
  if (size <= 256) return size == 0 ? 1u : static_cast<unsigned>((size + 63) >> 6);
  const unsigned e = static_cast<unsigned>(std::bit_width(size - 1)) - 1;  // size in (2^e, 2^(e+1)]
  const unsigned m = static_cast<unsigned>((size - 1) >> (e - 2)) + 1;     // 5..8 quarters
  return 4 * (e - 8) + m;
}

[[gnu::always_inline]] inline constexpr std::size_t classSize(unsigned cls) noexcept {
  if (cls <= 4) return std::size_t{cls} << 6;
  const unsigned e = (cls - 5) / 4 + 8;
  const unsigned m = cls - 4 * (e - 8);
  return std::size_t{m} << (e - 2);
}

static_assert(classSize(8) == 512 && sizeClassOf(512) == 8, "classes 0..8 step by 64 up to 512");
static_assert(sizeClassOf(kMaxClassSize) == kClassCount - 1 && classSize(kClassCount - 1) == kMaxClassSize,
              "kClassCount must cover exactly the classes up to kMaxClassSize: the free-list array is this long");
static_assert(classSize(sizeClassOf(kMaxClassSize - 1)) == kMaxClassSize, "the largest request rounds to the last class");
static_assert(kMaxClassSize % kLinearAlignment == 0 && classSize(5) % kLinearAlignment == 0,
              "class sizes stay 64-byte multiples");

// The largest class whose size is <= bytes (bytes >= 64).
inline constexpr unsigned largestClassWithin(std::size_t bytes) noexcept {
  unsigned cls = sizeClassOf(bytes);
  return classSize(cls) > bytes ? cls - 1 : cls;
}

}  // namespace zonebuf::detail
