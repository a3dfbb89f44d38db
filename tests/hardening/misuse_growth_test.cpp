// Bad-input rows for GrowableBuffer growth in a linear zone: each row makes a
// growth that can neither extend the block where it lies nor move it, and
// asserts the error type, the message and that nothing changed — the
// buffer (position, limit, capacity, bytes), the GrowableBuffer's counters,
// the pool's statistics and the arena's. Then the refusals of the pool's
// in-place entry point (detail::growLeaseInPlace), which change nothing either.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "support/linear_arena_fixture.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace misuse_growth_test {

using testing::BufferSnapshot;
using testing::kKiB;

// A 1 MiB arena (one chunk, the ceiling) holding a Direct GrowableBuffer of
// 300 KiB (a span of its own, unpooled: above the 64 KiB classes) with 1000
// bytes written.
struct GrowthWorld {
  BufferPool pool;
  GrowableBuffer g;
  PlatformBuffer blocker;  // allocated after g's block when a row wants it not last

  explicit GrowthWorld(ThreadingMode mode, bool blocked) : pool(config(mode)), g(pool, 300 * kKiB, AllocationZone::Direct) {
    std::vector<std::byte> bytes(1000);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i);
    g.write(bytes);
    if (blocked) blocker = PlatformBuffer::allocate(300 * kKiB, AllocationZone::Direct);
  }
  static PoolConfig config(ThreadingMode mode) {
    PoolConfig c;
    c.threading = mode;
    return c;
  }
};

struct GrowthSnapshot {
  BufferSnapshot buffer;
  std::vector<std::uint64_t> growable, arena, pool;

  static GrowthSnapshot of(GrowthWorld& w) {
    const LinearMemoryStats a = LinearMemoryAllocator::stats(AllocationZone::Direct);
    const PoolStats p = w.pool.stats();
    return {BufferSnapshot::of(w.g.buffer()),
            {w.g.size(), w.g.capacity(), w.g.growCount(), w.g.growInPlaceCount(), w.g.bytesMoved()},
            {a.reserved, a.carved, a.resident, a.used, a.peak, a.freeListBytes, a.allocations, a.extensions, a.chunks},
            {p.acquisitions, p.hits, p.misses, p.oversize, p.pooledNow, p.retainedBytes, p.outstandingLeases,
             p.trimmedBuffers}};
  }
  bool operator==(const GrowthSnapshot&) const = default;
};

struct GrowthRow {
  const char* name;
  ThreadingMode mode;
  bool blocked;
  std::size_t n;  // ensureWritable(n)
  std::function<bool(const std::exception&)> isType;
  std::vector<std::string> fragments;
};

std::vector<GrowthRow> growthRows() {
  auto oom = [](const std::exception& e) { return dynamic_cast<const OutOfMemoryError*>(&e) != nullptr; };
  auto invalid = [](const std::exception& e) { return dynamic_cast<const InvalidArgumentError*>(&e) != nullptr; };
  // Wants max(1000 + n, 2 x 300 KiB).
  const std::string fix = "Call LinearMemoryAllocator::configure(initialSizeMB = N";
  return {
      // Another block follows it: no extension; the move needs 640 KiB of the 384 KiB left.
      {"NotLastAndNoRoomToMove", ThreadingMode::SingleThreaded, true, 400 * kKiB, oom,
       {"LinearBuffer allocation of 614400 bytes exceeded the 1MB linear-memory arena", fix}},
      {"NotLastAndNoRoomToMoveMultiThreaded", ThreadingMode::MultiThreaded, true, 400 * kKiB, oom,
       {"LinearBuffer allocation of 614400 bytes exceeded the 1MB linear-memory arena", fix}},
      // Last, but 1.25 MiB does not fit the chunk, nor the arena.
      {"LastButTheChunkIsShort", ThreadingMode::SingleThreaded, false, 1024 * kKiB, oom,
       {"LinearBuffer allocation of 1049576 bytes exceeded the 1MB linear-memory arena", fix}},
      {"BeyondKMaxSize", ThreadingMode::SingleThreaded, false, PlatformBuffer::kMaxSize, invalid,
       {"GrowableBuffer::ensureWritable(", "with 1000 bytes written exceeds PlatformBuffer::kMaxSize"}},
  };
}

