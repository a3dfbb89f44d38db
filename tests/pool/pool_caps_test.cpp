// Caps, trim(), clear() and the idle policy (memory shrinks after a burst).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

#include "pool/pool_test_support.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

PoolConfig smallConfig(std::uint64_t idleTrimOperations = 0, std::uint64_t idleTrimMillis = 0) {
  PoolConfig c;
  c.classes(SizeClassSpec::explicitSizes({64, 1024}));
  c.idleTrimOperations = idleTrimOperations;
  c.idleTrimMillis = idleTrimMillis;
  return c;
}

// Leases n buffers of `size` at once, then returns them all.
void burst(BufferPool& pool, std::size_t n, std::size_t size) {
  std::vector<PooledBuffer> leases;
  for (std::size_t i = 0; i < n; ++i) leases.push_back(pool.acquire(size));
}

TEST(PoolCaps, PerClassCapBoundsIdleBuffers) {
  PoolConfig c = smallConfig();
  c.zone(AllocationZone::Heap).maxPerClass = 3;
  BufferPool pool(c);
  burst(pool, 10, 64);
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.pooledNow, 3u);
  EXPECT_EQ(s.retainedBytes, 3u * 64);
  EXPECT_EQ(s.peakPooled, 10u);
  EXPECT_EQ(s.zone(AllocationZone::Heap).classes[0].peakLive, 10u);
}

// A list's array grows with what is idle, so a cap far beyond any working
// set (here the largest one the config takes) pools normally and costs
// memory only for the buffers actually kept.
TEST(PoolCaps, HugePerClassCapPoolsWhatComesBack) {
  PoolConfig c = smallConfig();
  c.zone(AllocationZone::Heap).maxPerClass = std::numeric_limits<std::size_t>::max();
  BufferPool pool(c);
  burst(pool, 100, 64);
  burst(pool, 100, 64);
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.pooledNow, 100u);
  EXPECT_EQ(s.misses, 100u);
  EXPECT_EQ(s.hits, 100u);
}

TEST(PoolCaps, MaxRetainedBytesBoundsIdleMemory) {
  PoolConfig c = smallConfig();
  c.maxRetainedBytes = 2500;
  BufferPool pool(c);
  burst(pool, 5, 1000);
  EXPECT_EQ(pool.stats().retainedBytes, 2048u);
  burst(pool, 10, 64);  // 2048 + 7 * 64 = 2496 <= 2500
  EXPECT_EQ(pool.stats().retainedBytes, 2048u + 7 * 64);
}

TEST(PoolCaps, TrimGivesEverythingBack) {
  BufferPool pool(smallConfig());
  burst(pool, 8, 1000);
  PooledBuffer kept = pool.acquire(64);
  EXPECT_EQ(pool.stats().pooledNow, 8u);
  pool.trim();
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.pooledNow, 0u);
  EXPECT_EQ(s.retainedBytes, 0u);
  EXPECT_EQ(s.trimmedBuffers, 8u);
  EXPECT_EQ(s.outstandingLeases, 1u);  // a leased buffer is not trimmed
  kept.release();
  EXPECT_EQ(pool.stats().pooledNow, 1u);
}

TEST(PoolCaps, ClearTrimsAndRestartsStatistics) {
  BufferPool pool(smallConfig());
  burst(pool, 4, 64);
  PooledBuffer kept = pool.acquire(64);
  pool.clear();
  PoolStats s = pool.stats();
  testing::expectCounts(s, {.acquisitions = 0, .hits = 0, .misses = 0, .pooledNow = 0, .outstandingLeases = 1});
  EXPECT_EQ(s.peakPooled, 1u);
  EXPECT_TRUE(s.zone(AllocationZone::Heap).histogram.empty());
  kept.release();
  pool.withBuffer(64, AllocationZone::Heap, [](PlatformBuffer&) {});
  s = pool.stats();
  EXPECT_EQ(s.acquisitions, 1u);
  EXPECT_EQ(s.hits, 1u);
}

