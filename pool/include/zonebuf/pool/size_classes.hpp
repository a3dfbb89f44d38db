// SizeClasses: the buffer sizes one zone pools, and the size -> class map the
// pool's hit path uses.
//
// Invariants: sizes() is non-empty and strictly increasing; classIndex(n) is
// the index of the smallest class >= n (callers check n <= maxSize() first).
// Generated classes (minSize, maxSize and perDoubling all powers of two,
// perDoubling <= minSize / 2) map a size with bit arithmetic only: no loop, no
// table. Explicit lists use a per-octave start table and a short forward scan.
#pragma once

#include "zonebuf/pool/detail/expect.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
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

  std::size_t count() const noexcept { return count_; }
  std::size_t maxSize() const noexcept { return max_; }
  std::size_t sizeOf(std::size_t index) const noexcept { return sizes_[index]; }
  const std::vector<std::size_t>& sizes() const noexcept { return sizes_; }

  // Needs n <= maxSize().
  [[gnu::always_inline]] std::size_t classIndex(std::size_t n) const noexcept {
    if (ZONEBUF_POOL_LIKELY(generated_)) {
      // m in [2^e, 2^(e+1)): the class is the e-th doubling's (m >> (e - perLog))-th
      // step; sizes <= minSize land on class 0 because m >= minSize - 1.
      const std::size_t m = (n > min_ ? n : min_) - 1;
      const unsigned e = static_cast<unsigned>(std::bit_width(m)) - 1;
      return (std::size_t{e} << perLog_) + (m >> (e - perLog_)) - indexBias_;
    }
    if (n <= min_) return 0;
    const unsigned e = static_cast<unsigned>(std::bit_width(n - 1)) - 1;  // 2^e < n <= 2^(e+1)
    std::size_t i = octaveStart_[e & 63];  // the mask only tells the compiler e < 64
    while (sizes_[i] < n) ++i;  // terminates: n <= max_ == sizes_.back()
    return i;
  }

 private:
  std::vector<std::size_t> sizes_;
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
