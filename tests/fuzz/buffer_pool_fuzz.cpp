// Differential fuzzer: random BufferPool lease sequences against a model of
// the documented pool rules.
//
// Single-threaded inputs (exact model; idle trimming off): a request maps to
// the smallest class >= size (classes computed from the docs' formula, or an
// explicit list), above the largest class it is served unpooled with exact
// capacity; a release parks the buffer in its class if that class holds fewer
// than maxPerClass idle buffers and retainedBytes + capacity <=
// maxRetainedBytes, otherwise frees it; an acquire hits iff its class has an
// idle buffer, and then returns one of those very buffers. After every op the
// stats (acquisitions, hits, misses, oversize, pooledNow, retainedBytes,
// outstandingLeases) must equal the model's.
//
// Multi-threaded inputs: the ops are split across 2 std::threads sharing one
// MultiThreaded pool, handing leases to each other (release on the other
// thread). No exact hit model there; checked: no buffer held twice (one shared
// map of live ranges), capacity >= request, contents survive until release,
// and once the threads are done, acquisitions = all acquires = hits + misses +
// oversize and no lease is outstanding.
//
// Everywhere: every lease's bytes carry a pattern checked at release; an
// empty lease's release()/buffer() is InvalidArgumentError changing nothing.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "live_ranges_model.hpp"
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

void expectEmptyLeaseErrors(PooledBuffer& empty, BufferPool& pool, long op) {
  const PoolStats before = pool.stats();
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
  const PoolStats after = pool.stats();
  if (after.acquisitions != before.acquisitions || after.outstandingLeases != before.outstandingLeases ||
      after.pooledNow != before.pooledNow)
    fail("empty-lease error changed the pool", op);
}

// ---------------------------------------------------------------------------
// Single-threaded, exact model.

class SingleModel {
 public:
  SingleModel(std::vector<std::size_t> classes, std::size_t maxPerClass, std::size_t maxRetained, bool zero)
      : classes_(std::move(classes)), maxPerClass_(maxPerClass), maxRetained_(maxRetained), zero_(zero) {
    for (auto& z : idle_) z.resize(classes_.size());
  }
  std::size_t maxClass() const { return classes_.back(); }
  int classOf(std::size_t size) const {
    for (std::size_t i = 0; i < classes_.size(); ++i)
      if (classes_[i] >= size) return static_cast<int>(i);
    return -1;
  }

  void acquired(const Lease& l, long op) {
    const auto z = static_cast<std::size_t>(l.zone);
    ++acquisitions_;
    ++outstanding_;
    if (l.cls < 0) {
      ++oversize_;
      if (l.capacity != l.request) fail("oversize capacity is not exact", op);
      return;
    }
    if (l.capacity != classes_[static_cast<std::size_t>(l.cls)]) fail("capacity is not the class size", op);
    std::multiset<const std::byte*>& idle = idle_[z][static_cast<std::size_t>(l.cls)];
    if (idle.empty()) {
      ++misses_;
      return;
    }
    ++hits_;
    auto it = idle.find(l.data);
    if (it == idle.end()) fail("a hit returned a buffer that was not idle in its class", op);
    idle.erase(it);
    retained_ -= l.capacity;
    if (zero_ && !fuzz::allZero(l.data, l.capacity)) fail("zeroOnRelease buffer came back dirty", op);
  }
  // `pooled`: the lease still holds the buffer it was given (not moved out).
  void released(const Lease& l, bool pooled) {
    --outstanding_;
    if (l.cls < 0 || !pooled) return;
    auto& idle = idle_[static_cast<std::size_t>(l.zone)][static_cast<std::size_t>(l.cls)];
    if (idle.size() < maxPerClass_ && retained_ + l.capacity <= maxRetained_) {
      idle.insert(l.data);
      retained_ += l.capacity;
    }
  }
  void trim() {
    for (auto& z : idle_)
      for (auto& c : z) c.clear();
    retained_ = 0;
  }
  void clearStats() { acquisitions_ = hits_ = misses_ = oversize_ = 0; }

  void check(const PoolStats& s, long op) const {
    std::size_t pooled = 0;
    for (const auto& z : idle_)
      for (const auto& c : z) pooled += c.size();
    if (s.acquisitions != acquisitions_) fail("stats.acquisitions", op);
    if (s.hits != hits_) fail("stats.hits", op);
    if (s.misses != misses_) fail("stats.misses", op);
    if (s.oversize != oversize_) fail("stats.oversize", op);
    if (s.pooledNow != pooled) fail("stats.pooledNow", op);
    if (s.retainedBytes != retained_) fail("stats.retainedBytes", op);
    if (s.outstandingLeases != outstanding_) fail("stats.outstandingLeases", op);
  }