class MisuseGrowth : public testing::LinearArenaTest, public ::testing::WithParamInterface<GrowthRow> {
 protected:
  void SetUp() override {
    LinearArenaTest::SetUp();
    LinearMemoryAllocator::configure(1, 1);
  }
};

TEST_P(MisuseGrowth, FailsWithTheTypedErrorAndChangesNothing) {
  const GrowthRow& row = GetParam();
  GrowthWorld w(row.mode, row.blocked);
  const GrowthSnapshot before = GrowthSnapshot::of(w);
  try {
    w.g.ensureWritable(row.n);
    ADD_FAILURE() << "expected an exception, none was thrown";
  } catch (const std::exception& e) {
    EXPECT_TRUE(row.isType(e)) << "wrong exception type, message: " << e.what();
    const std::string message = e.what();
    for (const std::string& f : row.fragments)
      EXPECT_NE(message.find(f), std::string::npos) << "message '" << message << "' lacks '" << f << "'";
  }
  EXPECT_TRUE(GrowthSnapshot::of(w) == before) << "a failed growth changed the world";
  // Still usable: a growth that fits takes place.
  EXPECT_NO_THROW(w.g.ensureWritable(1000));
}

INSTANTIATE_TEST_SUITE_P(Rows, MisuseGrowth, ::testing::ValuesIn(growthRows()),
                         [](const ::testing::TestParamInfo<GrowthRow>& row) { return std::string(row.param.name); });

// detail::growLeaseInPlace's refusals: false, and the lease, its buffer, the
// pool and the arena as they were.
using MisuseGrowLease = testing::LinearArenaTest;

struct LeaseWorld {
  std::vector<std::uint64_t> arena, pool;
  static LeaseWorld of(const BufferPool& p) {
    const LinearMemoryStats a = LinearMemoryAllocator::stats();
    const PoolStats s = p.stats();
    return {{a.carved, a.used, a.allocations, a.extensions},
            {s.acquisitions, s.pooledNow, s.retainedBytes, s.outstandingLeases, s.peakPooled}};
  }
  bool operator==(const LeaseWorld&) const = default;
};

TEST_F(MisuseGrowLease, RefusalsChangeNothing) {
  BufferPool pool;
  PooledBuffer empty;
  EXPECT_FALSE(detail::growLeaseInPlace(empty, 4096));
  EXPECT_FALSE(empty.active());

  PooledBuffer heap = pool.acquire(256, AllocationZone::Heap);
  LeaseWorld before = LeaseWorld::of(pool);
  BufferSnapshot buffer = BufferSnapshot::of(*heap);
  EXPECT_FALSE(detail::growLeaseInPlace(heap, 4096)) << "the Heap zone never grows in place";
  EXPECT_TRUE(BufferSnapshot::of(*heap) == buffer);
  EXPECT_TRUE(LeaseWorld::of(pool) == before);

  PooledBuffer direct = pool.acquire(256, AllocationZone::Direct);
  PlatformBuffer movedOut = std::move(*direct);  // the lease no longer holds its block
  before = LeaseWorld::of(pool);
  EXPECT_FALSE(detail::growLeaseInPlace(direct, 4096));
  EXPECT_EQ(movedOut.capacity(), 256u);
  EXPECT_TRUE(LeaseWorld::of(pool) == before);

  PooledBuffer fits = pool.acquire(256, AllocationZone::Direct);
  before = LeaseWorld::of(pool);
  EXPECT_TRUE(detail::growLeaseInPlace(fits, 200)) << "already large enough: nothing to do";
  EXPECT_EQ(fits->capacity(), 256u);
  EXPECT_TRUE(LeaseWorld::of(pool) == before);
}

TEST_F(MisuseGrowLease, AnOrphanedLeaseDoesNotGrow) {
  PooledBuffer lease;
  {
    PoolConfig c;
    c.onOutstandingLeases = [](const OutstandingLeases&) {};
    BufferPool pool(c);
    lease = pool.acquire(256, AllocationZone::Direct);
  }
  const LinearMemoryStats before = LinearMemoryAllocator::stats();
  EXPECT_FALSE(detail::growLeaseInPlace(lease, 4096)) << "its pool's books are gone";
  EXPECT_EQ(lease->capacity(), 256u);
  EXPECT_EQ(LinearMemoryAllocator::stats().used, before.used);
  EXPECT_EQ(LinearMemoryAllocator::stats().extensions, before.extensions);
}

}  // namespace misuse_growth_test
}  // namespace zonebuf
