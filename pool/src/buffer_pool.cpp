// BufferPool: construction, destruction, statistics, trim and clear.
#include "zonebuf/pool/buffer_pool.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

#include "pool_shared.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace {

std::atomic<std::uint64_t> gNextPoolId{1};

const PoolConfig& validated(const PoolConfig& config) {
  config.validate();
  return config;
}

std::size_t countLists(const PoolConfig& config) {
  std::size_t n = 0;
  for (const ZonePoolConfig& z : config.zones) n += SizeClasses::build(z.classes, "classes").count();
  return n;
}

// Lists count in 32 bits; a larger cap could never be reached anyway.
std::uint32_t clamp32(std::size_t v) { return static_cast<std::uint32_t>(std::min<std::size_t>(v, UINT32_MAX)); }

// Each class counts its own acquisitions (the hit path already bumps that
// counter, so a shared countdown would cost a second read-modify-write) and
// runs the idle-policy check every this many of them. Steps of at most 1024
// keep a period from running long when traffic spreads over many classes;
// time-based trimming and MultiThreaded trim requests are noticed at checks.
std::uint64_t tickPeriodOf(const PoolConfig& c) {
  const bool anyPolicy = c.idleTrimOperations != 0 || c.idleTrimMillis != 0 || c.threading == ThreadingMode::MultiThreaded;
  if (!anyPolicy) return std::uint64_t{1} << 62;
  return c.idleTrimOperations != 0 ? std::min<std::uint64_t>(c.idleTrimOperations, 1024) : 1024;
}

// Tracing samples at ticks: they must come at least every sampleEvery acquisitions.
std::uint64_t tickPeriodWithTrace(const PoolConfig& c) {
  const std::uint64_t period = tickPeriodOf(c);
  return c.trace.enabled() ? std::min<std::uint64_t>(period, c.trace.sampleEvery) : period;
}

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

}  // namespace

namespace detail {

void throwEmptyLease(const char* op) {
  throw InvalidArgumentError(std::string("PooledBuffer::") + op +
                             " on an empty lease: it was already released or moved from. "
                             "Keep using the lease you moved it into, or acquire a new one.");
}

void releaseSpecial(PoolNode* node, std::uint32_t slot) noexcept {
  if ((slot & (kTraceBit | kOrphanBit)) == kTraceBit) {
    slot = node->pool->shared_->trace->onRelease(node, slot);
    if ((slot & kSpecialBits) == 0) return node->pool->releaseNode(node, slot);
  }
  if ((slot & kOrphanBit) != 0) {
    delete node;  // its pool is gone; the buffer frees its own block
  } else if ((slot & kOversizeBit) != 0) {
    node->pool->releaseOversize(node);
  } else {
    // kZeroBit: the cache's releaseLimit of 0 sends it on to releaseFull, which zeroes it.
    node->pool->releaseNode(node, slot & ~(kZeroBit | kTraceBit));
  }
}

}  // namespace detail

void BufferPool::throwBadZone(AllocationZone zone) {
  throw InvalidArgumentError("BufferPool: unknown AllocationZone value " + std::to_string(static_cast<int>(zone)) +
                             "; use AllocationZone::Heap, Direct or SharedMemory");
}

BufferPool::BufferPool(PoolConfig config)
    : mode_(validated(config).threading),
      zeroOnRelease_(config.zeroOnRelease),
      id_(gNextPoolId.fetch_add(1, std::memory_order_relaxed)),
      zones_{},
      single_(countLists(config)),
      config_(std::move(config)) {
  std::vector<std::size_t> sizes;
  std::vector<std::uint32_t> caps;
  std::vector<AllocationZone> zoneOf;
  for (int z = 0; z < kZoneCount; ++z) {
    zones_[z].classes = SizeClasses::build(config_.zones[z].classes, "classes");
    zones_[z].base = static_cast<std::uint32_t>(sizes.size());
    for (std::size_t c = 0; c < zones_[z].classes.count(); ++c) {
      sizes.push_back(zones_[z].classes.sizeOf(c));
      caps.push_back(clamp32(config_.zones[z].maxPerClass));
      zoneOf.push_back(static_cast<AllocationZone>(z));
    }
  }
  shared_ = std::make_shared<detail::PoolShared>(mode_, sizes, caps, config_.maxRetainedBytes);
  shared_->classZone = std::move(zoneOf);
  shared_->threadCaps.assign(sizes.size(), clamp32(config_.threadCacheCount));
  shared_->threadCacheBytes = config_.threadCacheBytes;
  shared_->tickPeriod = tickPeriodWithTrace(config_);
  if (config_.trace.enabled()) shared_->trace = std::make_unique<detail::TraceRecorder>(config_.trace, shared_->tickPeriod);
  shared_->idleOps = config_.idleTrimOperations;
  shared_->idleMillis = config_.idleTrimMillis;
  for (int z = 0; z < kZoneCount; ++z) {
    shared_->zoneBase[z] = zones_[z].base;
    shared_->zoneClassCount[z] = zones_[z].classes.count();
    shared_->baseline.zones[z].classes.resize(zones_[z].classes.count());
  }
  detail::initCache(single_, caps, shared_->zoneBase, config_.maxRetainedBytes, zeroOnRelease_, shared_->tickPeriod);
  if (mode_ == ThreadingMode::SingleThreaded) singleZoneLists_ = single_.zoneLists;
}

