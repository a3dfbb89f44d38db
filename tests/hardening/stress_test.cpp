// Stress with nothing lost.
//  - Two threads x kPoolOps pool operations on one MultiThreaded pool, every
//    lease carrying a checksum of bytes derived from its own seed, leases
//    crossing threads, all three zones: every checksum holds at release and the
//    books balance (acquisitions = acquires = hits + misses + oversize, no
//    lease outstanding, nothing retained after trim, no linear block live).
//  - The linear arena grown to its ceiling and back, three times: the ceiling
//    is reached (OutOfMemoryError, nothing changed), stats return to zero use
//    after release, and the next fill reuses the same memory without growing.
// Sanitizer builds run fewer operations (the count is fixed at compile time)
// so the whole test command stays within its time budget.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/zonebuf.hpp"


namespace zonebuf {
namespace {

#if defined(ZONEBUF_HAS_ASAN) || defined(ZONEBUF_HAS_TSAN)
constexpr std::uint64_t kPoolOps = 100'000;  // per thread; ~10-30x slower per op under ASan/TSan
#else
constexpr std::uint64_t kPoolOps = 1'000'000;  // per thread
#endif

constexpr bool kHasThreads =
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    false;
#else
    true;
#endif

// splitmix64: a per-lease byte stream and the op stream.
std::uint64_t mix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

struct Held {
  PooledBuffer lease;
  std::uint64_t seed = 0;
  std::size_t length = 0;
  std::uint64_t checksum = 0;
};

// Writes `length` bytes from the lease's seed; returns their checksum.
std::uint64_t fill(PlatformBuffer& b, std::uint64_t seed, std::size_t length) {
  std::uint64_t s = seed, sum = 0;
  for (std::size_t i = 0; i + 8 <= length; i += 8) {
    const std::uint64_t v = mix(s);
    b.writeLong(static_cast<std::int64_t>(v));
    sum = sum * 31 + v;
  }
  return sum;
}
std::uint64_t checksumOf(PlatformBuffer& b, std::size_t length) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i + 8 <= length; i += 8) sum = sum * 31 + static_cast<std::uint64_t>(b.getLong(i));
  return sum;
}

struct Exchange {
  std::mutex mutex;
  std::vector<Held> parked;  // leases handed from one thread to the other
};

struct Tally {
  std::uint64_t acquires = 0, releases = 0, badChecksums = 0, crossed = 0;
};

void worker(BufferPool& pool, Exchange& exchange, std::uint64_t seed, Tally& tally) {
  std::uint64_t rng = seed;
  std::array<std::optional<Held>, 8> slots;
  auto releaseSlot = [&](std::optional<Held>& slot) {
    Held& h = *slot;
    if (checksumOf(*h.lease, h.length) != h.checksum) ++tally.badChecksums;
    h.lease.release();
    ++tally.releases;
    slot.reset();
  };
  for (std::uint64_t op = 0; op < kPoolOps; ++op) {
    const std::uint64_t r = mix(rng);
    std::optional<Held>& slot = slots[r & 7];
    if (slot) releaseSlot(slot);
    // Mostly small (the pool's hot path), some up to 16 KiB, a few oversize.
    const std::size_t size = (r >> 8) % 64 == 0 ? 65536 + ((r >> 16) & 1023)
                             : (r >> 8) % 8 == 0 ? (r >> 16) % 16384
                                                 : (r >> 16) % 512;
    const auto zone = static_cast<AllocationZone>((r >> 40) % 3);
    Held h{pool.acquire(size, zone), mix(rng), size / 8 * 8, 0};
    ++tally.acquires;
    h.checksum = fill(*h.lease, h.seed, h.length);
    if ((r >> 48) % 16 == 0) {  // hand it over; maybe take one the other thread parked
      std::lock_guard lock(exchange.mutex);
      exchange.parked.push_back(std::move(h));
      if (exchange.parked.size() > 1) {
        slot = std::move(exchange.parked.front());
        exchange.parked.erase(exchange.parked.begin());
        ++tally.crossed;
      }
    } else {
      slot = std::move(h);
    }
  }
  for (auto& s : slots)
    if (s) releaseSlot(s);
}

