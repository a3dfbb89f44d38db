// Differential fuzzer: random BufferPool lease sequences against a model of
// the documented pool rules.
//
// Single-threaded inputs (exact model; idle trimming off): a request maps to
// the smallest class >= size (classes computed from the docs' formula, or an
// explicit list), above the largest class it is served unpooled with exact
// capacity; a release parks the buffer in its class if that class holds fewer
// than maxPerClass idle buffers and retainedBytes + capacity <=
// maxRetainedBytes, otherwise frees it; an acquire hits iff its class has an
// idle buffer, and then returns one of those very buffers; trim() and clear()
// free every idle buffer. After every op that calls the pool, the totals
// (acquisitions, hits, misses, oversize, pooledNow, retainedBytes,
// outstandingLeases, trimmedBuffers) must equal the model's; before clear()
// and at the end, so must every zone's acquisitions, oversize, per-class
// acquisitions / misses / idle and histogram (class buckets and the
// power-of-two oversize buckets).
//
// Multi-threaded inputs: the ops are split across 2 threads sharing one
// MultiThreaded pool, handing leases to each other (release on the other
// thread); 1 input in 4 starts fresh threads (they exit while the pool lives),
// the others use two threads kept across inputs (worker_crew.hpp; the pool
// dies while they live). No exact hit model there; checked: no buffer held
// twice (one shared map of live ranges), capacity >= request, contents survive
// until release, and once the threads are done, acquisitions = all acquires =
// hits + misses + oversize and no lease is outstanding.
//
// Everywhere: every lease's bytes carry a pattern checked at release; an
// empty lease's release()/buffer() is InvalidArgumentError changing nothing.
//
// Extending the model (e.g. checked views, drain-and-retry, leak reports): a
// new op is a case in runSingle's switch that calls the pool and tells
// SingleModel what the docs say happens (add a hook next to acquired() /
// released() / trim()); new counters go in SingleModel::check (totals, every
// op) or checkAll (per zone and class); an expected error is checked like
// expectEmptyLeaseErrors: type, message, then model.check (nothing changed).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <bit>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "live_ranges_model.hpp"
#include "worker_crew.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::fuzz::fail;

namespace {

struct Lease {
  PooledBuffer lease;
  std::size_t request;
  std::uint32_t tag;
  const std::byte* data;  // as leased
  std::size_t capacity;
  int cls;                // model class index, -1 for oversize
  AllocationZone zone;
  bool movedOut = false;  // its PlatformBuffer now lives in `loose`
};

struct Loose {
  PlatformBuffer buffer;
  std::uint32_t tag;
};

std::size_t pickSize(FuzzedDataProvider& in, std::size_t maxClass) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: return in.ConsumeIntegralInRange<std::size_t>(0, maxClass);
    case 1: return maxClass + in.ConsumeIntegralInRange<std::size_t>(0, 3000);  // around the oversize edge
    case 2: return in.ConsumeIntegralInRange<std::size_t>(0, 8);
    default: return in.ConsumeIntegralInRange<std::size_t>(0, 2048);
  }
}

AllocationZone pickZone(FuzzedDataProvider& in) { return static_cast<AllocationZone>(in.ConsumeIntegralInRange<int>(0, 2)); }

// ---------------------------------------------------------------------------
// Single-threaded, exact model.

class SingleModel {
 public:
  SingleModel(std::vector<std::size_t> classes, std::size_t maxPerClass, std::size_t maxRetained, bool zero)
      : classes_(std::move(classes)), maxPerClass_(maxPerClass), maxRetained_(maxRetained), zero_(zero) {
    for (ZoneModel& z : zones_) z.classes.resize(classes_.size());
  }
  std::size_t maxClass() const { return classes_.back(); }
  int classOf(std::size_t size) const {
    for (std::size_t i = 0; i < classes_.size(); ++i)
      if (classes_[i] >= size) return static_cast<int>(i);
    return -1;
  }

