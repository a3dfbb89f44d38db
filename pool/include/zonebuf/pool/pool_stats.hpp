// PoolStats: a snapshot of a BufferPool's counters, taken by stats().
//
// Invariants of one snapshot: acquisitions == hits + misses + oversize;
// hitRate() == hits / acquisitions (0 when there were none); pooledNow and
// retainedBytes count idle buffers only (leased ones are in outstandingLeases);
// per zone, the histogram's counts add up to that zone's acquisitions;
// leaks.sampledCount() + leaks.unsampledCount == outstandingLeases unless
// leak detection is disabled (then the report is empty).
// The histogram has one bucket per size class (sizes in (previous class,
// class]) and power-of-two buckets above the largest class (oversize
// requests), so recording a request costs the hit path nothing extra.
// In MultiThreaded mode the counters are per-thread and summed here, so a
// snapshot taken while other threads work is approximate; it is exact when
// they are quiet.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/pool/leak_report.hpp"

namespace zonebuf {

struct PoolClassStats {
  std::size_t size = 0;
  std::uint64_t acquisitions = 0;
  std::uint64_t misses = 0;
  std::uint64_t idle = 0;      // buffers of this class waiting in the pool
  std::uint64_t live = 0;      // idle + leased
  std::uint64_t peakLive = 0;  // high-water mark of live
};

// Requests with sizes in (the previous bucket's le, le].
struct PoolHistogramBucket {
  std::size_t le = 0;
  std::uint64_t count = 0;
};

struct PoolZoneStats {
  // Oversize requests are bucketed by powers of two: (2^(b-1), 2^b].
  static constexpr std::size_t kOversizeBuckets = 65;
  std::vector<PoolHistogramBucket> histogram;  // ascending le; empty buckets left out
  std::vector<PoolClassStats> classes;
  std::uint64_t acquisitions = 0;
  std::uint64_t oversize = 0;
  std::uint64_t retainedBytes = 0;  // bytes of this zone's idle buffers (PoolStats::retainedBytes, by zone)
};

struct PoolStats {
  std::uint64_t acquisitions = 0;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;    // a pooled class was empty: a new buffer was allocated
  std::uint64_t oversize = 0;  // larger than the zone's largest class: served unpooled
  std::uint64_t pooledNow = 0;         // idle buffers held by the pool
  std::uint64_t peakPooled = 0;        // high-water mark of pooled buffers in existence (idle + leased)
  std::uint64_t retainedBytes = 0;     // bytes of the idle buffers
  std::uint64_t outstandingLeases = 0;  // leases not yet released (pooled and oversize)
  std::uint64_t trimmedBuffers = 0;    // freed by trim(), clear() or the idle policy
  std::array<PoolZoneStats, kZoneCount> zones{};
  LeakReport leaks;  // outstandingLeases by call site (PoolConfig::leakDetection)

  double hitRate() const noexcept {
    return acquisitions == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(acquisitions);
  }
  const PoolZoneStats& zone(AllocationZone z) const noexcept { return zones[static_cast<std::size_t>(z)]; }
  // The format tools/pool-tune reads (see docs/pool.md).
  std::string toJson() const;
};

}  // namespace zonebuf