TEST(Stress, TwoThreadsMillionPoolOperationsLoseNothing) {
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  config.threadCacheCount = 16;
  config.idleTrimOperations = 4096;  // the idle policy runs during the stress too
  BufferPool pool(config);
  Exchange exchange;
  Tally a, b;
  if (kHasThreads) {
    std::thread ta(worker, std::ref(pool), std::ref(exchange), 1, std::ref(a));
    std::thread tb(worker, std::ref(pool), std::ref(exchange), 2, std::ref(b));
    ta.join();
    tb.join();
  } else {  // single-threaded WebAssembly: the same op streams, one after the other
    worker(pool, exchange, 1, a);
    worker(pool, exchange, 2, b);
  }
  Tally parked;
  for (Held& h : exchange.parked) {
    if (checksumOf(*h.lease, h.length) != h.checksum) ++parked.badChecksums;
    h.lease.release();
    ++parked.releases;
  }
  exchange.parked.clear();

  EXPECT_EQ(a.badChecksums + b.badChecksums + parked.badChecksums, 0u);
  EXPECT_EQ(a.acquires, kPoolOps);
  EXPECT_EQ(b.acquires, kPoolOps);
  EXPECT_EQ(a.releases + b.releases + parked.releases, 2 * kPoolOps) << "a lease was lost";
  if (kHasThreads) {
    EXPECT_GT(a.crossed + b.crossed, 0u);
  }
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.acquisitions, 2 * kPoolOps);
  EXPECT_EQ(s.acquisitions, s.hits + s.misses + s.oversize);
  EXPECT_EQ(s.outstandingLeases, 0u);
  EXPECT_GT(s.hitRate(), 0.5);
  pool.trim();
  EXPECT_EQ(pool.stats().pooledNow, 0u);
  EXPECT_EQ(pool.stats().retainedBytes, 0u);
  EXPECT_EQ(LinearMemoryAllocator::stats().used, 0u) << "a Direct/SharedMemory block was never given back";
}

// ---------------------------------------------------------------------------

using ArenaStress = testing::LinearArenaTest;

constexpr std::size_t kMB = std::size_t{1} << 20;

TEST_F(ArenaStress, GrowsToItsCeilingAndBackThreeTimes) {
  constexpr std::size_t kMaxMB = 8, kBlock = 60 * 1024;  // 60 KiB: a 64 KiB class, dedicated-span sized
  LinearMemoryAllocator::configure(1, kMaxMB);
  std::optional<LinearMemoryStats> firstFull;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    std::vector<PlatformBuffer> held;
    std::uint64_t rng = static_cast<std::uint64_t>(round) + 1;
    for (;;) {
      try {
        held.push_back(PlatformBuffer::allocate(kBlock, AllocationZone::Direct));
      } catch (const OutOfMemoryError& e) {
        EXPECT_NE(std::string(e.what()).find("LinearMemoryAllocator::configure("), std::string::npos);
        break;
      }
      PlatformBuffer& b = held.back();
      b.setLong(0, static_cast<std::int64_t>(held.size()));
      b.setLong(kBlock - 8, static_cast<std::int64_t>(~held.size()));
      ASSERT_LE(held.size(), kMaxMB * kMB / kBlock) << "more blocks than the ceiling can hold";
    }
    const LinearMemoryStats full = LinearMemoryAllocator::stats(AllocationZone::Direct);
    EXPECT_EQ(full.reserved, kMaxMB * kMB) << "the arena stopped short of its ceiling";
    EXPECT_GE(held.size() * 64 * 1024, (kMaxMB - 1) * kMB) << "the ceiling was hit with much of it unused";
    EXPECT_EQ(full.used, held.size() * 64 * 1024);
    if (firstFull) {
      EXPECT_EQ(full.reserved, firstFull->reserved) << "refilling grew the arena";
      EXPECT_EQ(full.chunks, firstFull->chunks);
      EXPECT_GE(full.reuses, held.size() * static_cast<std::size_t>(round)) << "refilling did not reuse";
    } else {
      firstFull = full;
      EXPECT_GT(full.chunks, 1u) << "the arena never grew";
    }
    // Every block kept its bytes; release in a scrambled order.
    for (std::size_t i = 0; i < held.size(); ++i) {
      EXPECT_EQ(held[i].getLong(0), static_cast<std::int64_t>(i + 1));
      EXPECT_EQ(held[i].getLong(kBlock - 8), static_cast<std::int64_t>(~(i + 1)));
    }
    while (!held.empty()) {
      const std::size_t i = static_cast<std::size_t>(mix(rng) % held.size());
      std::swap(held[i], held.back());
      held.pop_back();
    }
    const LinearMemoryStats empty = LinearMemoryAllocator::stats(AllocationZone::Direct);
    EXPECT_EQ(empty.used, 0u);
    EXPECT_EQ(empty.reserved, kMaxMB * kMB);
    EXPECT_LE(empty.freeListBytes, empty.carved);
  }
}

TEST_F(ArenaStress, ScopeGivesAFullArenaBackAtOnce) {
  LinearMemoryAllocator::configure(1, 4);
  const auto fillUp = [] {
    std::vector<PlatformBuffer> held;
    try {
      for (;;) held.push_back(PlatformBuffer::allocate(1000, AllocationZone::Direct));
    } catch (const OutOfMemoryError&) {
    }
    return held.size();
  };
  std::size_t first = 0;
  {
    LinearMemoryAllocator::Scope scope;
    first = fillUp();
  }
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(after.used, 0u);
  EXPECT_EQ(after.carved, 0u) << "the scope kept spans";
  EXPECT_EQ(after.freeListBytes, 0u) << "fragmentation survived the scope";
  EXPECT_EQ(after.scopeOverruns, 0u);
  {
    LinearMemoryAllocator::Scope scope;
    EXPECT_EQ(fillUp(), first) << "the second fill found less room";
  }
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).reserved, 4 * kMB);
}

}  // namespace
}  // namespace zonebuf
