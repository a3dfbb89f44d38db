// The pool fuzzer's multi-threaded inputs: the ops split across 2 threads
// sharing one MultiThreaded pool, handing leases to each other (release on the
// other thread). 1 input in 16 starts fresh threads (they exit while the pool
// lives), the others use two threads kept across inputs (worker_crew.hpp; the
// pool dies while they live). No exact hit model there; checked: no buffer
// held twice (one shared map of live ranges), capacity >= request, contents
// survive until release, and once the threads are done, acquisitions = all
// acquires = hits + misses + oversize and no lease is outstanding.
//
// Invariant: crew() is destroyed (its threads exited) before anyone resets
// the linear arena (resetLinearArenaForTesting requires it).
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "live_ranges_model.hpp"
#include "pool_model.hpp"
#include "worker_crew.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::fuzz {

inline std::unique_ptr<WorkerCrew>& crew() {
  static std::unique_ptr<WorkerCrew> c;
  return c;
}

struct Shared {
  std::mutex mutex;
  LiveRanges ranges;
  std::vector<PoolLease> handoff;  // leases given to whichever thread takes them
  std::uint64_t acquires = 0;
};

inline void worker(BufferPool& pool, Shared& shared, const std::vector<std::uint8_t>& bytes, std::uint32_t tagBase) {
  FuzzedDataProvider in(bytes.data(), bytes.size());
  std::vector<PoolLease> held;
  std::uint32_t tags = tagBase;
  auto giveBack = [&](PoolLease& l, long op) {
    if (!hasEnds(l.data, l.capacity, l.tag)) fail("lease lost its bytes (threads)", op);
    std::lock_guard lock(shared.mutex);
    if (!shared.ranges.remove(l.data)) fail("released buffer was not live (threads)", op);
  };
  for (long op = 0; in.remaining_bytes() > 0 && op < 48; ++op) {
    // Acquire 3/8, release 1/4, hand over 1/8, take over 1/8, trim 1/32 (a
    // trim visits every list of the pool and gives linear pages back: more
    // often, it was most of the run time), check every held lease's bytes
    // 3/32.
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {
        const std::size_t size = pickSize(in, 65536);
        const AllocationZone zone = pickZone(in);
        PoolLease l{pool.acquire(size, zone), size, ++tags, nullptr, 0, 0, zone};
        l.data = l.lease->data();
        l.capacity = l.lease->capacity();
        if (l.capacity < size || l.lease->position() != 0 || l.lease->limit() != l.capacity) fail("lease shape (threads)", op);
        {
          std::lock_guard lock(shared.mutex);
          ++shared.acquires;
          if (!shared.ranges.add(l.data, l.capacity)) fail("buffer held twice across threads", op);
        }
        fillEnds(l.lease->data(), l.capacity, l.tag);
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
        if (in.ConsumeBool()) {
          pool.trim();
          break;
        }
        [[fallthrough]];
      default:
        for (const PoolLease& l : held)
          if (!hasEnds(l.data, l.capacity, l.tag)) fail("held lease lost its bytes (threads)", op);
        break;
    }
  }
  while (!held.empty()) {
    giveBack(held.back(), -1);
    held.pop_back();
  }
}

// A crew thread frees its cache records of destroyed pools (their lists
// included: the pool frees only the buffers in them) when it next attaches to
// a new pool. Attaching to a throwaway pool here frees them inside the same
// input: otherwise an input would end with more mallocs than frees whenever
// it left more records than the last one freed, and libFuzzer would rerun it
// under a full LeakSanitizer scan (without this, twice as many thread inputs
// did). (The throwaway's own record is freed by the next input: one each way,
// balanced.)
inline void sweepCrewCaches(WorkerCrew& crew) {
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  config.classes(SizeClassSpec::explicitSizes({64}));
  BufferPool sweeper(config);
  crew.run([&](int) { sweeper.withBuffer(1, AllocationZone::Heap, [](PlatformBuffer&) {}); });
}

inline void runThreads(FuzzedDataProvider& in) {
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
  // used earlier pools. Fresh threads cost more than the ops (an input with
  // them took 1.5 ms under ASan, one on the crew 0.37 ms; at 1 in 4 they
  // were a fifth of the whole run, libFuzzer keeping many thread inputs):
  // 1 input in 16, and not the inputs that ran out of bytes here (they read
  // 0, and would start threads for no ops).
  const bool freshThreads = in.ConsumeIntegralInRange<int>(0, 15) == 15;
  if (!freshThreads && !crew()) crew() = std::make_unique<WorkerCrew>();
  Shared shared;
  {
    BufferPool pool(config);
    const std::vector<std::uint8_t> rest = in.ConsumeRemainingBytes<std::uint8_t>();
    const auto half = static_cast<std::ptrdiff_t>(rest.size() / 2);
    const std::vector<std::uint8_t> part[2] = {{rest.begin(), rest.begin() + half}, {rest.begin() + half, rest.end()}};
    const std::function<void(int)> job = [&](int i) { worker(pool, shared, part[i], i == 0 ? 0u : 1u << 30); };
    if (freshThreads) {
      SmallThread a([&] { job(0); }), b([&] { job(1); });  // joined here
    } else {
      crew()->run(job);
    }
    for (PoolLease& l : shared.handoff) {
      if (!hasEnds(l.data, l.capacity, l.tag)) fail("handed-off lease lost its bytes", -1);
      if (!shared.ranges.remove(l.data)) fail("handed-off buffer was not live", -1);
    }
    shared.handoff.clear();
    const PoolStats s = pool.stats();
    if (s.acquisitions != shared.acquires) fail("threads: stats.acquisitions", -1);
    if (s.acquisitions != s.hits + s.misses + s.oversize) fail("threads: hits + misses + oversize", -1);
    if (s.outstandingLeases != 0) fail("threads: outstanding leases after every release", -1);
    if (shared.ranges.size() != 0) fail("threads: model still holds ranges", -1);
  }
  if (!freshThreads) sweepCrewCaches(*crew());
}

}  // namespace zonebuf::fuzz
