// withBuffer's own release path: the buffer goes back to the list slot it came
// from when nothing touched that list while fn ran, and the pool's books stay
// exact (or, for the byte cap, stricter) whatever fn does in between: nested
// leases of the same class, leases released inside fn, trim(), stats(),
// moving the buffer out, zeroOnRelease, and destroying the pool itself.
// (Nested withBuffer on several threads: pool_threads_test.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "pool_test_support.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

using testing::expectCounts;

constexpr std::size_t k1KiB = 1024;

// The default config with the idle policy off (nothing is trimmed behind a
// test's back) and the given cap on retained bytes.
PoolConfig noIdleTrim(std::size_t maxRetainedBytes = std::size_t{64} << 20) {
  PoolConfig c;
  c.maxRetainedBytes = maxRetainedBytes;
  c.idleTrimOperations = 0;
  return c;
}

TEST(PoolWithBuffer, NestedLeasesOfOneClassGetDistinctBuffersAndAllComeBack) {
  BufferPool pool(noIdleTrim());
  std::set<std::byte*> seen;
  for (int round = 0; round < 3; ++round) {
    pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer& outer) {
      outer.writeInt(1);
      pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer& inner) {
        EXPECT_NE(inner.data(), outer.data());
        inner.writeInt(2);
        seen.insert(inner.data());
      });
      EXPECT_EQ(outer.getInt(0), 1);
      seen.insert(outer.data());
    });
  }
  EXPECT_EQ(seen.size(), 2u);  // the same two buffers every round
  expectCounts(pool.stats(), {.acquisitions = 6, .hits = 4, .misses = 2, .pooledNow = 2, .outstandingLeases = 0});
}

TEST(PoolWithBuffer, ALeaseReleasedAndReacquiredInsideFnIsNeverHandedOutTwice) {
  // fn gives another buffer of the class back and takes it again: the list's
  // count is what withBuffer left, but its top slot now names a leased buffer.
  BufferPool pool(noIdleTrim());
  { PooledBuffer warm[2] = {pool.acquire(k1KiB), pool.acquire(k1KiB)}; }
  PooledBuffer held;
  PooledBuffer other = pool.acquire(k1KiB);
  std::byte* scoped = nullptr;
  pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer& b) {
    scoped = b.data();
    other.release();
    held = pool.acquire(k1KiB);
  });
  std::set<std::byte*> leased{held->data()};
  std::vector<PooledBuffer> more;
  for (int i = 0; i < 4; ++i) {
    more.push_back(pool.acquire(k1KiB));
    EXPECT_TRUE(leased.insert(more.back()->data()).second) << "buffer " << i << " is already leased";
  }
  EXPECT_TRUE(leased.count(scoped) == 1);
  expectCounts(pool.stats(), {.acquisitions = 9, .hits = 4, .misses = 5, .pooledNow = 0, .outstandingLeases = 5});
}

TEST(PoolWithBuffer, StatsInsideFnCountTheLeaseAsOutstanding) {
  BufferPool pool(noIdleTrim());
  { PooledBuffer warm[3] = {pool.acquire(k1KiB), pool.acquire(k1KiB), pool.acquire(k1KiB)}; }
  pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer&) {
    const PoolStats s = pool.stats();
    EXPECT_EQ(s.outstandingLeases, 1u);
    EXPECT_EQ(s.pooledNow, 2u);
    EXPECT_EQ(s.retainedBytes, 2 * k1KiB);
  });
  EXPECT_EQ(pool.stats().retainedBytes, 3 * k1KiB);
}

TEST(PoolWithBuffer, TrimInsideFnKeepsTheByteCapExact) {
  // A trim inside fn must not lose track of the buffer fn holds: afterwards
  // the cap still admits exactly maxRetainedBytes.
  BufferPool pool(noIdleTrim(4 * k1KiB));
  for (int i = 0; i < 100; ++i) {
    pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer&) { pool.trim(); });
  }
  EXPECT_EQ(pool.stats().pooledNow, 1u);
  {
    std::vector<PooledBuffer> burst;
    for (int i = 0; i < 8; ++i) burst.push_back(pool.acquire(k1KiB));
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.pooledNow, 4u);
  EXPECT_EQ(s.retainedBytes, 4 * k1KiB);
}

TEST(PoolWithBuffer, ByteCapHoldsWhenFnGivesOtherBuffersBack) {
  // The pool is at its cap; fn takes one buffer out and gives a third one
  // back. Only two may stay idle once withBuffer has returned its own.
  BufferPool pool(noIdleTrim(2 * k1KiB));
  PooledBuffer extra = pool.acquire(k1KiB);
  { PooledBuffer warm[2] = {pool.acquire(k1KiB), pool.acquire(k1KiB)}; }
  ASSERT_EQ(pool.stats().retainedBytes, 2 * k1KiB);
  pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer&) { extra.release(); });
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.retainedBytes, 2 * k1KiB);
  EXPECT_EQ(s.pooledNow, 2u);
  EXPECT_EQ(s.outstandingLeases, 0u);
}

TEST(PoolWithBuffer, BufferMovedOutInsideFnStaysWithTheCaller) {
  BufferPool pool(noIdleTrim());
  pool.withBuffer(k1KiB, AllocationZone::Heap, [](PlatformBuffer&) {});  // one idle buffer
  PlatformBuffer kept;
  pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer& b) {
    b.writeInt(7);
    kept = std::move(b);
  });
  EXPECT_EQ(kept.getInt(0), 7);
  EXPECT_EQ(kept.capacity(), k1KiB);
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.pooledNow, 0u);  // the emptied node left the pool
  EXPECT_EQ(s.outstandingLeases, 0u);
  pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer& b) {
    EXPECT_NE(b.data(), kept.data());
    EXPECT_EQ(b.capacity(), k1KiB);
  });
}

TEST(PoolWithBuffer, ZeroOnReleaseClearsWhatFnWrote) {
  PoolConfig c = noIdleTrim();
  c.zeroOnRelease = true;
  BufferPool pool(c);
  for (int round = 0; round < 3; ++round) {
    pool.withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer& b) {
      if (round > 0) {  // the first lease is fresh memory; every later one was released
        for (std::size_t i = 0; i < b.capacity(); ++i) ASSERT_EQ(std::to_integer<int>(b.data()[i]), 0) << i;
      }
      std::memset(b.data(), 0xAB, b.capacity());
    });
  }
  expectCounts(pool.stats(), {.acquisitions = 3, .hits = 2, .misses = 1, .pooledNow = 1, .outstandingLeases = 0});
}

TEST(PoolWithBuffer, DestroyingThePoolInsideFnOrphansTheBuffer) {
  PoolConfig c = noIdleTrim();
  OutstandingLeases report;
  c.onOutstandingLeases = [&](const OutstandingLeases& r) { report = r; };
  auto pool = std::make_unique<BufferPool>(c);
  pool->withBuffer(k1KiB, AllocationZone::Heap, [](PlatformBuffer&) {});  // idle: freed by the pool
  pool->withBuffer(k1KiB, AllocationZone::Heap, [&](PlatformBuffer& b) {
    pool.reset();
    b.writeInt(42);  // still the caller's until fn returns
    EXPECT_EQ(b.getInt(0), 42);
  });
  ASSERT_EQ(report.leases.size(), 1u);
  EXPECT_EQ(report.leases[0].capacity, k1KiB);
}

}  // namespace
}  // namespace zonebuf
