// GrowableBuffer in a linear zone: growth in place when the lease's block is
// the arena's last (same data(), nothing copied, views still valid, the pool's
// books moved to the new class), a move when it is not, and exact pool
// statistics after the grown lease goes back.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/zonebuf.hpp"

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#include <thread>
#endif

namespace zonebuf {
namespace growable_in_place_test {

using GrowableInPlace = testing::LinearArenaTest;
using testing::kKiB;

const PoolClassStats& classOf(const PoolStats& s, AllocationZone zone, std::size_t size) {
  for (const PoolClassStats& c : s.zone(zone).classes)
    if (c.size == size) return c;
  static const PoolClassStats none{};
  ADD_FAILURE() << "no class of " << size << " bytes";
  return none;
}

std::vector<std::byte> pattern(std::size_t n) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>(i * 7 + 1);
  return v;
}

void expectPrefix(const PlatformBuffer& b, const std::vector<std::byte>& bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) ASSERT_EQ(b.data()[i], bytes[i]) << "byte " << i;
}

TEST_F(GrowableInPlace, TheLastBlockGrowsWhereItLiesAndKeepsItsViews) {
  BufferPool pool;
  GrowableBuffer g(pool, 256, AllocationZone::Direct);
  const std::vector<std::byte> first = pattern(200);
  g.write(first);
  PlatformBuffer& b = g.buffer();
  const std::byte* at = b.data();
  PlatformBuffer view = b.slice(0, 200);
  PlatformBuffer dup = b.duplicate();

  PlatformBuffer& grown = g.ensureWritable(1000);  // wants max(1200, 512): class 1280
  EXPECT_EQ(&grown, &b) << "the same lease";
  EXPECT_EQ(grown.data(), at);
  EXPECT_EQ(grown.capacity(), 1280u);
  EXPECT_EQ(grown.limit(), grown.capacity());
  EXPECT_EQ(grown.position(), 200u);
  EXPECT_EQ(g.growInPlaceCount(), 1u);
  EXPECT_EQ(g.growCount(), 0u);
  EXPECT_EQ(g.bytesMoved(), 0u);
  expectPrefix(grown, first);
  // The bytes did not move and the owner was not released: its views live.
  EXPECT_FALSE(view.stale());
  EXPECT_EQ(view.getByte(199), static_cast<std::int8_t>(first[199]));
  EXPECT_EQ(dup.position(), 200u);
  EXPECT_NO_THROW(dup.requireLive("test"));
  const std::vector<std::byte> rest = pattern(1080);
  grown.writeBytes(rest);  // the new bytes are writable up to the capacity
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).extensions, 1u);

  // The books moved the lease to class 1280 at once.
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 1u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 256).live, 0u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 256).acquisitions, 1u) << "requests stay where they were made";
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 1280).live, 1u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 1280).peakLive, 1u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 1280).acquisitions, 0u);
  EXPECT_EQ(s.peakPooled, 1u);
}

TEST_F(GrowableInPlace, AGrownLeaseGoesBackAsALeaseOfItsNewClass) {
  BufferPool pool;
  const std::byte* at = nullptr;
  {
    GrowableBuffer g(pool, 256, AllocationZone::Direct);
    g.buffer();
    g.write(pattern(300));  // 256 -> 512 in place
    ASSERT_EQ(g.growInPlaceCount(), 1u);
    at = g.buffer().data();
    PooledBuffer lease = g.take();
    lease.release();
  }
  PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_EQ(s.pooledNow, 1u);
  EXPECT_EQ(s.retainedBytes, 512u);
  EXPECT_EQ(s.zone(AllocationZone::Direct).retainedBytes, 512u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 512).idle, 1u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 512).live, 1u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 256).idle, 0u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 256).live, 0u);
  EXPECT_EQ(s.acquisitions, s.hits + s.misses + s.oversize);
  // The next request of that class is a hit on the grown buffer.
  PooledBuffer again = pool.acquire(500, AllocationZone::Direct);
  EXPECT_EQ(again->data(), at);
  EXPECT_EQ(again->capacity(), 512u);
  EXPECT_EQ(pool.stats().hits, 1u);
  again.release();
  pool.trim();
  EXPECT_EQ(pool.stats().retainedBytes, 0u);
}

TEST_F(GrowableInPlace, ABlockThatIsNotLastMovesAndItsViewsGoStale) {
  BufferPool pool;
  GrowableBuffer g(pool, 256, AllocationZone::Direct);
  const std::vector<std::byte> first = pattern(200);
  g.write(first);
  PlatformBuffer after = PlatformBuffer::allocate(64, AllocationZone::Direct);  // the arena's last now
  const std::byte* at = g.buffer().data();
  PlatformBuffer view = g.buffer().slice(0, 200);
  PlatformBuffer& grown = g.ensureWritable(1000);
  EXPECT_NE(grown.data(), at);
  EXPECT_EQ(g.growCount(), 1u);
  EXPECT_EQ(g.growInPlaceCount(), 0u);
  EXPECT_EQ(g.bytesMoved(), 200u);
  expectPrefix(grown, first);
  if (kCheckedViews) {
    EXPECT_TRUE(view.stale());
    EXPECT_THROW(view.getByte(0), StaleViewError);
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 256).idle, 1u) << "the old lease went back";
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 1280).live, 1u);
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).extensions, 0u);
}