BufferPool::~BufferPool() {
  OutstandingLeases report;
  detail::PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    detail::PoolShared& s = *shared_;
    s.alive = false;
    for (std::size_t i = 0; i < s.listCount(); ++i) {
      s.retireList(single_.lists[i], doomed);
      s.retireList(s.lists[i], doomed);
      for (detail::LocalCache* cache : s.caches) s.retireList(cache->lists[i], doomed);
    }
    for (detail::LocalCache* cache : s.caches) cache->acquiredBytes = cache->releasedBytes;
    s.caches.clear();
    // Every node still registered is leased: orphan it. Its lease frees it.
    for (detail::PoolNode* n = s.registry.allNext; n != &s.registry;) {
      detail::PoolNode* next = n->allNext;
      report.leases.push_back({n->zone, n->capacity});
      n->pool = nullptr;
      n->allPrev = n->allNext = nullptr;
      n->fastKey = &detail::gNoFastRelease;
      n->slot.store(n->slot.load(std::memory_order_relaxed) | detail::kOrphanBit, std::memory_order_release);
      n = next;
    }
    s.registry.allNext = s.registry.allPrev = &s.registry;
  }
  detail::PoolShared::freeChain(doomed);
  if (shared_->trace) shared_->trace->close();  // orphans' releases are not recorded
  if (report.leases.empty()) return;
  if (config_.onOutstandingLeases) {
    try {
      config_.onOutstandingLeases(report);
    } catch (...) {
      std::fprintf(stderr, "zonebuf: onOutstandingLeases threw; report was: %s\n", report.describe().c_str());
    }
  } else {
    std::fprintf(stderr, "zonebuf: %s\n", report.describe().c_str());
  }
}

namespace {

// Counters summed over every cache; the caller holds the lock. Idle counts
// are read from the lists themselves (relaxed loads); a leased buffer is a
// live one that is not idle.
PoolStats cumulativeStats(const detail::PoolShared& s, const detail::LocalCache& single, ThreadingMode mode) {
  const std::size_t n = s.listCount();
  std::vector<std::uint64_t> acq(n), idle(n);
  auto add = [&](const detail::LocalCache& c) {
    for (std::size_t i = 0; i < n; ++i) {
      acq[i] += c.lists[i].acquisitions.get();
      idle[i] += c.lists[i].size();
    }
  };
  if (mode == ThreadingMode::SingleThreaded) add(single);
  for (const detail::LocalCache* c : s.caches) add(*c);
  add(s.retired);
  for (std::size_t i = 0; i < n; ++i) idle[i] += s.lists[i].size();
  PoolStats out;
  for (int z = 0; z < kZoneCount; ++z) {
    PoolZoneStats& zs = out.zones[z];
    for (std::size_t c = 0; c < s.zoneClassCount[z]; ++c) {
      const std::size_t li = s.zoneBase[z] + c;
      const detail::PoolShared::Book& b = s.book[li];
      const std::uint64_t idleNow = std::min(idle[li], b.live);
      zs.classes.push_back({s.classSize[li], acq[li], b.misses, idleNow, b.live, b.peakLive});
      if (acq[li] != 0) zs.histogram.push_back({s.classSize[li], acq[li]});
      zs.acquisitions += acq[li];
      out.hits += acq[li] - std::min(acq[li], b.misses);
      out.misses += b.misses;
      out.pooledNow += idleNow;
      out.retainedBytes += idleNow * s.classSize[li];
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
  PoolStats s = cumulativeStats(*shared_, single_, mode_);
  subtractBaseline(s, shared_->baseline);
  return s;
}

void BufferPool::trim() {
  detail::PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    detail::PoolShared& s = *shared_;
    if (mode_ == ThreadingMode::SingleThreaded) {
      // Booked as lost, not reset: a withBuffer lease in flight may still count as idle.
      for (std::size_t i = 0; i < s.listCount(); ++i) single_.lost(s.retireList(single_.lists[i], doomed));
    } else {
      for (std::size_t i = 0; i < s.listCount(); ++i) s.retained -= s.retireList(s.lists[i], doomed);
      const std::uint64_t request = s.trimRequests.fetch_add(1, std::memory_order_relaxed) + 1;
      if (detail::tThreadSlot.poolId == id_) {
        detail::LocalCache* own = detail::tThreadSlot.cache;
        for (std::size_t i = 0; i < s.listCount(); ++i) own->lost(s.retireList(own->lists[i], doomed));
        own->seenTrimRequest = request;
      }
    }
  }
  detail::PoolShared::freeChain(doomed);
}

void BufferPool::clear() {
  trim();
  auto lock = shared_->lock();
  detail::PoolShared& s = *shared_;
  s.baseline = cumulativeStats(s, single_, mode_);
  for (auto& b : s.book) b.peakLive = b.live;
  s.peakLiveTotal = s.liveTotal;
}

}  // namespace zonebuf
