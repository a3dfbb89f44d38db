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

}  // namespace
}  // namespace zonebuf
