// BufferPool::stats() and clear(): a snapshot of every cache's counters and
// the shared books, less the baseline clear() last set.
#include <algorithm>
#include <limits>
#include <vector>

#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

namespace {

void subtractBaseline(PoolStats& s, const PoolStats& base) {
  s.acquisitions -= base.acquisitions;
  s.hits -= base.hits;
  s.misses -= base.misses;
  s.oversize -= base.oversize;
  s.trimmedBuffers -= base.trimmedBuffers;
  for (int z = 0; z < kZoneCount; ++z) {
    PoolZoneStats& zs = s.zones[z];
    const PoolZoneStats& bz = base.zones[z];
    zs.acquisitions -= bz.acquisitions;
    zs.oversize -= bz.oversize;
    for (PoolHistogramBucket& bucket : zs.histogram) {
      for (const PoolHistogramBucket& old : bz.histogram) {
        if (old.le == bucket.le) bucket.count -= old.count;
      }
    }
    std::erase_if(zs.histogram, [](const PoolHistogramBucket& b) { return b.count == 0; });
    for (std::size_t c = 0; c < zs.classes.size() && c < bz.classes.size(); ++c) {
      zs.classes[c].acquisitions -= bz.classes[c].acquisitions;
      zs.classes[c].misses -= bz.classes[c].misses;
    }
  }
}

// Counters summed over every cache; the caller holds the lock. Idle counts
// are read from the lists themselves (relaxed loads); a leased buffer is a
// live one that is not idle.
PoolStats cumulativeStats(const detail::PoolShared& s, const detail::LocalCache& single, const detail::ZoneTable& zones) {
  const std::size_t n = s.listCount();
  std::vector<std::uint64_t> acq(n), idle(n);
  auto add = [&](const detail::LocalCache& c) {
    for (std::size_t i = 0; i < n; ++i) {
      acq[i] += c.lists[i].acquisitions.get();
      idle[i] += c.lists[i].size();
    }
  };
  if (!s.multiThreaded()) add(single);
  for (const detail::LocalCache* c : s.caches) add(*c);
  add(s.retired);
  for (std::size_t i = 0; i < n; ++i) idle[i] += s.lists[i].size();
  PoolStats out;
  for (int z = 0; z < kZoneCount; ++z) {
    PoolZoneStats& zs = out.zones[z];
    for (std::size_t c = 0; c < zones[z].classes.count(); ++c) {
      const std::size_t li = zones[z].base + c;
      const std::size_t size = zones[z].classes.sizeOf(c);
      const detail::PoolShared::Book& b = s.book[li];
      const std::uint64_t idleNow = std::min(idle[li], b.live);
      zs.classes.push_back({size, acq[li], b.misses, idleNow, b.live, b.peakLive});
      if (acq[li] != 0) zs.histogram.push_back({size, acq[li]});
      zs.acquisitions += acq[li];
      out.hits += acq[li] - std::min(acq[li], b.misses);
      out.misses += b.misses;
      out.pooledNow += idleNow;
      out.retainedBytes += idleNow * size;
      out.outstandingLeases += b.live - idleNow;
    }
    for (std::size_t b = 0; b < PoolZoneStats::kOversizeBuckets; ++b) {
      if (s.oversizeHistogram[z][b] == 0) continue;
      const std::size_t le = b >= std::numeric_limits<std::size_t>::digits ? std::numeric_limits<std::size_t>::max()
                                                                           : std::size_t{1} << b;
      zs.histogram.push_back({le, s.oversizeHistogram[z][b]});
    }
    zs.oversize = s.oversize[z];
    zs.acquisitions += s.oversize[z];
    out.oversize += s.oversize[z];
  }
  out.acquisitions = out.hits + out.misses + out.oversize;
  out.outstandingLeases += s.oversizeOutstanding;
  out.peakPooled = s.peakLiveTotal;
  out.trimmedBuffers = s.trimmed;
  return out;
}

}  // namespace

PoolStats BufferPool::stats() const {
  auto lock = shared_->lock();
  PoolStats s = cumulativeStats(*shared_, single_, zones_);
  subtractBaseline(s, shared_->baseline);
  s.leaks = leakReport(s);
  return s;
}

void BufferPool::clear() {
  trim();
  auto lock = shared_->lock();
  detail::PoolShared& s = *shared_;
  s.baseline = cumulativeStats(s, single_, zones_);
  for (auto& b : s.book) b.peakLive = b.live;
  s.peakLiveTotal = s.liveTotal;
}

}  // namespace zonebuf
