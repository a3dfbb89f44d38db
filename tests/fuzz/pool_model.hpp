// The pool fuzzer's exact single-threaded model of the documented pool rules
// (docs/pool.md), written from the docs, sharing no code with the library.
//
// Invariants the model keeps: every outstanding lease was acquired and not yet
// released (outstanding_ / outstandingBytes_ count them, moved-out ones
// included); a class's idle multiset holds the very buffers the pool may hand
// back on a hit; pooled_ / retained_ are the sizes and capacities of all idle
// multisets; the zone and class counters restart only at clearStats().
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "live_ranges_model.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::fuzz {

struct PoolLease {
  PooledBuffer lease;
  std::size_t request;
  std::uint32_t tag;
  const std::byte* data;  // as leased
  std::size_t capacity;
  int cls;                // model class index, -1 for oversize
  AllocationZone zone;
  bool movedOut = false;  // its PlatformBuffer now lives in `loose`
};

struct LooseBuffer {
  PlatformBuffer buffer;
  std::uint32_t tag;
};

inline std::size_t pickSize(FuzzedDataProvider& in, std::size_t maxClass) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: return in.ConsumeIntegralInRange<std::size_t>(0, maxClass);
    case 1: return maxClass + in.ConsumeIntegralInRange<std::size_t>(0, 3000);  // around the oversize edge
    case 2: return in.ConsumeIntegralInRange<std::size_t>(0, 8);
    default: return in.ConsumeIntegralInRange<std::size_t>(0, 2048);
  }
}

inline AllocationZone pickZone(FuzzedDataProvider& in) {
  return static_cast<AllocationZone>(in.ConsumeIntegralInRange<int>(0, 2));
}

// The docs' generated classes: min, then perDoubling evenly spaced classes per
// doubling up to max.
inline std::vector<std::size_t> generatedClasses(std::size_t min, std::size_t max, std::size_t per) {
  std::vector<std::size_t> out{min};
  for (std::size_t base = min; base < max; base *= 2)
    for (std::size_t j = 1; j <= per; ++j) out.push_back(base + j * base / per);
  return out;
}

class SingleModel {
 public:
  SingleModel(std::vector<std::size_t> classes, std::size_t maxPerClass, std::size_t maxRetained, bool zero)
      : classes_(std::move(classes)), maxPerClass_(maxPerClass), maxRetained_(maxRetained), zero_(zero) {
    for (ZoneModel& z : zones_) z.classes.resize(classes_.size());
  }
  std::size_t maxClass() const { return classes_.back(); }
  std::size_t capacityOf(int cls) const { return classes_[static_cast<std::size_t>(cls)]; }
  int classOf(std::size_t size) const {
    for (std::size_t i = 0; i < classes_.size(); ++i)
      if (classes_[i] >= size) return static_cast<int>(i);
    return -1;
  }
  // Whether an acquire of `size` in `zone` would allocate (a miss or oversize).
  bool wouldAllocate(std::size_t size, AllocationZone zone) const {
    const int c = classOf(size);
    return c < 0 || zones_[static_cast<std::size_t>(zone)].classes[static_cast<std::size_t>(c)].idle.empty();
  }
  std::uint64_t trimmed() const { return trimmed_; }
  std::uint64_t outstanding() const { return outstanding_; }
  std::uint64_t outstandingBytes() const { return outstandingBytes_; }
  // Idle buffers and their bytes in one zone.
  std::pair<std::size_t, std::size_t> idleIn(AllocationZone zone) const {
    std::size_t count = 0, bytes = 0;
    const ZoneModel& z = zones_[static_cast<std::size_t>(zone)];
    for (std::size_t c = 0; c < classes_.size(); ++c) {
      count += z.classes[c].idle.size();
      bytes += z.classes[c].idle.size() * classes_[c];
    }
    return {count, bytes};
  }

