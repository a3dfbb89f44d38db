#include "zonebuf/pool/pool_config.hpp"

#include <string>

#include "config_error.hpp"

namespace zonebuf {

namespace {

void requirePositive(const std::string& field, std::size_t value) {
  if (value == 0) detail::throwInvalidField(field, "0", "must be at least 1 (a zero cap would disable pooling)");
}

void requireSampleEvery(const char* field, std::uint64_t value, std::uint32_t most) {
  if (value == 0 || value > most) {
    std::string rule = "must be 1..";
    rule += std::to_string(most);
    rule += " (one sampled acquisition in this many)";
    detail::throwInvalidField(field, std::to_string(value), rule);
  }
}

}  // namespace

void PoolConfig::validate() const {
  if (threading != ThreadingMode::SingleThreaded && threading != ThreadingMode::MultiThreaded) {
    detail::throwInvalidField("threading", std::to_string(static_cast<int>(threading)),
                              "must be SingleThreaded or MultiThreaded");
  }
  for (int z = 0; z < kZoneCount; ++z) {
    const std::string prefix = "zones." + std::string(zoneName(static_cast<AllocationZone>(z)));
    SizeClasses::check(zones[z].classes, (prefix + ".classes").c_str());
    requirePositive(prefix + ".maxPerClass", zones[z].maxPerClass);
  }
  requirePositive("maxRetainedBytes", maxRetainedBytes);
  requirePositive("threadCacheCount", threadCacheCount);
  requirePositive("threadCacheBytes", threadCacheBytes);
  requireSampleEvery("trace.sampleEvery", trace.sampleEvery, TraceConfig::kMaxSampleEvery);
  if (leakDetection.level != LeakDetectionLevel::Disabled && leakDetection.level != LeakDetectionLevel::Sampled &&
      leakDetection.level != LeakDetectionLevel::Paranoid) {
    detail::throwInvalidField("leakDetection.level", std::to_string(static_cast<int>(leakDetection.level)),
                              "must be Disabled, Sampled or Paranoid");
  }
  requireSampleEvery("leakDetection.sampleEvery", leakDetection.sampleEvery, LeakDetectionConfig::kMaxSampleEvery);
}

std::size_t OutstandingLeases::totalBytes() const noexcept {
  std::size_t total = 0;
  for (const Lease& l : leases) total += l.capacity;
  return total;
}

std::string OutstandingLeases::describe() const {
  std::string s = "BufferPool destroyed with " + std::to_string(leases.size()) + " outstanding lease" +
                  (leases.size() == 1 ? "" : "s") + " (" + std::to_string(totalBytes()) + " bytes):";
  constexpr std::size_t kListed = 32;
  for (std::size_t i = 0; i < leases.size() && i < kListed; ++i) {
    s += (i == 0 ? " " : ", ") + std::string(zoneName(leases[i].zone)) + " " + std::to_string(leases[i].capacity);
  }
  if (leases.size() > kListed) s += ", ... (" + std::to_string(leases.size() - kListed) + " more)";
  s += ". The leases stay valid and free their memory when released; release every lease before "
       "destroying its pool.";
  if (leakSites.level != LeakDetectionLevel::Disabled) {
    s += ' ';
    s += leakSites.describe();
  }
  return s;
}

}  // namespace zonebuf
