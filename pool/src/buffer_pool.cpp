// BufferPool: construction, destruction and trim. Statistics and clear():
// buffer_pool_stats.cpp; acquisition: pool_acquire.cpp; release:
// pool_release.cpp; the idle policy: pool_idle_policy.cpp.
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

// The default spec's classes, built once per process: most pools use them.
// Never destroyed, so a pool made during static destruction can still use it.
const SizeClasses& defaultClasses() {
  static const SizeClasses* const classes = new SizeClasses(SizeClasses::build(SizeClassSpec{}, "classes"));
  return *classes;
}

// `config` is validated. Zones with equal specs (the usual case) share one
// direct table: copies of a SizeClasses share it.
detail::ZoneTable zoneTableOf(const PoolConfig& config) {
  detail::ZoneTable zones{};
  std::uint32_t next = 0;
  for (int z = 0; z < kZoneCount; ++z) {
    const SizeClassSpec& spec = config.zones[z].classes;
    int same = 0;
    while (same < z && !(config.zones[same].classes == spec)) ++same;
    if (same < z) zones[z].classes = zones[same].classes;
    else if (spec == SizeClassSpec{}) zones[z].classes = defaultClasses();
    else zones[z].classes = SizeClasses::build(spec, "classes");
    zones[z].base = next;
    next += static_cast<std::uint32_t>(zones[z].classes.count());
  }
  return zones;
}

std::size_t listCountOf(const detail::ZoneTable& zones) {
  return zones.back().base + zones.back().classes.count();
}

}  // namespace

void BufferPool::throwBadZone(AllocationZone zone) {
  throw InvalidArgumentError("BufferPool: unknown AllocationZone value " + std::to_string(static_cast<int>(zone)) +
                             "; use AllocationZone::Heap, Direct or SharedMemory");
}

BufferPool::BufferPool(PoolConfig config)
    : id_(gNextPoolId.fetch_add(1, std::memory_order_relaxed)),
      zones_(zoneTableOf(validated(config))),
      single_(listCountOf(zones_)),
      shared_(std::make_shared<detail::PoolShared>(std::move(config), zones_, listCountOf(zones_))) {
  const PoolConfig& c = shared_->config;
  std::array<std::uint32_t, kZoneCount> caps{};
  for (int z = 0; z < kZoneCount; ++z) {
    caps[z] = detail::clamp32(c.zones[z].maxPerClass);
    shared_->baseline.zones[z].classes.resize(zones_[z].classes.count());
  }
  detail::initCache(single_, zones_, caps, c.maxRetainedBytes, shared_->tickPeriod);
  if (!multiThreaded()) singleZoneLists_ = single_.zoneLists;
  registerForReclaim();
}

const PoolConfig& BufferPool::config() const noexcept { return shared_->config; }
bool BufferPool::multiThreaded() const noexcept { return shared_->multiThreaded(); }

BufferPool::~BufferPool() {
  unregisterForReclaim();  // waits for a drain of this pool in progress
  OutstandingLeases report;
  report.leakSites = leakSitesAtExit();  // before the caches (and their counts) go
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
    // Other threads' cache records stay theirs: each frees its own when it
    // next attaches to a pool or exits, after seeing this pool expired
    // through a relaxed load that orders nothing, so a write here to what it
    // frees there would race.
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
  detail::addUnsampled(report.leakSites, report.leases.size(), report.totalBytes());
  const PoolConfig& c = shared_->config;
  if (c.onOutstandingLeases) {
    try {
      c.onOutstandingLeases(report);
    } catch (...) {
      std::fprintf(stderr, "zonebuf: onOutstandingLeases threw; report was: %s\n", report.describe().c_str());
    }
  } else {
    std::fprintf(stderr, "zonebuf: %s\n", report.describe().c_str());
  }
}

void BufferPool::trim() {
  detail::PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    detail::PoolShared& s = *shared_;
    if (!s.multiThreaded()) {
      // Booked as lost, not reset: a withBuffer lease in flight may still count as idle.
      for (std::size_t i = 0; i < s.listCount(); ++i) single_.lost(s.retireList(single_.lists[i], doomed));
    } else {
      for (std::size_t i = 0; i < s.listCount(); ++i) s.took(s.retireList(s.lists[i], doomed));
      const std::uint64_t request = s.trimRequests.fetch_add(1, std::memory_order_relaxed) + 1;
      if (detail::tThreadSlot.poolId == id_) {
        detail::LocalCache* own = detail::tThreadSlot.cache;
        for (std::size_t i = 0; i < s.listCount(); ++i) own->lost(s.retireList(own->lists[i], doomed));
        own->seenTrimRequest = request;
      }
    }
  }
  detail::PoolShared::freeChainAndTrim(doomed);
}

}  // namespace zonebuf