TEST(PoolCaps, IdlePolicyByOperationCountShrinksAfterABurst) {
  BufferPool pool(smallConfig(100));
  burst(pool, 50, 1000);  // 50 acquisitions
  EXPECT_EQ(pool.stats().pooledNow, 50u);
  // Quiet traffic: one 64-byte buffer at a time. An epoch ends every 100
  // acquisitions; the 1000-byte buffers sit idle for a whole epoch and are
  // freed, the one in use stays.
  for (int i = 0; i < 300; ++i) pool.withBuffer(64, AllocationZone::Heap, [](PlatformBuffer&) {});
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.zone(AllocationZone::Heap).classes[1].idle, 0u);
  EXPECT_EQ(s.zone(AllocationZone::Heap).classes[0].idle, 1u);
  EXPECT_EQ(s.trimmedBuffers, 50u);
}

TEST(PoolCaps, IdlePolicyKeepsBuffersThatAreInUse) {
  BufferPool pool(smallConfig(64));
  for (int round = 0; round < 50; ++round) burst(pool, 8, 1000);  // steady working set of 8
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.misses, 8u);
  EXPECT_EQ(s.pooledNow, 8u);
}

// The idle-policy tests below: a burst of `burstSize` 1000-byte leases, then
// 100 rounds of steady traffic — `useLarge(pool)` on the 1000-byte class,
// then three 64-byte withBuffers — and what the policy kept. Each class runs
// the idle-policy check every 100 of its own acquisitions, and the 64-byte
// class gets there first: every epoch ends while the 1000-byte class is idle,
// so its low-water mark must already know what the rounds did with it.
struct AfterSteadyRounds {
  std::uint64_t idleLarge;  // 1000-byte buffers still pooled
  std::uint64_t trimmed;
  std::uint64_t misses;     // the burst's, the first 64-byte buffer's, and any trimmed buffer needed again
};
template <class UseLarge>
void expectAfterSteadyRounds(std::size_t burstSize, UseLarge useLarge, AfterSteadyRounds expected) {
  BufferPool pool(smallConfig(100));
  burst(pool, burstSize, 1000);
  for (int i = 0; i < 100; ++i) {
    useLarge(pool);
    for (int k = 0; k < 3; ++k) pool.withBuffer(64, AllocationZone::Heap, [](PlatformBuffer&) {});
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.zone(AllocationZone::Heap).classes[1].idle, expected.idleLarge);
  EXPECT_EQ(s.zone(AllocationZone::Heap).classes[0].idle, 1u);
  EXPECT_EQ(s.trimmedBuffers, expected.trimmed);
  EXPECT_EQ(s.misses, expected.misses);
}

// withBuffer's hit takes the top of a list and puts it back without touching
// the list's count; the low-water mark still counts that buffer as used.
TEST(PoolCaps, IdlePolicyCountsScopedHitsAsUse) {
  expectAfterSteadyRounds(
      5, [](BufferPool& pool) { pool.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {}); },
      {.idleLarge = 1, .trimmed = 4, .misses = 6});
}

TEST(PoolCaps, IdlePolicyCountsNestedScopedHitsAsUse) {
  expectAfterSteadyRounds(
      5,
      [](BufferPool& pool) {
        pool.withBuffer(1000, AllocationZone::Heap, [&](PlatformBuffer&) {
          pool.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});
        });
      },
      {.idleLarge = 2, .trimmed = 3, .misses = 6});
}

TEST(PoolCaps, IdlePolicyCountsHeldAndScopedLeasesMixed) {
  expectAfterSteadyRounds(
      6,
      [](BufferPool& pool) {
        PooledBuffer held = pool.acquire(1000);
        pool.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});
      },
      {.idleLarge = 2, .trimmed = 4, .misses = 7});
}

TEST(PoolCaps, IdlePolicyByTime) {
  BufferPool pool(smallConfig(0, 20));
  burst(pool, 20, 1000);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (pool.stats().zone(AllocationZone::Heap).classes[1].idle != 0 && std::chrono::steady_clock::now() < end) {
    for (int i = 0; i < 1024; ++i) pool.withBuffer(64, AllocationZone::Heap, [](PlatformBuffer&) {});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(pool.stats().zone(AllocationZone::Heap).classes[1].idle, 0u);
}

}  // namespace
}  // namespace zonebuf
