#include "zonebuf/pool/size_classes.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <memory>
#include <string>

#include "config_error.hpp"

namespace zonebuf {

namespace {

bool isPowerOfTwo(std::size_t v) { return v != 0 && (v & (v - 1)) == 0; }

std::string sub(const char* field, const char* key) { return std::string(field) + "." + key; }

// The direct table before any class is entered (copied, not filled per entry).
constexpr auto kEmptyTable = [] {
  std::array<std::uint16_t, SizeClasses::kMaxDirect> t{};
  t.fill(0xFFFF);  // SizeClasses::kNoEntry (private; build() asserts they agree)
  return t;
}();

// Class i (size m_i granules) answers entries [m_(i-1), m_i): the sizes in
// (m_(i-1) granules, m_i granules]. One fill per class, not a scan per entry.
// Kept out of coverage instrumentation: its comparisons are loop bounds, and
// traced they were most of the cost of building a pool in a fuzzer.
#if defined(__clang__)
[[clang::no_sanitize("coverage")]]
#endif
void fillDirect(std::uint16_t* table, const std::vector<std::size_t>& sizes, unsigned granuleLog, std::size_t directCount) {
  std::size_t from = 0;
  for (std::size_t cls = 0; cls < sizes.size() && from < directCount; ++cls) {
    const std::size_t to = std::min(sizes[cls] >> granuleLog, directCount);
    std::fill(table + from, table + to, static_cast<std::uint16_t>(cls));
    from = to;
  }
}

}  // namespace

void SizeClasses::check(const SizeClassSpec& spec, const char* field) {
  if (!spec.sizes.empty()) {
    if (spec.sizes.size() > kMaxClassCount) {
      detail::throwInvalidField(field, std::to_string(spec.sizes.size()) + " classes",
                                "a zone may have at most " + std::to_string(kMaxClassCount) + " classes");
    }
    for (std::size_t i = 0; i < spec.sizes.size(); ++i) {
      const std::size_t s = spec.sizes[i];
      const bool inRange = s != 0 && s <= kMaxClassSize;
      if (inRange && (i == 0 || s > spec.sizes[i - 1])) continue;
      const std::string name = std::string(field) + "[" + std::to_string(i) + "]";
      if (!inRange) {
        detail::throwInvalidField(name, std::to_string(s),
                                  "class sizes must be between 1 and " + std::to_string(kMaxClassSize));
      }
      detail::throwInvalidField(name, std::to_string(s),
                                "class sizes must be strictly increasing (previous class is " +
                                    std::to_string(spec.sizes[i - 1]) + ")");
    }
    return;
  }
  const std::size_t min = spec.minSize, max = spec.maxSize, per = spec.perDoubling;
  if (!isPowerOfTwo(min) || min > kMaxClassSize) {
    detail::throwInvalidField(sub(field, "min"), std::to_string(min),
                              "must be a power of two between 1 and " + std::to_string(kMaxClassSize));
  }
  if (max < min) {
    detail::throwInvalidField(sub(field, "max"), std::to_string(max),
                              "must be >= " + sub(field, "min") + " (" + std::to_string(min) + ")");
  }
  if (!isPowerOfTwo(max) || max > kMaxClassSize) {
    detail::throwInvalidField(sub(field, "max"), std::to_string(max),
                              "must be a power of two no larger than " + std::to_string(kMaxClassSize));
  }
  if (!isPowerOfTwo(per) || per > 64 || per > min / 2) {
    detail::throwInvalidField(sub(field, "perDoubling"), std::to_string(per),
                              "must be a power of two from 1 to 64 and no larger than half of " + sub(field, "min") +
                                  " (" + std::to_string(min) + ")");
  }
  const std::size_t doublings = static_cast<std::size_t>(std::countr_zero(max) - std::countr_zero(min));
  if (1 + doublings * per > kMaxClassCount) {
    detail::throwInvalidField(sub(field, "perDoubling"), std::to_string(per),
                              "gives " + std::to_string(1 + doublings * per) + " classes; at most " +
                                  std::to_string(kMaxClassCount) + " are allowed");
  }
}

SizeClasses SizeClasses::build(const SizeClassSpec& spec, const char* field) {
  check(spec, field);
  SizeClasses c;
  if (!spec.sizes.empty()) {
    c.sizes_ = spec.sizes;
    c.generated_ = false;
  } else {
    const std::size_t min = spec.minSize, max = spec.maxSize, per = spec.perDoubling;
    c.minLog_ = static_cast<unsigned>(std::countr_zero(min));
    c.perLog_ = static_cast<unsigned>(std::countr_zero(per));
    c.indexBias_ = (std::size_t{c.minLog_} << c.perLog_) + per - 1;
    const std::size_t doublings = static_cast<std::size_t>(std::countr_zero(max)) - c.minLog_;
    c.sizes_.reserve(1 + doublings * per);
    c.sizes_.push_back(min);
    for (std::size_t base = min; base < max; base *= 2) {
      for (std::size_t j = 1; j <= per; ++j) c.sizes_.push_back(base + j * (base / per));
    }
    c.generated_ = true;
  }
  c.count_ = c.sizes_.size();
  c.min_ = c.sizes_.front();
  c.max_ = c.sizes_.back();
  // The first class > 2^e only moves up as e grows: one pass over the classes.
  std::size_t first = 0;
  for (unsigned e = 0; e < static_cast<unsigned>(std::numeric_limits<std::size_t>::digits); ++e) {
    const std::size_t floor = std::size_t{1} << e;
    while (first + 1 < c.count_ && c.sizes_[first] <= floor) ++first;
    c.octaveStart_[e] = static_cast<std::uint32_t>(first);
  }
  std::size_t common = 0;
  for (std::size_t size : c.sizes_) common |= size;
  c.granuleLog_ = static_cast<unsigned>(std::countr_zero(common));
  c.directCount_ = std::min(c.max_ >> c.granuleLog_, kMaxDirect);
  static_assert(kEmptyTable[0] == kNoEntry && kEmptyTable.size() == kMaxDirect);
  std::unique_ptr<std::uint16_t[]> direct(new std::uint16_t[kMaxDirect]);
  std::copy(kEmptyTable.begin(), kEmptyTable.end(), direct.get());
  fillDirect(direct.get(), c.sizes_, c.granuleLog_, c.directCount_);
  c.direct_ = std::move(direct);
  return c;
}

std::size_t SizeClasses::findBeyondTable(std::size_t n) const noexcept {
  if (n > max_) return kNone;
  if (n <= min_) return 0;
  if (generated_) {
    // m in [2^e, 2^(e+1)): the class is the e-th doubling's (m >> (e - perLog))-th step.
    const std::size_t m = n - 1;
    const unsigned e = static_cast<unsigned>(std::bit_width(m)) - 1;
    return (std::size_t{e} << perLog_) + (m >> (e - perLog_)) - indexBias_;
  }
  const unsigned e = static_cast<unsigned>(std::bit_width(n - 1)) - 1;  // 2^e < n <= 2^(e+1)
  std::size_t i = octaveStart_[e];
  while (sizes_[i] < n) ++i;  // terminates: n <= max_ == sizes_.back()
  return i;
}

}  // namespace zonebuf
