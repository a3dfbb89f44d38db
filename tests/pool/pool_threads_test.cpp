// MultiThreaded mode: a stress test in which every lease writes and checks a
// unique pattern (no buffer is ever held twice), thread churn (1,000 threads)
// with bounded retained memory, several pools per thread, and pools destroyed
// before the threads that used them exit.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

// The single-threaded WebAssembly build cannot start threads.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define ZB_REQUIRE_THREADS() GTEST_SKIP() << "this WebAssembly build has no threads (use the wasm-threads preset)"
#else
#define ZB_REQUIRE_THREADS() (void)0
#endif

PoolConfig mtConfig() {
  PoolConfig c;
  c.threading = ThreadingMode::MultiThreaded;
  c.classes(SizeClassSpec::generated(64, 16384, 2));
  c.threadCacheCount = 8;
  c.zone(AllocationZone::Heap).maxPerClass = 64;
  return c;
}

void fillPattern(PlatformBuffer& b, std::uint64_t tag) {
  b.resetForWrite();
  while (b.remaining() >= 8) b.writeLong(static_cast<std::int64_t>(tag));
}
bool checkPattern(PlatformBuffer& b, std::uint64_t tag) {
  for (std::size_t i = 0; i + 8 <= b.capacity(); i += 8) {
    if (b.getLong(i) != static_cast<std::int64_t>(tag)) return false;
  }
  return true;
}

TEST(PoolThreads, StressEveryLeaseIsExclusive) {
  ZB_REQUIRE_THREADS();
  BufferPool pool(mtConfig());
  constexpr int kThreads = 4;
  constexpr int kRounds = 3000;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::uint64_t rng = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(t + 1);
      std::vector<std::pair<PooledBuffer, std::uint64_t>> held;
      for (int i = 0; i < kRounds; ++i) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        const std::size_t size = 8 + (rng >> 33) % 12000;
        const std::uint64_t tag = (static_cast<std::uint64_t>(t) << 32) | static_cast<std::uint64_t>(i);
        const AllocationZone zone = (rng >> 20) % 3 == 0 ? AllocationZone::SharedMemory : AllocationZone::Heap;
        PooledBuffer lease = pool.acquire(size, zone);
        fillPattern(*lease, tag);
        held.emplace_back(std::move(lease), tag);
        if (held.size() > 6 || (rng >> 40) % 2 == 0) {
          const std::size_t victim = (rng >> 45) % held.size();
          if (!checkPattern(*held[victim].first, held[victim].second)) failures++;
          held.erase(held.begin() + static_cast<std::ptrdiff_t>(victim));
        }
      }
      for (auto& [lease, tag] : held) {
        if (!checkPattern(*lease, tag)) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.acquisitions, static_cast<std::uint64_t>(kThreads) * kRounds);
  EXPECT_EQ(s.acquisitions, s.hits + s.misses + s.oversize);
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_GT(s.hits, s.misses);
}

TEST(PoolThreads, LeasesMayBeReleasedOnAnotherThread) {
  ZB_REQUIRE_THREADS();
  BufferPool pool(mtConfig());
  std::vector<PooledBuffer> leases;
  for (int i = 0; i < 100; ++i) leases.push_back(pool.acquire(1000));
  std::thread([&] { leases.clear(); }).join();
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_EQ(s.pooledNow, 64u);  // the exiting thread's cache went to the shared list, capped at 64
}

TEST(PoolThreads, ThreadChurnDoesNotLeak) {
  ZB_REQUIRE_THREADS();
  PoolConfig c = mtConfig();
  c.maxRetainedBytes = 256 * 1024;
  BufferPool pool(c);
  for (int t = 0; t < 1000; ++t) {
    std::thread([&pool, t] {
      std::vector<PooledBuffer> held;
      for (int i = 0; i < 6; ++i) held.push_back(pool.acquire(static_cast<std::size_t>(64 << (t + i) % 8)));
    }).join();
    if (t % 100 == 99) {
      const PoolStats s = pool.stats();
      ASSERT_LE(s.retainedBytes, c.maxRetainedBytes) << "after " << t + 1 << " threads";
      ASSERT_EQ(s.outstandingLeases, 0u);
    }
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.acquisitions, 6000u);
  EXPECT_LE(s.retainedBytes, c.maxRetainedBytes);
  EXPECT_GT(s.hitRate(), 0.9);  // exited threads' buffers were reused by the next ones
}

