// SizeClasses: the buffer sizes one zone pools, and the size -> class map the
// pool's hit path uses.
//
// Invariants: sizes() is non-empty and strictly increasing; find(n) is the
// index of the smallest class >= n, or kNone when n > maxSize().
// The hit path's lookup is one shift and one load: every class size is a
// multiple of the granule (the largest power of two dividing them all), so
// all sizes n in (k*granule, (k+1)*granule] share a class, and entry k =
// (n - 1) >> log2(granule) of a direct table holds it, for up to kMaxDirect
// granules. Sizes beyond the
// table go out of line: generated classes (minSize, maxSize and perDoubling
// all powers of two, perDoubling <= minSize / 2) by bit arithmetic, explicit
// lists by a per-octave start table and a short forward scan.
// The direct table is immutable once built and shared by copies: a copy of a
// SizeClasses costs its size list, not the 8 KiB table.
#pragma once

#include "zonebuf/primitives.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace zonebuf {

// How a zone's classes are chosen. `sizes` non-empty: exactly those classes.
// Otherwise generated: minSize, then `perDoubling` evenly spaced classes in
// every doubling up to maxSize (64, 80, 96, 112, 128, 160, ... for 64/4).
struct SizeClassSpec {
  std::vector<std::size_t> sizes;
  std::size_t minSize = 64;
  std::size_t maxSize = 64 * 1024;
  std::size_t perDoubling = 4;

  static SizeClassSpec generated(std::size_t minSize, std::size_t maxSize, std::size_t perDoubling) {
    SizeClassSpec s;
    s.minSize = minSize;
    s.maxSize = maxSize;
    s.perDoubling = perDoubling;
    return s;
  }
  static SizeClassSpec explicitSizes(std::vector<std::size_t> sizes) {
    SizeClassSpec s;
    s.sizes = std::move(sizes);
    return s;
  }
  bool operator==(const SizeClassSpec&) const = default;
};

class SizeClasses {
 public:
  // The largest class any spec may ask for (1 GiB: fits wasm32's address space).
  static constexpr std::size_t kMaxClassSize = std::size_t{1} << 30;
  static constexpr std::size_t kMaxClassCount = 1024;

  // Throws InvalidArgumentError naming `field` (e.g. "zones.Heap.classes.max")
  // and the offending value when the spec breaks the rules above.
  static SizeClasses build(const SizeClassSpec& spec, const char* field);
  // The same checks and errors as build(), without building the tables: for
  // config validation, which would otherwise build and discard them.
  static void check(const SizeClassSpec& spec, const char* field);

  std::size_t count() const noexcept { return count_; }
  std::size_t maxSize() const noexcept { return max_; }
  std::size_t sizeOf(std::size_t index) const noexcept { return sizes_[index]; }
  const std::vector<std::size_t>& sizes() const noexcept { return sizes_; }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // Entries of the direct table (uint16_t each): 8 KiB per zone. The table
  // always has them all, so its bound is a constant; entries past maxSize()
  // hold kNoEntry.
  static constexpr std::size_t kMaxDirect = 4096;

  // The smallest class >= n, or kNone if n > maxSize().
  [[gnu::always_inline]] std::size_t find(std::size_t n) const noexcept {
    const std::size_t k = (n - 1) >> granuleLog_;  // n == 0 wraps to a huge k: out of line
    if (ZONEBUF_LIKELY(k < kMaxDirect)) {
      const std::uint16_t c = direct_[k];
      return ZONEBUF_LIKELY(c != kNoEntry) ? c : kNone;
    }
    return findBeyondTable(n);
  }
  // find(n) for a size known to be pooled.
  std::size_t classIndex(std::size_t n) const noexcept {
    ZONEBUF_ASSERT(n <= maxSize(), "SizeClasses::classIndex needs n <= maxSize()");
    return find(n);
  }
  // Sizes up to this many bytes are looked up in the direct table.
  std::size_t directMaxSize() const noexcept { return directCount_ << granuleLog_; }

 private:
  std::size_t findBeyondTable(std::size_t n) const noexcept;

  std::vector<std::size_t> sizes_;
  static constexpr std::uint16_t kNoEntry = 0xFFFF;
  static_assert(kNoEntry >= kMaxClassCount, "kNoEntry must be above every class index, or it would name a class");
  std::shared_ptr<const std::uint16_t[]> direct_;  // kMaxDirect entries; see the top of this header
  std::size_t directCount_ = 0;        // entries below maxSize()
  unsigned granuleLog_ = 0;
  std::size_t count_ = 0;
  std::size_t min_ = 0;
  std::size_t max_ = 0;
  unsigned minLog_ = 0;
  unsigned perLog_ = 0;
  std::size_t indexBias_ = 0;  // (minLog << perLog) + perDoubling - 1
  bool generated_ = false;
  std::array<std::uint32_t, 64> octaveStart_{};  // first class > 2^e (explicit lists)
};

}  // namespace zonebuf