 private:
  std::vector<std::size_t> classes_;
  std::size_t maxPerClass_, maxRetained_;
  bool zero_;
  std::vector<std::multiset<const std::byte*>> idle_[kZoneCount];
  std::uint64_t acquisitions_ = 0, hits_ = 0, misses_ = 0, oversize_ = 0, outstanding_ = 0;
  std::size_t retained_ = 0;
};

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

  long op = 0;
  for (; in.remaining_bytes() > 0 && op < 150; ++op) {
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
        const std::uint64_t before = pool.stats().acquisitions;
        const std::size_t got = pool.withBuffer(size, zone, order, [&](PlatformBuffer& b) {
          if (pool.stats().acquisitions != before + 1) fail("withBuffer did not lease", op);
          Lease l{PooledBuffer(), size, ++tags, b.data(), b.capacity(), model.classOf(size), zone};
          model.acquired(l, op);
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
        if (held.empty()) break;
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        const int how = in.ConsumeIntegralInRange<int>(0, 2);
        if (how == 2) {  // a fresh lease move-assigned over it gives the old buffer back
          Lease fresh = take(pickSize(in, model.maxClass()), pickZone(in), order, op);
          giveBack(held[i], op);
          held[i].lease = std::move(fresh.lease);
          expectEmptyLeaseErrors(fresh.lease, pool, op);
          fresh.lease = std::move(held[i].lease);
          held[i] = std::move(fresh);
          break;
        }
        giveBack(held[i], op);
        if (how == 0) {
          held[i].lease.release();
          expectEmptyLeaseErrors(held[i].lease, pool, op);
        }
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      case 6: {  // move the PlatformBuffer out of a lease: the pool must drop it
        if (held.empty()) break;
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        if (held[i].movedOut) break;
        loose.push_back({std::move(held[i].lease.buffer()), held[i].tag});
        held[i].movedOut = true;
        break;
      }
      case 7: {  // drop a moved-out buffer: it frees its own memory
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
        } else {
          pool.clear();
          model.clearStats();
        }
        model.trim();
        break;
      }
      case 9: {
        PooledBuffer empty;
        expectEmptyLeaseErrors(empty, pool, op);
        break;
      }
      default: {
        for (const Lease& l : held)
          if (!l.movedOut && !fuzz::hasPattern(l.data, l.capacity, l.tag)) fail("live lease lost its bytes", op);
        break;
      }
    }
    model.check(pool.stats(), op);
  }
  while (!held.empty()) {
    giveBack(held.back(), op);
    held.pop_back();
  }
  model.check(pool.stats(), op);
}

// ---------------------------------------------------------------------------
// Two threads, one MultiThreaded pool.

struct Shared {
  std::mutex mutex;
  fuzz::LiveRanges ranges;
  std::vector<Lease> handoff;  // leases given to whichever thread takes them
  std::uint64_t acquires = 0;
};

void worker(BufferPool& pool, Shared& shared, std::vector<std::uint8_t> bytes, std::uint32_t tagBase) {
  FuzzedDataProvider in(bytes.data(), bytes.size());
  std::vector<Lease> held;
  std::uint32_t tags = tagBase;
  auto giveBack = [&](Lease& l, long op) {
    if (!fuzz::hasPattern(l.data, l.capacity, l.tag)) fail("lease lost its bytes (threads)", op);
    std::lock_guard lock(shared.mutex);
    if (!shared.ranges.remove(l.data)) fail("released buffer was not live (threads)", op);
  };
  for (long op = 0; in.remaining_bytes() > 0 && op < 150; ++op) {
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
      case 0:
      case 1:
      case 2: {
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
      case 3:
      case 4: {
        if (held.empty()) break;
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        giveBack(held[i], op);
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      case 5: {  // hand a lease to the other thread
        if (held.empty()) break;
        std::lock_guard lock(shared.mutex);
        shared.handoff.push_back(std::move(held.back()));
        held.pop_back();
        break;
      }
      case 6: {  // take one handed over (maybe from the other thread)
        std::lock_guard lock(shared.mutex);
        if (shared.handoff.empty()) break;
        held.push_back(std::move(shared.handoff.back()));
        shared.handoff.pop_back();
        break;
      }
      default:
        pool.trim();
        break;
    }
  }
  while (!held.empty()) {
    giveBack(held.back(), -1);
    held.pop_back();
  }
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
  Shared shared;
  {
    BufferPool pool(config);
    const std::vector<std::uint8_t> rest = in.ConsumeRemainingBytes<std::uint8_t>();
    const auto half = static_cast<std::ptrdiff_t>(rest.size() / 2);
    std::thread a(worker, std::ref(pool), std::ref(shared), std::vector<std::uint8_t>(rest.begin(), rest.begin() + half), 0u);
    std::thread b(worker, std::ref(pool), std::ref(shared), std::vector<std::uint8_t>(rest.begin() + half, rest.end()),
                  1u << 30);
    a.join();
    b.join();
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
