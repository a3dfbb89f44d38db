// Shared by the allocator and pool fuzzers: the obviously-correct model of
// "who holds which bytes". A std::map of live [begin, end) ranges (no two may
// overlap), plus a per-block fill pattern that must survive until release.
// Nothing here uses library code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>

namespace zonebuf::fuzz {

[[noreturn]] inline void fail(const char* what, long op) {
  std::fprintf(stderr, "zonebuf fuzz mismatch: %s (op %ld)\n", what, op);
  std::abort();
}

class LiveRanges {
 public:
  // False (and nothing recorded) if [begin, begin + size) overlaps a live range
  // or begin is already live (size 0 still claims its address).
  bool add(const std::byte* begin, std::size_t size) {
    const std::byte* end = begin + (size == 0 ? 1 : size);
    auto next = ranges_.lower_bound(begin);
    if (next != ranges_.end() && next->first < end) return false;
    if (next != ranges_.begin() && std::prev(next)->second > begin) return false;
    ranges_.emplace(begin, end);
    return true;
  }
  // False if begin is not live.
  bool remove(const std::byte* begin) { return ranges_.erase(begin) == 1; }
  std::size_t size() const { return ranges_.size(); }

 private:
  std::map<const std::byte*, const std::byte*> ranges_;
};

// The 8-byte word a block tagged `tag` holds at word k: differs between
// neighbouring words and between blocks, so a stray write or a block handed
// out twice shows up. Words (not bytes), and no coverage tracing of these
// loops (it would dominate the run time), keep multi-KiB blocks cheap.
#if defined(__clang__)
#define ZONEBUF_FUZZ_NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))
#else
#define ZONEBUF_FUZZ_NO_COVERAGE
#endif
inline std::uint64_t patternWord(std::uint32_t tag, std::size_t k) {
  return (std::uint64_t{tag} << 32 | tag) ^ (static_cast<std::uint64_t>(k) * 0x9E3779B97F4A7C15u);
}
ZONEBUF_FUZZ_NO_COVERAGE inline void fillPattern(std::byte* p, std::size_t n, std::uint32_t tag) {
  std::size_t k = 0;
  for (; 8 * k + 8 <= n; ++k) {
    const std::uint64_t w = patternWord(tag, k);
    std::memcpy(p + 8 * k, &w, 8);
  }
  const std::uint64_t w = patternWord(tag, k);
  std::memcpy(p + 8 * k, &w, n - 8 * k);
}
ZONEBUF_FUZZ_NO_COVERAGE inline bool hasPattern(const std::byte* p, std::size_t n, std::uint32_t tag) {
  std::size_t k = 0;
  for (; 8 * k + 8 <= n; ++k) {
    std::uint64_t w;
    std::memcpy(&w, p + 8 * k, 8);
    if (w != patternWord(tag, k)) return false;
  }
  const std::uint64_t want = patternWord(tag, k);
  std::uint64_t tail = want;
  std::memcpy(&tail, p + 8 * k, n - 8 * k);  // memcmp would be traced by libFuzzer
  return tail == want;
}
ZONEBUF_FUZZ_NO_COVERAGE inline bool allZero(const std::byte* p, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w != 0) return false;
  }
  for (; i < n; ++i)
    if (p[i] != std::byte{0}) return false;
  return true;
}

// A window at each end of a block carries the pattern (whole blocks would make
// multi-megabyte blocks too slow under ASan); a stray write near either end,
// or a block handed out twice, still shows.
inline constexpr std::size_t kPatternWindow = 512;
inline void fillEnds(std::byte* p, std::size_t n, std::uint32_t tag) {
  if (n <= 2 * kPatternWindow) return fillPattern(p, n, tag);
  fillPattern(p, kPatternWindow, tag);
  fillPattern(p + n - kPatternWindow, kPatternWindow, tag ^ 0x5a5a5a5au);
}
inline bool hasEnds(const std::byte* p, std::size_t n, std::uint32_t tag) {
  if (n <= 2 * kPatternWindow) return hasPattern(p, n, tag);
  return hasPattern(p, kPatternWindow, tag) && hasPattern(p + n - kPatternWindow, kPatternWindow, tag ^ 0x5a5a5a5au);
}

}  // namespace zonebuf::fuzz
