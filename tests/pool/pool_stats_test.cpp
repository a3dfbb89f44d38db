// stats(): counter arithmetic, per-class figures, the size histogram and the
// JSON dump tools/pool-tune reads.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "pool/pool_test_support.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

TEST(PoolStats, FreshPoolIsAllZero) {
  BufferPool pool;
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.acquisitions, 0u);
  EXPECT_EQ(s.hitRate(), 0.0);
  EXPECT_EQ(s.zone(AllocationZone::Heap).classes.size(), pool.classes(AllocationZone::Heap).count());
}

TEST(PoolStats, ArithmeticAddsUp) {
  BufferPool pool;
  std::vector<PooledBuffer> held;
  held.push_back(pool.acquire(100));                             // miss (112)
  held.push_back(pool.acquire(100));                             // miss
  held.clear();                                                  // 2 idle
  held.push_back(pool.acquire(112));                             // hit
  held.push_back(pool.acquire(100, AllocationZone::Direct));     // miss, other zone
  held.push_back(pool.acquire(200000, AllocationZone::Direct));  // oversize
  pool.withBuffer(2, AllocationZone::Heap, [](PlatformBuffer&) {});  // miss (64)
  const PoolStats s = pool.stats();
  // pooledNow: one 112 and one 64
  testing::expectCounts(s, {.acquisitions = 6, .hits = 1, .misses = 4, .pooledNow = 2, .outstandingLeases = 3});
  EXPECT_EQ(s.oversize, 1u);
  EXPECT_DOUBLE_EQ(s.hitRate(), 1.0 / 6.0);
  EXPECT_EQ(s.retainedBytes, 112u + 64u);
  EXPECT_EQ(s.peakPooled, 4u);

  const PoolZoneStats& heap = s.zone(AllocationZone::Heap);
  EXPECT_EQ(heap.acquisitions, 4u);
  // One bucket per class that saw requests: 2 -> (0, 64], 100, 100, 112 -> (96, 112].
  ASSERT_EQ(heap.histogram.size(), 2u);
  EXPECT_EQ(heap.histogram[0].le, 64u);
  EXPECT_EQ(heap.histogram[0].count, 1u);
  EXPECT_EQ(heap.histogram[1].le, 112u);
  EXPECT_EQ(heap.histogram[1].count, 3u);
  const PoolClassStats& c112 = heap.classes[pool.classes(AllocationZone::Heap).classIndex(112)];
  EXPECT_EQ(c112.size, 112u);
  EXPECT_EQ(c112.acquisitions, 3u);
  EXPECT_EQ(c112.misses, 2u);
  EXPECT_EQ(c112.live, 2u);
  EXPECT_EQ(c112.idle, 1u);
  EXPECT_EQ(c112.peakLive, 2u);
  const PoolZoneStats& direct = s.zone(AllocationZone::Direct);
  EXPECT_EQ(direct.acquisitions, 2u);
  EXPECT_EQ(direct.oversize, 1u);
  ASSERT_EQ(direct.histogram.size(), 2u);
  EXPECT_EQ(direct.histogram[1].le, 262144u);  // oversize 200000: power-of-two bucket (131072, 262144]
  EXPECT_EQ(direct.histogram[1].count, 1u);
  std::uint64_t total = 0;
  for (const auto& b : heap.histogram) total += b.count;
  EXPECT_EQ(total, heap.acquisitions);
}

TEST(PoolStats, ToJsonCarriesEveryFigure) {
  BufferPool pool;
  pool.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});
  pool.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});
  const auto j = nlohmann::json::parse(pool.stats().toJson());
  EXPECT_EQ(j["acquisitions"], 2);
  EXPECT_EQ(j["hits"], 1);
  EXPECT_EQ(j["misses"], 1);
  EXPECT_EQ(j["oversize"], 0);
  EXPECT_DOUBLE_EQ(j["hitRate"].get<double>(), 0.5);
  EXPECT_EQ(j["pooledNow"], 1);
  EXPECT_EQ(j["peakPooled"], 1);
  EXPECT_EQ(j["retainedBytes"], 1024);
  EXPECT_EQ(j["outstandingLeases"], 0);
  const auto& heap = j["zones"]["Heap"];
  ASSERT_EQ(heap["histogram"].size(), 1u);
  EXPECT_EQ(heap["histogram"][0]["le"], 1024);
  EXPECT_EQ(heap["histogram"][0]["count"], 2);
  bool found = false;
  for (const auto& c : heap["classes"]) {
    if (c["size"] == 1024) {
      found = true;
      EXPECT_EQ(c["acquisitions"], 2);
      EXPECT_EQ(c["peakLive"], 1);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(j["zones"].contains("Direct"));
  EXPECT_TRUE(j["zones"].contains("SharedMemory"));
}

}  // namespace
}  // namespace zonebuf
