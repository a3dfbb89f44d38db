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
  // A baseline without acquisitions has no per-zone counts either (they add
  // up to its total), and a snapshot holds no empty histogram buckets.
  if (base.acquisitions == 0) return;
  for (int z = 0; z < kZoneCount; ++z) {
    PoolZoneStats& zs = s.zones[z];
    const PoolZoneStats& bz = base.zones[z];
    zs.acquisitions -= bz.acquisitions;
    zs.oversize -= bz.oversize;
    // Both histograms ascend by le (each le once): one merge pass.
    auto old = bz.histogram.begin();
    for (PoolHistogramBucket& bucket : zs.histogram) {
      while (old != bz.histogram.end() && old->le < bucket.le) ++old;
      if (old != bz.histogram.end() && old->le == bucket.le) bucket.count -= old->count;
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
// live one that is not idle. Each list's sums are taken where they are used:
// no per-call scratch arrays, and each zone's vectors are sized once.
// Kept out of coverage instrumentation: a reduction over every list whose
// comparisons are loop bounds and zero tests gives a fuzzer no signal, and
// traced they made each stats() call several hundred callbacks.
#if defined(__clang__)
[[clang::no_sanitize("coverage")]]
#endif
PoolStats cumulativeStats(const detail::PoolShared& s, const detail::LocalCache& single, const detail::ZoneTable& zones) {
  const bool countSingle = !s.multiThreaded();
  PoolStats out;
  for (int z = 0; z < kZoneCount; ++z) {
    PoolZoneStats& zs = out.zones[z];
    const std::size_t count = zones[z].classes.count();
    zs.classes.resize(count);  // zeroed: what a class that never held a node reports
    const auto oversizeBuckets = static_cast<std::size_t>(std::count_if(
        s.oversizeHistogram[z].begin(), s.oversizeHistogram[z].end(), [](std::uint64_t n) { return n != 0; }));
    if (oversizeBuckets != 0) zs.histogram.reserve(count + oversizeBuckets);
    for (std::size_t c = 0; c < count; ++c) {
      const std::size_t li = zones[z].base + c;
      const std::size_t size = zones[z].classes.sizeOf(c);
      const detail::PoolShared::Book& b = s.book[li];
      zs.classes[c].size = size;
      // A class that never held a node had no hit and no miss: its lists (one
      // per cache, on scattered cache lines) need no read. Most classes of
      // most pools are such.
      if (!b.hadNode) {
        ZONEBUF_ASSERT(b.live == 0 && b.peakLive == 0 && b.misses == 0, "a class with nodes is marked unused");
        continue;
      }
      std::uint64_t acq = s.retired.lists[li].acquisitions.get();
      std::uint64_t idle = s.lists[li].size() + s.retired.lists[li].size();
      if (countSingle) {
        acq += single.lists[li].acquisitions.get();
        idle += single.lists[li].size();
      }
      for (const detail::LocalCache* cache : s.caches) {
        acq += cache->lists[li].acquisitions.get();
        idle += cache->lists[li].size();
      }
      const std::uint64_t idleNow = std::min(idle, b.live);
      zs.classes[c] = {size, acq, b.misses, idleNow, b.live, b.peakLive};
      if (acq != 0) {
        // Sized at the first bucket, so that an unused zone allocates nothing.
        if (zs.histogram.capacity() == 0) zs.histogram.reserve(count - c + oversizeBuckets);
        zs.histogram.push_back({size, acq});
      }
      zs.acquisitions += acq;
      out.hits += acq - std::min(acq, b.misses);
      out.misses += b.misses;
      out.pooledNow += idleNow;
      out.retainedBytes += idleNow * size;
      zs.retainedBytes += idleNow * size;
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
