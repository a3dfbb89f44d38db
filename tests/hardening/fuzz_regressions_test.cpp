// Deterministic reproducers of what the fuzzers found (tests/fuzz/), kept so
// the bugs stay fixed in every build, including those without libFuzzer.
// (PoolConfig::fromJson letting nlohmann's out_of_range escape on "1e999" is
// the catalogue row PoolConfigJsonNumberOverflow.)
#include <gtest/gtest.h>

#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

using FuzzRegression = testing::LinearArenaTest;

// linear_allocator_fuzz: releasing blocks from below a Scope's mark inside the
// Scope drops the bump pointer under the mark; the Scope's "bytes handed out
// since the mark" went negative, wrapped, and cancelled exactly against a
// dedicated span allocated inside the Scope. The Scope then saw nothing live,
// rewound, and gave the span of a live buffer back for reuse: the next large
// allocation got the same memory.
TEST_F(FuzzRegression, ScopeNeverRewindsOverALiveBlockAfterTheBumpPointerFellBelowItsMark) {
  // 16 MB initial: 256 KiB spans; an 80 KiB block that does not fit in what
  // is left of the span gets a dedicated span.
  auto pad1 = PlatformBuffer::allocate(64 * 1024, AllocationZone::Direct);
  auto pad2 = PlatformBuffer::allocate(64 * 1024, AllocationZone::Direct);
  auto a = PlatformBuffer::allocate(64 * 1024, AllocationZone::Direct);
  auto b = PlatformBuffer::allocate(16 * 1024, AllocationZone::Direct);
  PlatformBuffer live;  // allocated inside the scope, outlives it
  {
    LinearMemoryAllocator::Scope scope;
    live = PlatformBuffer::allocate(80 * 1024, AllocationZone::Direct);
    b = PlatformBuffer();  // top of the span: the bump pointer rewinds...
    a = PlatformBuffer();  // ...to 80 KiB below the scope's mark
  }
  EXPECT_EQ(LinearMemoryAllocator::stats().scopeOverruns, 1u) << "the scope rewound over a live block";
  std::vector<PlatformBuffer> later;
  for (int i = 0; i < 4; ++i) {
    later.push_back(PlatformBuffer::allocate(80 * 1024, AllocationZone::Direct));
    const std::byte* p = later.back().data();
    EXPECT_FALSE(p < live.data() + live.capacity() && live.data() < p + later.back().capacity())
        << "allocation " << i << " overlaps a live buffer";
  }
}

// linear_allocator_fuzz (tests/fuzz/corpus/linear_allocator/overlap-after-large-release):
// a large block's own span is followed by the current span; with nothing
// bumped there yet, the bump top is where the large block ends, so its release
// "rewound" the bump pointer into the large block's span. The next blocks were
// bumped there while that span still looked wholly free, and the reclaim
// before an OutOfMemoryError handed it out again over a live block.
TEST_F(FuzzRegression, ReleasingALargeBlockBeforeAnEmptyCurrentSpanDoesNotRewindIntoIt) {
  LinearMemoryAllocator::configure(3, 4);  // 64 KiB spans; blocks over 16 KiB get their own
  constexpr auto kZone = AllocationZone::SharedMemory;
  auto large = PlatformBuffer::allocate(1925537, kZone);
  const std::byte* largeBegin = large.data();
  const std::size_t largeReserved = LinearMemoryAllocator::stats(kZone).used;
  auto small = PlatformBuffer::allocate(4453, kZone);  // the first block of a new span, right after
  const std::byte* spanBegin = small.data();
  ASSERT_EQ(spanBegin, largeBegin + largeReserved);
  small = PlatformBuffer();  // the bump top is the span's begin again
  large = PlatformBuffer();  // goes to its class's free list
  EXPECT_EQ(LinearMemoryAllocator::stats(kZone).freeListBytes, largeReserved);

  auto live = PlatformBuffer::allocate(229, kZone);
  EXPECT_EQ(live.data(), spanBegin) << "bumped inside the released large block's span";
  live.fill(0x5A);
  auto second = PlatformBuffer::allocate(1907997, kZone);  // the large block again, from its free list
  auto tail = PlatformBuffer::allocate(157, kZone);
  second = PlatformBuffer();
  // Does not fit the chunk's rest nor the ceiling: reclaims the free span first.
  auto third = PlatformBuffer::allocate(1650084, kZone);
  const std::byte* p = third.data();
  EXPECT_FALSE(p < live.data() + live.capacity() && live.data() < p + third.capacity())
      << "a large allocation overlaps a live block";
  for (std::size_t i = 0; i < live.capacity(); ++i) ASSERT_EQ(live.getByte(i), 0x5A) << i;
}

}  // namespace
}  // namespace zonebuf
