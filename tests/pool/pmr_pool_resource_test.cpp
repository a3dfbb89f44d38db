// PoolMemoryResource: real containers over a pool in every zone, the small
// lists and the lease path (deallocate's size picks the class or the lease),
// alignment, identity equality, slabs returned at the end, and errors that
// are std::bad_alloc and change nothing.
#include <gtest/gtest.h>

#include "zonebuf/zonebuf.hpp"

#if ZONEBUF_HAS_PMR

#include <cstring>
#include <new>
#include <thread>
#include <vector>

#include "pool/pmr_containers.hpp"

namespace zonebuf {
namespace {

using testing::opaque;
using testing::kPmrZones;

TEST(PmrPoolResource, ContainersWorkInEveryZone) {
  for (auto zone : kPmrZones) {
    SCOPED_TRACE(std::string(zoneName(zone)));
    BufferPool pool;
    {
      PoolMemoryResource r(pool, zone);
      EXPECT_EQ(&r.pool(), &pool);
      EXPECT_EQ(r.zone(), zone);
      testing::exerciseContainers(r);
      EXPECT_GT(r.slabCount(), 0u);
      EXPECT_EQ(pool.stats().outstandingLeases, r.slabCount());  // only the slabs are still out
    }
    EXPECT_EQ(pool.stats().outstandingLeases, 0u);
    EXPECT_GT(pool.stats().zone(zone).acquisitions, 0u);
  }
}

TEST(PmrPoolResource, ContainersWorkWithoutSmallLists) {
  BufferPool pool;
  PoolMemoryResource r(pool, AllocationZone::Heap, 0);
  testing::exerciseContainers(r);
  EXPECT_EQ(r.slabCount(), 0u);
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
}

TEST(PmrPoolResource, MultiThreadedPoolBacksOneResourcePerThread) {
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  BufferPool pool(config);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&pool] {
      PoolMemoryResource r(pool, AllocationZone::Heap);
      testing::exerciseContainers(r);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
}

TEST(PmrPoolResource, SmallChunksAreReusedByTheirSizeClass) {
  BufferPool pool;
  PoolMemoryResource r(pool);
  void* a = r.allocate(24, 8);
  r.deallocate(a, 24, 8);
  EXPECT_EQ(r.allocate(32, 16), a);  // 24 and 32 share the 32-byte class
  void* b = r.allocate(33, 8);       // the next class: not the freed chunk
  EXPECT_NE(b, a);
  r.deallocate(b, 33, 8);
  r.deallocate(a, 32, 16);
  EXPECT_EQ(r.slabCount(), 1u);
  EXPECT_EQ(pool.stats().outstandingLeases, 1u);
}

TEST(PmrPoolResource, LargeRequestsAreLeasesEndedByDeallocate) {
  BufferPool pool;
  PoolMemoryResource r(pool, AllocationZone::Direct);
  void* p = r.allocate(1000, 8);
  EXPECT_EQ(pool.stats().outstandingLeases, 1u);
  std::memset(p, 1, 1000);
  r.deallocate(p, 1000, 8);
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
  EXPECT_EQ(pool.stats().pooledNow, 1u);
  EXPECT_EQ(r.allocate(1000, 8), p);  // the pooled buffer comes back
  r.deallocate(p, 1000, 8);
  EXPECT_EQ(pool.stats().hits, 1u);
}

TEST(PmrPoolResource, HonoursEveryPowerOfTwoAlignment) {
  for (auto zone : kPmrZones) {
    BufferPool pool;
    PoolMemoryResource r(pool, zone);
    for (std::size_t align = 1; align <= 4096; align *= 2) {
      for (std::size_t bytes : {0u, 1u, 24u, 100u, 256u, 300u, 5000u, 70000u}) {
        void* p = r.allocate(bytes, align);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % align, 0u) << zoneName(zone) << " " << bytes << "/" << align;
        std::memset(p, 0x5A, bytes);
        r.deallocate(p, bytes, align);
      }
    }
    EXPECT_EQ(pool.stats().outstandingLeases, r.slabCount());
  }
}

TEST(PmrPoolResource, EqualityIsIdentity) {
  BufferPool pool;
  PoolMemoryResource a(pool), b(pool);
  EXPECT_TRUE(a.is_equal(a));
  EXPECT_FALSE(a.is_equal(b));
  ZoneMemoryResource heap(AllocationZone::Heap);
  EXPECT_FALSE(a.is_equal(heap));
  EXPECT_FALSE(heap.is_equal(a));
}

TEST(PmrPoolResource, ExhaustedZoneIsBadAllocAndChangesNothing) {
  BufferPool pool;
  PoolMemoryResource r(pool, AllocationZone::Direct);
  void* keep = r.allocate(100, 8);
  const PoolStats before = pool.stats();
  try {
    (void)r.allocate(opaque(std::size_t{1} << 45), 16);
    FAIL() << "no throw";
  } catch (const std::bad_alloc& e) {
    EXPECT_NE(dynamic_cast<const OutOfMemoryError*>(&e), nullptr);
    EXPECT_NE(std::string(e.what()).find("exceeded"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)r.allocate(opaque(SIZE_MAX - 4), 16), OutOfMemoryError);
  const PoolStats after = pool.stats();
  EXPECT_EQ(after.acquisitions, before.acquisitions);
  EXPECT_EQ(after.outstandingLeases, before.outstandingLeases);
  EXPECT_EQ(r.slabCount(), 1u);
  EXPECT_EQ(r.allocate(100, 8), static_cast<std::byte*>(keep) + 112);  // the small lists are untouched
}

TEST(PmrPoolResource, RejectsBadArguments) {
  BufferPool pool;
  try {
    PoolMemoryResource r(pool, AllocationZone::Heap, 24);
    FAIL() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("smallMax 24 must be a multiple of 16 and at most 1024"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(PoolMemoryResource(pool, AllocationZone::Heap, 2048), InvalidArgumentError);
  try {
    PoolMemoryResource r(pool, static_cast<AllocationZone>(9));
    FAIL() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("zone 9 is not an AllocationZone"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pool.stats().acquisitions, 0u);
}

}  // namespace
}  // namespace zonebuf

#endif  // ZONEBUF_HAS_PMR
