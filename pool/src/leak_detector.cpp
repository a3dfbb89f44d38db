#include "leak_detector.hpp"

#include <algorithm>
#include <map>

#include "pool_shared.hpp"

namespace zonebuf::detail {

LeakDetector::LeakDetector(const LeakDetectionConfig& config, std::uint64_t tickPeriod) noexcept
    : config_(config),
      every_(config.level == LeakDetectionLevel::Paranoid ? 1 : config.sampleEvery),
      tickPeriod_(tickPeriod) {
  ZONEBUF_ASSERT(config.enabled(), "a disabled level makes no detector");
  ZONEBUF_ASSERT(tickPeriod >= 1 && tickPeriod <= every_, "a tick stands for at most one sample");
}

void LeakDetector::record(PoolNode* n, std::uint32_t clock, std::uint64_t acquisitions, const void* caller) noexcept {
  ZONEBUF_ASSERT((n->slot.load(std::memory_order_relaxed) & kLeakBit) == 0, "a lease is recorded once");
  const LeakStack stack = captureLeakStack(caller, config_.level == LeakDetectionLevel::Paranoid);
  const std::uint64_t millis = nowMillis();
  {
    std::lock_guard lock(mutex_);
    try {
      live_.insert_or_assign(n, Record{stack, clock, acquisitions, millis, n->capacity});
    } catch (...) {
      return;  // out of memory: this one goes unrecorded
    }
  }
  n->fastKey = &gNoFastRelease;
  n->slot.fetch_or(kLeakBit, std::memory_order_relaxed);
}

void LeakDetector::onRelease(PoolNode* n) noexcept {
  // Atomic: the slot is shared with ~BufferPool (which orphans leased nodes).
  [[maybe_unused]] const std::uint32_t was = n->slot.fetch_and(~kLeakBit, std::memory_order_relaxed);
  ZONEBUF_ASSERT((was & kLeakBit) != 0, "only recorded leases are reported");
  std::lock_guard lock(mutex_);
  live_.erase(n);
}

void LeakDetector::onGrow(const PoolNode* n) noexcept {
  std::lock_guard lock(mutex_);
  if (auto it = live_.find(n); it != live_.end()) it->second.bytes = n->capacity;
}

LeakReport LeakDetector::report(const std::vector<std::uint64_t>& clocks) const {
  LeakReport out;
  out.level = config_.level;
  out.sampleEvery = static_cast<std::uint32_t>(every_);
  std::map<LeakStack, LeakSite> bySite;
  const std::uint64_t now = nowMillis();
  {
    std::lock_guard lock(mutex_);
    for (const auto& [node, r] : live_) {
      LeakSite& site = bySite[r.stack];
      site.count++;
      site.bytes += r.bytes;
      const std::uint64_t clockNow = r.clock < clocks.size() ? clocks[r.clock] : r.acquisitions;
      site.oldestAgeAcquisitions = std::max(site.oldestAgeAcquisitions, clockNow - std::min(clockNow, r.acquisitions));
      site.oldestAgeMillis = std::max(site.oldestAgeMillis, now - std::min(now, r.millis));
    }
  }
  // Symbolized outside the lock: releases on other threads need not wait.
  for (auto& [stack, site] : bySite) {
    site.site = describeLeakStack(stack);
    out.sites.push_back(std::move(site));
  }
  std::stable_sort(out.sites.begin(), out.sites.end(), [](const LeakSite& a, const LeakSite& b) {
    return a.count != b.count ? a.count > b.count : a.bytes > b.bytes;
  });
  return out;
}

void addUnsampled(LeakReport& report, std::uint64_t countOut, std::uint64_t bytesOut) noexcept {
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
  for (const LeakSite& s : report.sites) {
    count += s.count;
    bytes += s.bytes;
  }
  // A MultiThreaded snapshot taken while others work may see a record
  // before (or after) the lease it stands for.
  report.unsampledCount = countOut - std::min(countOut, count);
  report.unsampledBytes = bytesOut - std::min(bytesOut, bytes);
}

}  // namespace zonebuf::detail
