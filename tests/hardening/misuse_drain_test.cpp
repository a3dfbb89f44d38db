// Bad-input rows for drain-before-OutOfMemoryError: each row makes a linear
// allocation that still fails and asserts the error type, the message and
// the world afterwards. A failed call changes nothing except the idle memory
// it had to give back: the drained pool's idle buffers are gone (pooledNow,
// retainedBytes down, trimmedBuffers up by them) and so is their share of the
// arena's `used` (their blocks went to the free lists, or rewound the bump
// pointer when on top); leases, their bytes, every other counter and the
// arena's reservation stay as they were.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "support/pool_drain_support.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace misuse_drain_test {

using testing::BufferSnapshot;
using testing::kDrainBig;
using testing::kDrainBlock;

// 200 leases of 16 KiB taken, every other one released: 100 idle, 100 out,
// and no span of the arena wholly free, so no drain can make room for 2 MiB.
struct DrainWorld {
  BufferPool pool;
  std::vector<PooledBuffer> leases;

  explicit DrainWorld(ThreadingMode mode) : pool(testing::drainPoolConfig(mode)) {
    leases = testing::takeDirectLeases(pool, 200);
    for (std::size_t i = 1; i < leases.size(); i += 2) leases[i].release();
    std::erase_if(leases, [](const PooledBuffer& l) { return !l; });
  }
};

struct DrainSnapshot {
  std::vector<BufferSnapshot> leases;
  std::vector<std::uint64_t> arena, pool;

  static DrainSnapshot of(DrainWorld& w) {
    DrainSnapshot s;
    for (PooledBuffer& l : w.leases) s.leases.push_back(BufferSnapshot::of(*l));
    const LinearMemoryStats a = LinearMemoryAllocator::stats(AllocationZone::Direct);
    const PoolStats p = w.pool.stats();
    s.arena = {a.reserved, a.carved, a.used, a.allocations, a.chunks, a.initialSizeMB, a.maxSizeMB};
    s.pool = {p.acquisitions, p.hits, p.misses, p.oversize, p.pooledNow, p.retainedBytes, p.outstandingLeases,
              p.trimmedBuffers};
    return s;
  }
  // `before` once `buffers` idle buffers of 16 KiB were drained.
  DrainSnapshot drained(std::uint64_t buffers) const {
    DrainSnapshot s = *this;
    s.arena[2] -= buffers * kDrainBlock;
    s.pool[4] -= buffers;
    s.pool[5] -= buffers * kDrainBlock;
    s.pool[7] += buffers;
    return s;
  }
  bool operator==(const DrainSnapshot&) const = default;
};

struct DrainRow {
  const char* name;
  ThreadingMode mode;
  std::function<void(DrainWorld&)> call;
  const char* fragment;
  std::uint64_t drainedBuffers;  // 0: the message must not mention a drain
};

std::vector<DrainRow> drainRows() {
  const char* halfIdle = "3276800 bytes in use, of which 1638400 idle in 1 pool(s) and drained before failing";
  return {
      {"PoolAcquireDrainedStillShort", ThreadingMode::MultiThreaded,
       [](DrainWorld& w) { (void)w.pool.acquire(kDrainBig, AllocationZone::Direct); }, halfIdle, 100},
      {"SingleThreadedPoolOwnMissDrainedStillShort", ThreadingMode::SingleThreaded,
       [](DrainWorld& w) { (void)w.pool.acquire(kDrainBig, AllocationZone::Direct); }, halfIdle, 100},
      {"PoolWithBufferDrainedStillShort", ThreadingMode::MultiThreaded,
       [](DrainWorld& w) { w.pool.withBuffer(kDrainBig, AllocationZone::Direct, [](PlatformBuffer&) {}); }, halfIdle,
       100},
      {"PlainAllocateDrainedStillShort", ThreadingMode::MultiThreaded,
       [](DrainWorld&) { (void)PlatformBuffer::allocate(kDrainBig, AllocationZone::Direct); }, halfIdle, 100},
      {"PlainAllocateCannotDrainASingleThreadedPool", ThreadingMode::SingleThreaded,
       [](DrainWorld&) { (void)PlatformBuffer::allocate(kDrainBig, AllocationZone::Direct); },
       "3276800 bytes in use)", 0},
      {"BeyondTheCeilingDrainsNothing", ThreadingMode::MultiThreaded,
       [](DrainWorld& w) { (void)w.pool.acquire(5 * testing::kMB, AllocationZone::Direct); },
       "at startup with a larger value", 0},
  };
}

using MisuseDrain = testing::DrainArenaTest;

TEST_F(MisuseDrain, EveryRowThrowsOutOfMemoryAndLeavesOnlyTheDrainBehind) {
  for (const DrainRow& row : drainRows()) {
    SCOPED_TRACE(row.name);
    {
      DrainWorld w(row.mode);
      const DrainSnapshot before = DrainSnapshot::of(w);
      std::string message;
      try {
        row.call(w);
        ADD_FAILURE() << "expected OutOfMemoryError";
      } catch (const OutOfMemoryError& e) {
        message = e.what();
        EXPECT_NE(dynamic_cast<const std::bad_alloc*>(&e), nullptr);
      }
      EXPECT_NE(message.find(row.fragment), std::string::npos) << "message '" << message << "' lacks '" << row.fragment << "'";
      EXPECT_NE(message.find("LinearMemoryAllocator::configure("), std::string::npos) << message;
      if (row.drainedBuffers == 0) {
        EXPECT_EQ(message.find("drained"), std::string::npos) << message;
      }
      EXPECT_TRUE(DrainSnapshot::of(w) == before.drained(row.drainedBuffers))
          << "the failed call changed more than the idle memory it drained";
    }
    EXPECT_EQ(LinearMemoryAllocator::stats().used, 0u) << "a failed call leaked a linear block";
    detail::resetLinearArenaForTesting();
    LinearMemoryAllocator::configure(4, 4);
  }
}

}  // namespace misuse_drain_test
}  // namespace zonebuf