TEST_F(GrowableInPlace, GrowsInPlacePastTheLargestClassAsAnOversizeLease) {
  BufferPool pool;  // Direct classes up to 64 KiB
  std::vector<std::byte> all;
  {
    GrowableBuffer g(pool, 256, AllocationZone::Direct);
    const std::vector<std::byte> piece = pattern(1000);
    while (g.size() < 300 * kKiB) {
      g.write(piece);
      all.insert(all.end(), piece.begin(), piece.end());
    }
    EXPECT_EQ(g.growCount(), 0u);
    EXPECT_EQ(g.bytesMoved(), 0u);
    // The first write takes a lease of 1024 (a first lease is sized for it),
    // then 2048 ... 64 KiB, then 128, 256, 512 KiB unpooled.
    EXPECT_EQ(g.growInPlaceCount(), 9u);
    EXPECT_EQ(g.capacity(), 512 * kKiB);
    expectPrefix(g.buffer(), all);
    const PoolStats s = pool.stats();
    EXPECT_EQ(s.outstandingLeases, 1u);
    EXPECT_EQ(s.oversize, 0u) << "no oversize request was made";
    for (const PoolClassStats& c : s.zone(AllocationZone::Direct).classes) EXPECT_EQ(c.live, 0u) << c.size;
    EXPECT_EQ(s.peakPooled, 1u);
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_EQ(s.pooledNow, 0u) << "an oversize lease is freed, not pooled";
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).used, 0u);
}

TEST_F(GrowableInPlace, SharedMemoryGrowsInPlaceToo) {
  BufferPool pool;
  GrowableBuffer g(pool, 1024, AllocationZone::SharedMemory);
  g.buffer();  // the first lease: 1024
  const std::vector<std::byte> bytes = pattern(5000);
  g.write(bytes);
  EXPECT_GE(g.growInPlaceCount(), 1u);
  EXPECT_EQ(g.growCount(), 0u);
  expectPrefix(g.buffer(), bytes);
}

TEST_F(GrowableInPlace, TheLeakReportFollowsTheGrowth) {
  PoolConfig config;
  config.leakDetection.level = LeakDetectionLevel::Paranoid;  // every lease recorded
  BufferPool pool(config);
  GrowableBuffer g(pool, 256, AllocationZone::Direct);
  g.buffer();
  g.write(pattern(1000));  // 256 -> 1024, in place
  ASSERT_EQ(g.growInPlaceCount(), 1u);
  LeakReport r = pool.stats().leaks;
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].bytes, 1024u);
  EXPECT_EQ(r.unsampledCount, 0u);
  EXPECT_EQ(r.unsampledBytes, 0u);
  g.write(pattern(100 * kKiB));  // past the largest class: an oversize lease now
  ASSERT_EQ(g.growCount(), 0u);
  r = pool.stats().leaks;
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].bytes, g.capacity());
  EXPECT_EQ(r.unsampledBytes, 0u);
  g.take().release();
  EXPECT_TRUE(pool.stats().leaks.sites.empty());
  EXPECT_EQ(pool.stats().leaks.unsampledBytes, 0u);
}

TEST_F(GrowableInPlace, AMultiThreadedPoolBooksTheGrowthToo) {
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  BufferPool pool(config);
  {
    GrowableBuffer g(pool, 256, AllocationZone::Direct);
    g.buffer();
    g.write(pattern(2000));
    EXPECT_EQ(g.growInPlaceCount(), 1u);  // wants max(2000, 512): class 2048
    EXPECT_EQ(g.capacity(), 2048u);
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_EQ(classOf(s, AllocationZone::Direct, 2048).idle, 1u);
  EXPECT_EQ(s.retainedBytes, 2048u);
}

TEST_F(GrowableInPlace, HeapBuffersAlwaysMove) {
  BufferPool pool;
  GrowableBuffer g(pool, 256, AllocationZone::Heap);
  g.buffer();
  g.write(pattern(1000));
  EXPECT_EQ(g.growInPlaceCount(), 0u);
  EXPECT_EQ(g.growCount(), 1u);
}

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
TEST_F(GrowableInPlace, OffTheBlocksOwningThreadItMoves) {
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  BufferPool pool(config);
  GrowableBuffer g(pool, 256, AllocationZone::Direct);
  g.write(pattern(100));  // the block belongs to this thread's arena
  std::thread([&] { g.write(pattern(1000)); }).join();
  EXPECT_EQ(g.growInPlaceCount(), 0u);
  EXPECT_EQ(g.growCount(), 1u);
  EXPECT_EQ(g.size(), 1100u);
  g.take().release();
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
}
#endif

}  // namespace growable_in_place_test
}  // namespace zonebuf
