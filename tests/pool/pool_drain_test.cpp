// A pool that drains before it throws: a linear-zone allocation that fails
// first gets back the idle memory of every live pool in that zone (the
// calling pool's shared lists and this thread's cache, then the other pools
// through the reclaim registry) and the calling thread's wholly free spans,
// then retries once.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/pool_drain_support.hpp"
#include "zonebuf/allocators/detail/reclaim_registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace pool_drain_test {

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define ZB_DRAIN_REQUIRE_THREADS() GTEST_SKIP() << "this WebAssembly build has no threads (use the wasm-threads preset)"
#else
#define ZB_DRAIN_REQUIRE_THREADS() (void)0
#endif

using testing::DrainArenaTest;
using testing::drainPoolConfig;
using testing::fillIdle;
using testing::kDrainBig;
using testing::kDrainBlock;
using testing::takeDirectLeases;

class PoolDrain : public DrainArenaTest, public ::testing::WithParamInterface<ThreadingMode> {};

// The probe: 200 idle 16 KiB leases (3.2 MB of the 4 MB arena), then 2 MiB.
TEST_P(PoolDrain, TheProbeLeasesTwoMiBAfterTheRelease) {
  BufferPool pool(drainPoolConfig(GetParam()));
  fillIdle(pool, 200);
  ASSERT_EQ(pool.stats().pooledNow, 200u);
  ASSERT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).used, 200 * kDrainBlock);

  PooledBuffer big = pool.acquire(kDrainBig, AllocationZone::Direct);
  EXPECT_EQ(big->capacity(), kDrainBig);
  big->setLong(kDrainBig - 8, 42);
  EXPECT_EQ(big->getLong(kDrainBig - 8), 42);

  const PoolStats s = pool.stats();
  testing::expectCounts(s, {.acquisitions = 201, .hits = 0, .misses = 200, .pooledNow = 0, .outstandingLeases = 1});
  EXPECT_EQ(s.oversize, 1u);
  EXPECT_EQ(s.trimmedBuffers, 200u);
  EXPECT_EQ(s.retainedBytes, 0u);
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).used, kDrainBig);
}

// A drain that frees enough but leaves the pool usable: later leases are misses again.
TEST_P(PoolDrain, ThePoolKeepsWorkingAfterADrain) {
  BufferPool pool(drainPoolConfig(GetParam()));
  fillIdle(pool, 200);
  { PooledBuffer big = pool.acquire(kDrainBig, AllocationZone::Direct); }
  std::vector<PooledBuffer> again = takeDirectLeases(pool, 100);
  for (std::size_t i = 0; i < again.size(); ++i) EXPECT_EQ(again[i]->getInt(0), static_cast<std::int32_t>(i));
  again.clear();
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.misses, 300u);
  EXPECT_EQ(s.pooledNow, 100u);
  EXPECT_EQ(s.outstandingLeases, 0u);
}

TEST_P(PoolDrain, AnotherPoolsMissDrainsAMultiThreadedPool) {
  BufferPool holder(drainPoolConfig(ThreadingMode::MultiThreaded));
  BufferPool user(drainPoolConfig(GetParam()));
  fillIdle(holder, 200);
  PooledBuffer big = user.acquire(kDrainBig, AllocationZone::Direct);
  EXPECT_EQ(big->capacity(), kDrainBig);
  const PoolStats h = holder.stats();
  EXPECT_EQ(h.pooledNow, 0u);
  EXPECT_EQ(h.trimmedBuffers, 200u);
  EXPECT_EQ(h.misses, 200u);
  const PoolStats u = user.stats();
  EXPECT_EQ(u.oversize, 1u);
  EXPECT_EQ(u.trimmedBuffers, 0u);
}

TEST_P(PoolDrain, PlainDirectAllocationDrainsMultiThreadedPools) {
  BufferPool pool(drainPoolConfig(ThreadingMode::MultiThreaded));
  fillIdle(pool, 200);
  PlatformBuffer big = PlatformBuffer::allocate(kDrainBig, AllocationZone::Direct);
  EXPECT_EQ(big.capacity(), kDrainBig);
  EXPECT_EQ(pool.stats().pooledNow, 0u);
  EXPECT_EQ(pool.stats().trimmedBuffers, 200u);
}