  void acquired(const PoolLease& l, long op) {
    ZoneModel& zone = zones_[static_cast<std::size_t>(l.zone)];
    ++acquisitions_;
    ++outstanding_;
    outstandingBytes_ += l.capacity;
    ++zone.acquisitions;
    if (l.cls < 0) {
      ++oversize_;
      ++zone.oversize;
      ++zone.oversizeBuckets[std::bit_ceil(l.request)];  // (2^(b-1), 2^b]
      if (l.capacity != l.request) fail("oversize capacity is not exact", op);
      return;
    }
    if (l.capacity != classes_[static_cast<std::size_t>(l.cls)]) fail("capacity is not the class size", op);
    ClassModel& c = zone.classes[static_cast<std::size_t>(l.cls)];
    ++c.acquisitions;
    if (c.idle.empty()) {
      ++misses_;
      ++c.misses;
      return;
    }
    ++hits_;
    auto it = c.idle.find(l.data);
    if (it == c.idle.end()) fail("a hit returned a buffer that was not idle in its class", op);
    c.idle.erase(it);
    --pooled_;
    retained_ -= l.capacity;
    if (zero_ && !allZero(l.data, l.capacity)) fail("zeroOnRelease buffer came back dirty", op);
  }
  // `pooled`: the lease still holds the buffer it was given (not moved out).
  void released(const PoolLease& l, bool pooled) {
    --outstanding_;
    outstandingBytes_ -= l.capacity;
    if (l.cls < 0 || !pooled) return;
    auto& idle = zones_[static_cast<std::size_t>(l.zone)].classes[static_cast<std::size_t>(l.cls)].idle;
    if (idle.size() < maxPerClass_ && retained_ + l.capacity <= maxRetained_) {
      idle.insert(l.data);
      ++pooled_;
      retained_ += l.capacity;
    }
  }
  // trim() and clear() free every idle buffer.
  void trim() {
    for (std::size_t z = 0; z < kZoneCount; ++z) drain(static_cast<AllocationZone>(z));
  }
  // A drain before OutOfMemoryError frees the zone's idle buffers (docs/pool.md
  // "Draining before OutOfMemoryError"); they count as trimmed.
  void drain(AllocationZone zone) {
    for (std::size_t c = 0; c < classes_.size(); ++c) {
      auto& idle = zones_[static_cast<std::size_t>(zone)].classes[c].idle;
      trimmed_ += idle.size();
      pooled_ -= idle.size();
      retained_ -= idle.size() * classes_[c];
      idle.clear();
    }
  }
  void clearStats() {
    acquisitions_ = hits_ = misses_ = oversize_ = trimmed_ = 0;
    for (ZoneModel& z : zones_) {
      z.acquisitions = z.oversize = 0;
      z.oversizeBuckets.clear();
      for (ClassModel& c : z.classes) c.acquisitions = c.misses = 0;
    }
  }

  // The totals.
  void check(const PoolStats& s, long op) const {
    if (s.acquisitions != acquisitions_) fail("stats.acquisitions", op);
    if (s.hits != hits_) fail("stats.hits", op);
    if (s.misses != misses_) fail("stats.misses", op);
    if (s.oversize != oversize_) fail("stats.oversize", op);
    if (s.pooledNow != pooled_) fail("stats.pooledNow", op);
    if (s.retainedBytes != retained_) fail("stats.retainedBytes", op);
    if (s.outstandingLeases != outstanding_) fail("stats.outstandingLeases", op);
    if (s.trimmedBuffers != trimmed_) fail("stats.trimmedBuffers", op);
  }
  // The totals and every zone's classes and histogram.
  void checkAll(const PoolStats& s, long op) const {
    check(s, op);
    for (std::size_t z = 0; z < kZoneCount; ++z) {
      const PoolZoneStats& zs = s.zones[z];
      const ZoneModel& m = zones_[z];
      if (zs.acquisitions != m.acquisitions) fail("zone.acquisitions", op);
      if (zs.oversize != m.oversize) fail("zone.oversize", op);
      if (zs.classes.size() != classes_.size()) fail("zone.classes.size()", op);
      std::size_t retained = 0;
      std::vector<PoolHistogramBucket> histogram;
      for (std::size_t c = 0; c < classes_.size(); ++c) {
        const PoolClassStats& cs = zs.classes[c];
        const ClassModel& mc = m.classes[c];
        if (cs.size != classes_[c]) fail("class.size", op);
        if (cs.acquisitions != mc.acquisitions) fail("class.acquisitions", op);
        if (cs.misses != mc.misses) fail("class.misses", op);
        if (cs.idle != mc.idle.size()) fail("class.idle", op);
        if (cs.live < cs.idle || cs.peakLive < cs.live) fail("class: idle <= live <= peakLive", op);
        retained += mc.idle.size() * classes_[c];
        if (mc.acquisitions != 0) histogram.push_back({classes_[c], mc.acquisitions});
      }
      if (zs.retainedBytes != retained) fail("zone.retainedBytes", op);
      for (const auto& [le, count] : m.oversizeBuckets) histogram.push_back({le, count});
      if (zs.histogram.size() != histogram.size()) fail("zone.histogram buckets", op);
      for (std::size_t b = 0; b < histogram.size(); ++b)
        if (zs.histogram[b].le != histogram[b].le || zs.histogram[b].count != histogram[b].count)
          fail("zone.histogram bucket", op);
    }
  }

 private:
  struct ClassModel {
    std::multiset<const std::byte*> idle;
    std::uint64_t acquisitions = 0, misses = 0;
  };
  struct ZoneModel {
    std::vector<ClassModel> classes;
    std::map<std::size_t, std::uint64_t> oversizeBuckets;  // le -> count
    std::uint64_t acquisitions = 0, oversize = 0;
  };
  std::vector<std::size_t> classes_;
  std::size_t maxPerClass_, maxRetained_;
  bool zero_;
  ZoneModel zones_[kZoneCount];
  std::uint64_t acquisitions_ = 0, hits_ = 0, misses_ = 0, oversize_ = 0, outstanding_ = 0, pooled_ = 0, trimmed_ = 0;
  std::size_t retained_ = 0, outstandingBytes_ = 0;
};

}  // namespace zonebuf::fuzz
