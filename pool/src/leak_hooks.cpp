// BufferPool's side of leak detection (leak_detector.hpp): recording a
// sampled acquisition with its clock, and the reports of stats() and
// ~BufferPool. A lease's age in acquisitions counts those of its own size
// class (oversize: its zone's oversize requests): one counter to read when
// it is sampled, where a pool-wide count would sum every list (measured:
// most of a sample's cost).
#include "leak_detector.hpp"
#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

std::uint32_t BufferPool::leakClockOf(const detail::PoolNode* n) const noexcept {
  return n->oversize() ? static_cast<std::uint32_t>(shared_->listCount()) + static_cast<std::uint32_t>(n->zone)
                       : n->listIndex();
}

std::uint64_t BufferPool::leakClock(std::uint32_t clock) const noexcept {
  const detail::PoolShared& s = *shared_;
  if (clock >= s.listCount()) return s.oversize[clock - s.listCount()];
  std::uint64_t total = s.retired.lists[clock].acquisitions.get();
  if (!s.multiThreaded()) total += single_.lists[clock].acquisitions.get();
  for (const detail::LocalCache* c : s.caches) total += c->lists[clock].acquisitions.get();
  return total;
}

void BufferPool::recordLeak(detail::PoolNode* n, const void* caller) noexcept {
  const std::uint32_t clock = leakClockOf(n);
  std::uint64_t now = 0;
  {
    auto lock = shared_->lock();
    now = leakClock(clock);
  }
  shared_->leaks->record(n, clock, now, caller);
}

LeakReport BufferPool::leakSites() const {
  if (!shared_->leaks) return {};
  std::vector<std::uint64_t> clocks(shared_->listCount() + kZoneCount);
  for (std::size_t c = 0; c < clocks.size(); ++c) clocks[c] = leakClock(static_cast<std::uint32_t>(c));
  return shared_->leaks->report(clocks);
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