// A withBuffer lease in flight while its own pool is drained: the lease
// stays valid, goes back on release, and the books stay exact.
TEST_P(PoolDrain, AScopedLeaseInFlightSurvivesItsPoolsDrain) {
  BufferPool pool(drainPoolConfig(GetParam()));
  fillIdle(pool, 199);
  pool.withBuffer(kDrainBlock, AllocationZone::Direct, [&](PlatformBuffer& b) {
    b.setInt(0, 7);
    PooledBuffer big = pool.acquire(kDrainBig, AllocationZone::Direct);
    EXPECT_EQ(b.getInt(0), 7);
    EXPECT_EQ(pool.stats().pooledNow, 0u);
  });
  const PoolStats s = pool.stats();
  testing::expectCounts(s, {.acquisitions = 201, .hits = 1, .misses = 199, .pooledNow = 1, .outstandingLeases = 0});
  EXPECT_EQ(s.trimmedBuffers, 198u);
}

// Heap memory is mimalloc's, not the arena's: a Direct drain leaves it (and,
// natively, SharedMemory's separate arena) alone.
TEST_P(PoolDrain, ADirectDrainLeavesHeapIdleBuffersAlone) {
  BufferPool pool(drainPoolConfig(GetParam()));
  { std::vector<PooledBuffer> heap; for (int i = 0; i < 10; ++i) heap.push_back(pool.acquire(4096)); }
#ifndef __EMSCRIPTEN__
  { PooledBuffer shared = pool.acquire(4096, AllocationZone::SharedMemory); }
#endif
  fillIdle(pool, 200);
  PooledBuffer big = pool.acquire(kDrainBig, AllocationZone::Direct);
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.trimmedBuffers, 200u);
#ifndef __EMSCRIPTEN__
  EXPECT_EQ(s.pooledNow, 11u);
#else
  EXPECT_EQ(s.pooledNow, 10u);
#endif
  PlatformBuffer heap = PlatformBuffer::allocate(kDrainBig);  // Heap allocations never drain
  EXPECT_EQ(pool.stats().pooledNow, s.pooledNow);
}

INSTANTIATE_TEST_SUITE_P(Modes, PoolDrain,
                         ::testing::Values(ThreadingMode::SingleThreaded, ThreadingMode::MultiThreaded),
                         [](const auto& param) {
                           return std::string(param.param == ThreadingMode::SingleThreaded ? "Single" : "Multi");
                         });

using PoolDrainLimits = DrainArenaTest;

// A SingleThreaded pool has no lock: only its own calls may drain it.
TEST_F(PoolDrainLimits, ASingleThreadedPoolIsDrainedOnlyByItsOwnCalls) {
  BufferPool holder(drainPoolConfig(ThreadingMode::SingleThreaded));
  fillIdle(holder, 200);
  EXPECT_THROW((void)PlatformBuffer::allocate(kDrainBig, AllocationZone::Direct), OutOfMemoryError);
  EXPECT_EQ(holder.stats().pooledNow, 200u);
  EXPECT_EQ(holder.stats().trimmedBuffers, 0u);
  PooledBuffer big = holder.acquire(kDrainBig, AllocationZone::Direct);  // its own call drains it
  EXPECT_EQ(holder.stats().trimmedBuffers, 200u);
}