  void acquired(const Lease& l, long op) {
    ZoneModel& zone = zones_[static_cast<std::size_t>(l.zone)];
    ++acquisitions_;
    ++outstanding_;
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
    if (zero_ && !fuzz::allZero(l.data, l.capacity)) fail("zeroOnRelease buffer came back dirty", op);
  }
  // `pooled`: the lease still holds the buffer it was given (not moved out).
  void released(const Lease& l, bool pooled) {
    --outstanding_;
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
    trimmed_ += pooled_;
    for (ZoneModel& z : zones_)
      for (ClassModel& c : z.classes) c.idle.clear();
    pooled_ = 0;
    retained_ = 0;
  }
  void clearStats() {
    acquisitions_ = hits_ = misses_ = oversize_ = trimmed_ = 0;
    for (ZoneModel& z : zones_) {
      z.acquisitions = z.oversize = 0;
      z.oversizeBuckets.clear();
      for (ClassModel& c : z.classes) c.acquisitions = c.misses = 0;
    }
  }

  // The totals: after every op.
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
  // The totals and every zone's classes and histogram: before clear() and at
  // the end of an input (a per-class slip cannot cancel out for long: the
  // totals are exact after every op).
  void checkAll(const PoolStats& s, long op) const {
    check(s, op);
    for (std::size_t z = 0; z < kZoneCount; ++z) {
      const PoolZoneStats& zs = s.zones[z];
      const ZoneModel& m = zones_[z];
      if (zs.acquisitions != m.acquisitions) fail("zone.acquisitions", op);
      if (zs.oversize != m.oversize) fail("zone.oversize", op);
      if (zs.classes.size() != classes_.size()) fail("zone.classes.size()", op);
      std::vector<PoolHistogramBucket> histogram;
      for (std::size_t c = 0; c < classes_.size(); ++c) {
        const PoolClassStats& cs = zs.classes[c];
        const ClassModel& mc = m.classes[c];
        if (cs.size != classes_[c]) fail("class.size", op);
        if (cs.acquisitions != mc.acquisitions) fail("class.acquisitions", op);
        if (cs.misses != mc.misses) fail("class.misses", op);
        if (cs.idle != mc.idle.size()) fail("class.idle", op);
        if (cs.live < cs.idle || cs.peakLive < cs.live) fail("class: idle <= live <= peakLive", op);
        if (mc.acquisitions != 0) histogram.push_back({classes_[c], mc.acquisitions});
      }
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
  std::size_t retained_ = 0;
};

// An empty lease's release()/buffer() is InvalidArgumentError and changes
// nothing: every total still matches the model.
void expectEmptyLeaseErrors(PooledBuffer& empty, BufferPool& pool, const SingleModel& model, long op) {
  for (int which = 0; which < 2; ++which) {
    try {
      if (which == 0) empty.release();
      else (void)empty.buffer();
      fail("empty lease did not throw", op);
    } catch (const InvalidArgumentError& e) {
      if (std::string(e.what()).find("already released or moved from") == std::string::npos)
        fail("empty-lease message", op);
    }
  }
  model.check(pool.stats(), op);
}

// The docs' generated classes: min, then perDoubling evenly spaced classes per
// doubling up to max.
std::vector<std::size_t> generatedClasses(std::size_t min, std::size_t max, std::size_t per) {
  std::vector<std::size_t> out{min};
  for (std::size_t base = min; base < max; base *= 2)
    for (std::size_t j = 1; j <= per; ++j) out.push_back(base + j * base / per);
  return out;
}

void runSingle(FuzzedDataProvider& in) {
  PoolConfig config;
  std::vector<std::size_t> classes;
  switch (in.ConsumeIntegralInRange<int>(0, 2)) {
    case 0: classes = generatedClasses(64, 65536, 4); break;  // the defaults
    case 1:
      classes = generatedClasses(16, 4096, 2);
      config.classes(SizeClassSpec::generated(16, 4096, 2));
      break;
    default:
      classes = {1, 100, 1000, 5000};
      config.classes(SizeClassSpec::explicitSizes(classes));
      break;
  }
  const std::size_t maxPerClass = in.ConsumeIntegralInRange<std::size_t>(1, 6);
  for (auto& z : config.zones) z.maxPerClass = maxPerClass;
  config.maxRetainedBytes = in.ConsumeIntegralInRange<std::size_t>(1, 40000);
  config.zeroOnRelease = in.ConsumeBool();
  config.idleTrimOperations = 0;
  SingleModel model(classes, maxPerClass, config.maxRetainedBytes, config.zeroOnRelease);
  BufferPool pool(config);

  std::vector<Lease> held;
  std::vector<Loose> loose;
  fuzz::LiveRanges ranges;
  std::uint32_t tags = 0;

  auto take = [&](std::size_t size, AllocationZone zone, ByteOrder order, long op) -> Lease {
    Lease l{pool.acquire(size, zone, order), size, ++tags, nullptr, 0, model.classOf(size), zone};
    PlatformBuffer& b = l.lease.buffer();
    l.data = b.data();
    l.capacity = b.capacity();
    if (b.capacity() < size || b.position() != 0 || b.limit() != b.capacity() || b.byteOrder() != order ||
        b.zone() != zone)
      fail("lease shape", op);
    model.acquired(l, op);
    if (!ranges.add(l.data, l.capacity)) fail("buffer held twice (overlaps a live lease)", op);
    fuzz::fillPattern(b.data(), b.capacity(), l.tag);
    return l;
  };
  auto giveBack = [&](Lease& l, long op) {
    if (!l.movedOut) {
      if (!fuzz::hasPattern(l.data, l.capacity, l.tag)) fail("lease lost its bytes", op);
      if (!ranges.remove(l.data)) fail("released buffer was not live", op);
    }
    model.released(l, !l.movedOut);
  };

  // The totals are compared after every op that calls the pool; an op that
  // does not (a no-op, dropping a moved-out buffer, a pattern check, or one
  // that compared already) skips it: single-threaded, nothing else can change
  // them before the next comparison.
  long op = 0;
  for (; in.remaining_bytes() > 0 && op < 150; ++op) {
    bool compare = true;
    const ByteOrder order = in.ConsumeBool() ? ByteOrder::BigEndian : ByteOrder::LittleEndian;
    switch (in.ConsumeIntegralInRange<int>(0, 10)) {
      case 0:
      case 1:
      case 2: {
        const std::size_t size = pickSize(in, model.maxClass());
        held.push_back(take(size, pickZone(in), order, op));
        break;
      }
      case 3: {  // withBuffer: leased, used and given back around fn
        const std::size_t size = pickSize(in, model.maxClass());
        const AllocationZone zone = pickZone(in);
        const std::size_t got = pool.withBuffer(size, zone, order, [&](PlatformBuffer& b) {
          Lease l{PooledBuffer(), size, ++tags, b.data(), b.capacity(), model.classOf(size), zone};
          model.acquired(l, op);
          model.check(pool.stats(), op);  // leased for as long as fn runs
          if (!ranges.add(l.data, l.capacity)) fail("buffer held twice (withBuffer)", op);
          fuzz::fillPattern(b.data(), b.capacity(), l.tag);
          giveBack(l, op);  // the model releases now; the pool does when fn returns
          return b.capacity();
        });
        if (got < size) fail("withBuffer capacity", op);
        break;
      }
      case 4:
      case 5: {  // release by release(), destruction or move-assignment
        if (held.empty()) {
          compare = false;
          break;
        }
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        const int how = in.ConsumeIntegralInRange<int>(0, 2);
        if (how == 2) {  // a fresh lease move-assigned over it gives the old buffer back
          Lease fresh = take(pickSize(in, model.maxClass()), pickZone(in), order, op);
          giveBack(held[i], op);
          held[i].lease = std::move(fresh.lease);
          expectEmptyLeaseErrors(fresh.lease, pool, model, op);
          fresh.lease = std::move(held[i].lease);
          held[i] = std::move(fresh);
          break;
        }
        giveBack(held[i], op);
        if (how == 0) {
          held[i].lease.release();
          expectEmptyLeaseErrors(held[i].lease, pool, model, op);
        }
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      case 6: {  // move the PlatformBuffer out of a lease: the pool must drop it
        if (held.empty()) {
          compare = false;
          break;
        }
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        if (held[i].movedOut) {
          compare = false;
          break;
        }
        loose.push_back({std::move(held[i].lease.buffer()), held[i].tag});
        held[i].movedOut = true;
        break;
      }
      case 7: {  // drop a moved-out buffer: it frees its own memory
        compare = false;
        if (loose.empty()) break;
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, loose.size() - 1);
        if (!fuzz::hasPattern(loose[i].buffer.data(), loose[i].buffer.capacity(), loose[i].tag))
          fail("moved-out buffer lost its bytes", op);
        if (!ranges.remove(loose[i].buffer.data())) fail("moved-out buffer was not live", op);
        loose.erase(loose.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      case 8: {
        if (in.ConsumeBool()) {
          pool.trim();
          model.trim();
        } else {
          model.checkAll(pool.stats(), op);  // what clear() is about to restart
          pool.clear();
          model.trim();
          model.clearStats();
        }
        break;
      }
      case 9: {
        PooledBuffer empty;
        expectEmptyLeaseErrors(empty, pool, model, op);
        compare = false;
        break;
      }
      default: {
        compare = false;
        for (const Lease& l : held)
          if (!l.movedOut && !fuzz::hasPattern(l.data, l.capacity, l.tag)) fail("live lease lost its bytes", op);
        break;
      }
    }
    if (compare) model.check(pool.stats(), op);
  }
  while (!held.empty()) {
    giveBack(held.back(), op);
    held.pop_back();
  }
  model.checkAll(pool.stats(), op);
}

// ---------------------------------------------------------------------------
// Two threads, one MultiThreaded pool.

struct Shared {
  std::mutex mutex;
  fuzz::LiveRanges ranges;
  std::vector<Lease> handoff;  // leases given to whichever thread takes them
  std::uint64_t acquires = 0;
};

void worker(BufferPool& pool, Shared& shared, const std::vector<std::uint8_t>& bytes, std::uint32_t tagBase) {
  FuzzedDataProvider in(bytes.data(), bytes.size());
  std::vector<Lease> held;
  std::uint32_t tags = tagBase;
  auto giveBack = [&](Lease& l, long op) {
    if (!fuzz::hasPattern(l.data, l.capacity, l.tag)) fail("lease lost its bytes (threads)", op);
    std::lock_guard lock(shared.mutex);
    if (!shared.ranges.remove(l.data)) fail("released buffer was not live (threads)", op);
  };
  for (long op = 0; in.remaining_bytes() > 0 && op < 150; ++op) {
    // Acquire 3/8, release 1/4, hand over 1/8, take over 1/8, trim 1/16 (a
    // trim visits every list of the pool: more often, it was most of the run
    // time), check every held lease's bytes 1/16.
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {
        const std::size_t size = pickSize(in, 65536);
        const AllocationZone zone = pickZone(in);
        Lease l{pool.acquire(size, zone), size, ++tags, nullptr, 0, 0, zone};
        l.data = l.lease->data();
        l.capacity = l.lease->capacity();
        if (l.capacity < size || l.lease->position() != 0 || l.lease->limit() != l.capacity) fail("lease shape (threads)", op);
        {
          std::lock_guard lock(shared.mutex);
          ++shared.acquires;
          if (!shared.ranges.add(l.data, l.capacity)) fail("buffer held twice across threads", op);
        }
        fuzz::fillPattern(l.lease->data(), l.capacity, l.tag);
        held.push_back(std::move(l));
        break;
      }
      case 6:
      case 7:
      case 8:
      case 9: {
        if (held.empty()) break;
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        giveBack(held[i], op);
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      case 10:
      case 11: {  // hand a lease to the other thread
        if (held.empty()) break;
        std::lock_guard lock(shared.mutex);
        shared.handoff.push_back(std::move(held.back()));
        held.pop_back();
        break;
      }
      case 12:
      case 13: {  // take one handed over (maybe from the other thread)
        std::lock_guard lock(shared.mutex);
        if (shared.handoff.empty()) break;
        held.push_back(std::move(shared.handoff.back()));
        shared.handoff.pop_back();
        break;
      }
      case 14:
        pool.trim();
        break;
      default:
        for (const Lease& l : held)
          if (!fuzz::hasPattern(l.data, l.capacity, l.tag)) fail("held lease lost its bytes (threads)", op);
        break;
    }
  }
  while (!held.empty()) {
    giveBack(held.back(), -1);
    held.pop_back();
  }
}

// A crew thread frees its cache records of destroyed pools when it next
// attaches to a new pool. Attaching to a throwaway pool here frees them inside
// the same input: otherwise an input would end with more mallocs than frees
// whenever its caches grew more than the last one's, and libFuzzer would rerun
// it under a full LeakSanitizer scan. (The throwaway's own record is freed by
// the next input: one each way, balanced.)
void sweepCrewCaches(fuzz::WorkerCrew& crew) {
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  config.classes(SizeClassSpec::explicitSizes({64}));
  BufferPool sweeper(config);
  crew.run([&](int) { sweeper.withBuffer(1, AllocationZone::Heap, [](PlatformBuffer&) {}); });
}

void runThreads(FuzzedDataProvider& in) {
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  config.threadCacheCount = in.ConsumeIntegralInRange<std::size_t>(1, 8);
  config.threadCacheBytes = in.ConsumeIntegralInRange<std::size_t>(1, 100000);
  config.maxRetainedBytes = in.ConsumeIntegralInRange<std::size_t>(1, 200000);
  config.idleTrimOperations = in.ConsumeIntegralInRange<std::uint64_t>(0, 64);
  config.zeroOnRelease = in.ConsumeBool();
  for (auto& z : config.zones) z.maxPerClass = in.ConsumeIntegralInRange<std::size_t>(1, 8);
  // Fresh threads exit while the pool lives (their caches are handed back);
  // the crew's threads outlive it (the pool retires their caches) and have
  // used earlier pools. Fresh threads cost more than the ops: 1 input in 4.
  const bool freshThreads = in.ConsumeIntegralInRange<int>(0, 3) == 0;
  static fuzz::WorkerCrew crew;
  Shared shared;
  {
    BufferPool pool(config);
    const std::vector<std::uint8_t> rest = in.ConsumeRemainingBytes<std::uint8_t>();
    const auto half = static_cast<std::ptrdiff_t>(rest.size() / 2);
    const std::vector<std::uint8_t> part[2] = {{rest.begin(), rest.begin() + half}, {rest.begin() + half, rest.end()}};
    const std::function<void(int)> job = [&](int i) { worker(pool, shared, part[i], i == 0 ? 0u : 1u << 30); };
    if (freshThreads) {
      std::thread a(job, 0), b(job, 1);
      a.join();
      b.join();
    } else {
      crew.run(job);
    }
    for (Lease& l : shared.handoff) {
      if (!fuzz::hasPattern(l.data, l.capacity, l.tag)) fail("handed-off lease lost its bytes", -1);
      if (!shared.ranges.remove(l.data)) fail("handed-off buffer was not live", -1);
    }
    shared.handoff.clear();
    const PoolStats s = pool.stats();
    if (s.acquisitions != shared.acquires) fail("threads: stats.acquisitions", -1);
    if (s.acquisitions != s.hits + s.misses + s.oversize) fail("threads: hits + misses + oversize", -1);
    if (s.outstandingLeases != 0) fail("threads: outstanding leases after every release", -1);
    if (shared.ranges.size() != 0) fail("threads: model still holds ranges", -1);
  }
  if (!freshThreads) sweepCrewCaches(crew);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) {
    runThreads(in);
  } else {
    runSingle(in);
  }
  return 0;
}
