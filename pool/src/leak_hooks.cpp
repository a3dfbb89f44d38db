// BufferPool's side of leak detection (leak_detector.hpp): recording a
// sampled acquisition with the pool's acquisition count, and the reports of
// stats() and ~BufferPool.
#include "leak_detector.hpp"
#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

std::uint64_t BufferPool::acquisitionsSoFar() const noexcept {
  const detail::PoolShared& s = *shared_;
  std::uint64_t total = 0;
  auto add = [&](const detail::LocalCache& c) {
    for (std::size_t i = 0; i < s.listCount(); ++i) total += c.lists[i].acquisitions.get();
  };
  if (!s.multiThreaded()) add(single_);
  for (const detail::LocalCache* c : s.caches) add(*c);
  add(s.retired);
  for (const std::uint64_t n : s.oversize) total += n;
  return total;
}

void BufferPool::recordLeak(detail::PoolNode* n, const void* caller) noexcept {
  std::uint64_t now = 0;
  {
    auto lock = shared_->lock();
    now = acquisitionsSoFar();
  }
  shared_->leaks->record(n, now, caller);
}

LeakReport BufferPool::leakSites() const {
  if (!shared_->leaks) return {};
  return shared_->leaks->report(acquisitionsSoFar());
}

LeakReport BufferPool::leakSitesAtExit() const noexcept {
  try {
    auto lock = shared_->lock();
    return leakSites();
  } catch (...) {
    return {};
  }
}

LeakReport BufferPool::leakReport(const PoolStats& s) const {
  LeakReport r = leakSites();
  if (r.level == LeakDetectionLevel::Disabled) return r;
  std::uint64_t bytes = shared_->leaks->oversizeBytesOut();
  for (const PoolZoneStats& z : s.zones) {
    for (const PoolClassStats& c : z.classes) bytes += (c.live - c.idle) * c.size;
  }
  detail::addUnsampled(r, s.outstandingLeases, bytes);
  return r;
}

}  // namespace zonebuf