TEST(PoolThreads, ConcurrentThreadChurn) {
  ZB_REQUIRE_THREADS();
  BufferPool pool(mtConfig());
  for (int wave = 0; wave < 50; ++wave) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&pool] {
        for (int i = 0; i < 50; ++i) pool.withBuffer(512, AllocationZone::Heap, [](PlatformBuffer& b) { b.writeInt(1); });
      });
    }
    for (auto& th : threads) th.join();
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.acquisitions, 50u * 4 * 50);
  EXPECT_LE(s.pooledNow, 64u);
}

TEST(PoolThreads, PoolDestroyedBeforeTheThreadExits) {
  ZB_REQUIRE_THREADS();
  std::atomic<int> stage{0};
  auto pool = std::make_unique<BufferPool>(mtConfig());
  BufferPool other(mtConfig());
  std::thread worker([&] {
    pool->withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});  // fills this thread's cache
    other.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});
    stage = 1;
    while (stage.load() != 2) std::this_thread::yield();
    // The first pool is gone; using the second (and a brand-new one) still works.
    other.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});
    BufferPool fresh(mtConfig());
    fresh.withBuffer(10, AllocationZone::Heap, [](PlatformBuffer&) {});
  });  // exit hook: must not touch the destroyed pool
  while (stage.load() != 1) std::this_thread::yield();
  pool.reset();  // frees the worker's cached buffer (LeakSanitizer would see a leak otherwise)
  stage = 2;
  worker.join();
  EXPECT_EQ(other.stats().acquisitions, 2u);
  EXPECT_EQ(other.stats().hits, 1u);
  EXPECT_EQ(other.stats().pooledNow, 1u);
}

TEST(PoolThreads, TrimReachesOtherThreadsCaches) {
  ZB_REQUIRE_THREADS();
  PoolConfig c = mtConfig();
  c.idleTrimOperations = 0;
  BufferPool pool(c);
  std::atomic<int> stage{0};
  std::thread worker([&] {
    { std::vector<PooledBuffer> held; for (int i = 0; i < 4; ++i) held.push_back(pool.acquire(1000)); }
    stage = 1;
    while (stage.load() != 2) std::this_thread::yield();
    for (int i = 0; i < 5000; ++i) pool.withBuffer(64, AllocationZone::Heap, [](PlatformBuffer&) {});
    stage = 3;
    while (stage.load() != 4) std::this_thread::yield();
  });
  while (stage.load() != 1) std::this_thread::yield();
  EXPECT_EQ(pool.stats().pooledNow, 4u);
  pool.trim();  // the worker's cache is trimmed at its next idle-policy check
  stage = 2;
  while (stage.load() != 3) std::this_thread::yield();
  EXPECT_EQ(pool.stats().zone(AllocationZone::Heap).classes[pool.classes(AllocationZone::Heap).classIndex(1000)].idle, 0u);
  stage = 4;
  worker.join();
}

TEST(PoolThreads, MultiThreadedPoolDestroyedWithLeaseOnAnotherThread) {
  ZB_REQUIRE_THREADS();
  int reported = 0;
  PoolConfig c = mtConfig();
  c.onOutstandingLeases = [&](const OutstandingLeases& r) { reported = static_cast<int>(r.leases.size()); };
  auto pool = std::make_unique<BufferPool>(c);
  PooledBuffer lease = pool->acquire(100);
  pool.reset();
  EXPECT_EQ(reported, 1);
  std::thread([l = std::move(lease)]() mutable { l->writeInt(3); l.release(); }).join();
}

TEST(PoolThreads, NestedWithBufferOnSeveralThreads) {
  ZB_REQUIRE_THREADS();
  BufferPool pool(mtConfig());
  auto work = [&](int seed) {
    for (int i = 0; i < 2000; ++i) {
      pool.withBuffer(1024, AllocationZone::Heap, [&](PlatformBuffer& outer) {
        outer.writeInt(seed * 100000 + i);
        pool.withBuffer(1024 + (i % 3) * 300, AllocationZone::Heap, [&](PlatformBuffer& inner) {
          inner.writeInt(-i);
          EXPECT_EQ(inner.getInt(0), -i);
        });
        EXPECT_EQ(outer.getInt(0), seed * 100000 + i);
      });
    }
  };
  std::thread t1(work, 1), t2(work, 2);
  t1.join();
  t2.join();
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.acquisitions, 8000u);
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_EQ(s.acquisitions, s.hits + s.misses + s.oversize);
}

}  // namespace
}  // namespace zonebuf
