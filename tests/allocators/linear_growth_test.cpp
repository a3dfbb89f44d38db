// The linear arena's growth rules, as stated at the top of
// linear_memory_allocator.hpp: chunks double the arena (within the ceiling),
// a span is 1/64 of the initial size clamped to 64 KiB..1 MiB, and a block
// whose class is over a quarter of a span gets a span of its own.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/allocators/detail/size_class.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf {
namespace {

using LinearGrowth = testing::LinearArenaTest;
using testing::kKiB;
using testing::kMB;

// Blocks released (in reverse) when the test ends.
struct Blocks {
  std::vector<Block> held;
  Block& take(std::size_t size) { return held.emplace_back(LinearMemoryAllocator::allocate(size, AllocationZone::Direct)); }
  ~Blocks() {
    for (auto it = held.rbegin(); it != held.rend(); ++it) LinearMemoryAllocator::release(*it);
  }
};

std::size_t carved() { return LinearMemoryAllocator::stats(AllocationZone::Direct).carved; }
std::size_t reserved() { return LinearMemoryAllocator::stats(AllocationZone::Direct).reserved; }

TEST_F(LinearGrowth, ASpanIsOneSixtyFourthOfTheInitialSize) {
  LinearMemoryAllocator::configure(16, 64);
  Blocks b;
  b.take(64);
  EXPECT_EQ(carved(), 16 * kMB / 64);  // 256 KiB
}

TEST_F(LinearGrowth, ASpanIsAtLeastSixtyFourKiB) {
  LinearMemoryAllocator::configure(1, 4);  // 1 MiB / 64 = 16 KiB, clamped up
  Blocks b;
  b.take(64);
  EXPECT_EQ(carved(), 64 * kKiB);
}

TEST_F(LinearGrowth, ASpanIsAtMostOneMiB) {
  LinearMemoryAllocator::configure(128, 256);  // 2 MiB, clamped down
  Blocks b;
  b.take(64);
  EXPECT_EQ(carved(), kMB);
}

TEST_F(LinearGrowth, ABlockThatFitsTheCurrentSpanIsBumpedWhateverItsSize) {
  LinearMemoryAllocator::configure(16, 64);  // spans of 256 KiB
  Blocks b;
  const Block first = b.take(64);
  const Block big = b.take(200 * kKiB);  // class 224 KiB, over a quarter span, but it fits
  EXPECT_EQ(carved(), 256 * kKiB);
  EXPECT_EQ(big.data, first.data + 64);
}

TEST_F(LinearGrowth, ABlockOverAQuarterSpanThatDoesNotFitGetsItsOwnSpanAndTheCurrentOneStays) {
  LinearMemoryAllocator::configure(16, 64);  // spans of 256 KiB: a quarter is 64 KiB
  Blocks b;
  const Block first = b.take(64);
  b.take(200 * kKiB);  // class 224 KiB: the span has 32 KiB - 64 left
  const std::size_t big = 64 * kKiB + 1;
  b.take(big);
  EXPECT_EQ(carved(), 256 * kKiB + detail::classSize(detail::sizeClassOf(big)));  // exactly its class size
  const Block next = b.take(64);
  EXPECT_EQ(next.data, first.data + 64 + 224 * kKiB);  // still bumping the first span
}

TEST_F(LinearGrowth, ASmallerBlockThatDoesNotFitRetiresTheRestOfTheSpanIntoFreeLists) {
  LinearMemoryAllocator::configure(16, 64);
  Blocks b;
  b.take(64);
  b.take(200 * kKiB);
  const std::size_t rest = 256 * kKiB - 64 - 224 * kKiB;
  b.take(48 * kKiB);  // a quarter span or less: a new span
  const LinearMemoryStats s = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(s.carved, 2 * 256 * kKiB);
  EXPECT_EQ(s.freeListBytes, rest);  // cut into whole class blocks: nothing lost
}

TEST_F(LinearGrowth, EachNewChunkDoublesTheArena) {
  LinearMemoryAllocator::configure(1, 64);
  Blocks b;
  // Spans of 64 KiB, so each 512 KiB block takes a span of its own.
  const std::vector<std::size_t> reservedAfter = {1, 1, 2, 2, 4, 4, 4, 4, 8};
  for (std::size_t i = 0; i < reservedAfter.size(); ++i) {
    b.take(512 * kKiB);
    EXPECT_EQ(reserved(), reservedAfter[i] * kMB) << "after block " << i + 1;
  }
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).chunks, 4u);
}

TEST_F(LinearGrowth, ARequestLargerThanTheDoublingGetsAChunkOfItsSize) {
  LinearMemoryAllocator::configure(1, 64);
  Blocks b;
  b.take(64);
  b.take(3 * kMB);
  EXPECT_EQ(reserved(), 4 * kMB);  // 1 MiB, then a 3 MiB chunk rather than 1 MiB
}

TEST_F(LinearGrowth, TheLastChunkIsCutToTheCeilingAndBeyondItNothingChanges) {
  LinearMemoryAllocator::configure(1, 3);
  Blocks b;
  for (int i = 0; i < 4; ++i) b.take(512 * kKiB);
  EXPECT_EQ(reserved(), 2 * kMB);
  b.take(512 * kKiB);
  EXPECT_EQ(reserved(), 3 * kMB);  // would double to 4 MiB: cut to the 3 MiB ceiling
  b.take(512 * kKiB);
  const LinearMemoryStats before = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_THROW((void)LinearMemoryAllocator::allocate(512 * kKiB, AllocationZone::Direct), OutOfMemoryError);
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(after.reserved, before.reserved);
  EXPECT_EQ(after.carved, before.carved);
  EXPECT_EQ(after.used, before.used);
  EXPECT_EQ(after.chunks, before.chunks);
}

}  // namespace
}  // namespace zonebuf