// Half the leases stay out, one in each pair, so no span becomes free: the
// drain gives back 100 idle buffers and the retry still fails.
TEST_F(PoolDrainLimits, ADrainThatCannotSatisfyTheRequestThrowsWithTheIdleFigure) {
  BufferPool pool(drainPoolConfig(ThreadingMode::MultiThreaded));
  std::vector<PooledBuffer> leases = takeDirectLeases(pool, 200);
  for (std::size_t i = 1; i < leases.size(); i += 2) leases[i].release();
  try {
    (void)pool.acquire(kDrainBig, AllocationZone::Direct);
    ADD_FAILURE() << "expected OutOfMemoryError";
  } catch (const OutOfMemoryError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("3276800 bytes in use, of which 1638400 idle in 1 pool(s) and drained before failing"),
              std::string::npos) << m;
    EXPECT_NE(m.find("at startup with a larger value"), std::string::npos) << m;
  }
  const PoolStats s = pool.stats();
  testing::expectCounts(s, {.acquisitions = 200, .hits = 0, .misses = 200, .pooledNow = 0, .outstandingLeases = 100});
  EXPECT_EQ(s.oversize, 0u);
  EXPECT_EQ(s.trimmedBuffers, 100u);
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).used, 100 * kDrainBlock);
  for (std::size_t i = 0; i < leases.size(); i += 2) EXPECT_EQ(leases[i]->getInt(0), static_cast<std::int32_t>(i));
}

// Nothing is drained for a request no arena of this ceiling could hold.
TEST_F(PoolDrainLimits, ARequestBeyondTheCeilingDrainsNothing) {
  BufferPool pool(drainPoolConfig(ThreadingMode::MultiThreaded));
  fillIdle(pool, 10);
  EXPECT_THROW((void)pool.acquire(5 * testing::kMB, AllocationZone::Direct), OutOfMemoryError);
  EXPECT_EQ(pool.stats().pooledNow, 10u);
  EXPECT_EQ(pool.stats().trimmedBuffers, 0u);
}

// Thread A keeps using a MultiThreaded pool while this thread's allocation
// drains it (the buffers were made and released here, so their blocks come
// back to this thread's arena).
TEST_F(PoolDrainLimits, ADrainRunsWhileAnotherThreadUsesThePool) {
  ZB_DRAIN_REQUIRE_THREADS();
  BufferPool pool(drainPoolConfig(ThreadingMode::MultiThreaded));
  fillIdle(pool, 150);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> rounds{0};
  std::thread a([&] {
    while (!stop.load()) {
      pool.withBuffer(1024, AllocationZone::Direct, [](PlatformBuffer& b) { b.writeInt(1); });
      PooledBuffer h = pool.acquire(512);
      h->writeInt(2);
      rounds.fetch_add(1);
    }
  });
  while (rounds.load() < 100) std::this_thread::yield();
  {
    PlatformBuffer big = PlatformBuffer::allocate(kDrainBig, AllocationZone::Direct);
    EXPECT_EQ(big.capacity(), kDrainBig);
  }
  const std::uint64_t seen = rounds.load();
  while (rounds.load() < seen + 100) std::this_thread::yield();
  stop.store(true);
  a.join();
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_GE(s.trimmedBuffers, 150u);
}

// Pools come and go on several threads while another drains them all, over
// and over: no drain may see a pool that is being destroyed.
TEST_F(PoolDrainLimits, TheRegistryHoldsUpUnderConcurrentPoolsAndDrains) {
  ZB_DRAIN_REQUIRE_THREADS();
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> drained{0};
  std::thread drainer([&] {
    while (!stop.load()) drained.fetch_add(detail::reclaimIdle(AllocationZone::Direct).bytes);
  });
  std::vector<std::thread> makers;
  for (int t = 0; t < 3; ++t) {
    makers.emplace_back([] {
      PoolConfig c = drainPoolConfig(ThreadingMode::MultiThreaded);
      c.threadCacheCount = 1;  // releases overflow into the shared lists, which the drainer reaches
      for (int round = 0; round < 100; ++round) {
        BufferPool pool(c);
        for (int k = 0; k < 4; ++k) {
          std::vector<PooledBuffer> leases = takeDirectLeases(pool, 4);
          for (std::size_t i = 0; i < leases.size(); ++i) EXPECT_EQ(leases[i]->getInt(0), static_cast<std::int32_t>(i));
        }
      }
    });
  }
  for (std::thread& m : makers) m.join();
  stop.store(true);
  drainer.join();
  SUCCEED() << drained.load() << " bytes drained";
}

}  // namespace pool_drain_test
}  // namespace zonebuf
