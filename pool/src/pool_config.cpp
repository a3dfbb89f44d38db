#include "zonebuf/pool/pool_config.hpp"

#include <string>

#include "config_error.hpp"

namespace zonebuf {

namespace {

void requirePositive(const std::string& field, std::size_t value) {
  if (value == 0) detail::throwInvalidField(field, "0", "must be at least 1 (a zero cap would disable pooling)");
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
  if (trace.sampleEvery == 0 || trace.sampleEvery > TraceConfig::kMaxSampleEvery) {
    detail::throwInvalidField("trace.sampleEvery", std::to_string(trace.sampleEvery),
                              "must be 1..1048576 (one recorded acquisition in this many)");
  }
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
  return s;
}

}  // namespace zonebuf
