// LinearMemoryAllocator::tryExtend: a block grows where it lies when what
// follows it is nobody's (class rounding, the rest of the span at the bump
// top, the chunk's uncarved top), and a refusal changes nothing.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#include <thread>
#endif

namespace zonebuf {
namespace linear_extend_test {

using LinearExtend = testing::LinearArenaTest;
using testing::kKiB;

LinearMemoryStats directStats() { return LinearMemoryAllocator::stats(AllocationZone::Direct); }

// What a refused extension must leave as it was.
std::vector<std::size_t> bookOf(const LinearMemoryStats& s) {
  return {s.used, s.peak, s.carved, s.resident, s.reserved, s.freeListBytes, s.allocations, s.extensions};
}

void expectSameStats(const LinearMemoryStats& now, const LinearMemoryStats& before) {
  EXPECT_EQ(bookOf(now), bookOf(before));
}

TEST_F(LinearExtend, TheBlockAtTheBumpTopGrowsIntoTheRestOfItsSpan) {
  Block b = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  std::memset(b.data, 0x5A, b.size);
  std::byte* const at = b.data;
  const LinearMemoryStats before = directStats();
  ASSERT_TRUE(LinearMemoryAllocator::tryExtend(b, 1000));
  EXPECT_EQ(b.data, at);
  EXPECT_EQ(b.size, 1000u);
  for (std::size_t i = 0; i < 256; ++i) ASSERT_EQ(b.data[i], std::byte{0x5A}) << i;
  std::memset(b.data, 0x11, b.size);  // the new bytes are the caller's (ASan: unpoisoned)
  const LinearMemoryStats after = directStats();
  EXPECT_EQ(after.used, before.used + (1024 - 256));  // reserved sizes: class 1024 from 256
  EXPECT_EQ(after.peak, after.used);
  EXPECT_EQ(after.allocations, before.allocations);
  EXPECT_EQ(after.extensions, before.extensions + 1);
  EXPECT_EQ(after.carved, before.carved);
  // Its release rewinds the bump top over the whole grown block.
  LinearMemoryAllocator::release(b);
  Block again = LinearMemoryAllocator::allocate(1000, AllocationZone::Direct);
  EXPECT_EQ(again.data, at);
  EXPECT_EQ(directStats().freeListBytes, 0u);
  LinearMemoryAllocator::release(again);
}

// A large block's own span, then the current span carved right after it with
// nothing bumped yet: the bump top is where the large block ends, but the
// bytes past it are the current span's, not the large block's to grow into.
TEST_F(LinearExtend, ABlockOfAnotherSpanEndingAtAnEmptyCurrentSpanDoesNotTakeIt) {
  Block large = LinearMemoryAllocator::allocate(100 * kKiB, AllocationZone::Direct);  // its own span
  Block small = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);          // a new span after it
  std::byte* const spanBegin = small.data;
  LinearMemoryAllocator::release(small);  // the bump top is the span's begin again
  const std::size_t largeReserved = directStats().used;
  ASSERT_EQ(spanBegin, large.data + largeReserved) << "the test needs the spans side by side";
  const LinearMemoryStats before = directStats();
  EXPECT_FALSE(LinearMemoryAllocator::tryExtend(large, largeReserved + 64 * kKiB));
  EXPECT_EQ(large.size, 100 * kKiB);
  expectSameStats(directStats(), before);
  Block next = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);
  EXPECT_EQ(next.data, spanBegin) << "the current span's first block moved";
  LinearMemoryAllocator::release(next);
  LinearMemoryAllocator::release(large);
  EXPECT_EQ(directStats().freeListBytes, largeReserved) << "released into the bump of another span";
}

TEST_F(LinearExtend, GrowingWithinTheClassRoundingTakesNothingMore) {
  Block b = LinearMemoryAllocator::allocate(300, AllocationZone::Direct);  // class 320
  Block after = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);  // not last any more
  const LinearMemoryStats before = directStats();
  ASSERT_TRUE(LinearMemoryAllocator::tryExtend(b, 320));
  EXPECT_EQ(b.size, 320u);
  std::memset(b.data, 1, b.size);
  EXPECT_EQ(directStats().used, before.used);
  EXPECT_EQ(directStats().extensions, before.extensions + 1);
  LinearMemoryAllocator::release(after);
  LinearMemoryAllocator::release(b);
}

TEST_F(LinearExtend, ABlockFollowedByAnotherDoesNotGrowAndNothingChanges) {
  Block b = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  Block next = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  const Block copy = b;
  const LinearMemoryStats before = directStats();
  EXPECT_FALSE(LinearMemoryAllocator::tryExtend(b, 512));
  EXPECT_EQ(b.data, copy.data);
  EXPECT_EQ(b.size, copy.size);
  expectSameStats(directStats(), before);
  LinearMemoryAllocator::release(next);
  // `next` rewound the top: now b is last again.
  EXPECT_TRUE(LinearMemoryAllocator::tryExtend(b, 512));
  LinearMemoryAllocator::release(b);
}

TEST_F(LinearExtend, ABlockBelowAFreeListEntryDoesNotGrow) {
  Block b = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  Block freed = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  Block top = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);
  LinearMemoryAllocator::release(freed);  // onto the free list, right after b
  const LinearMemoryStats before = directStats();
  EXPECT_FALSE(LinearMemoryAllocator::tryExtend(b, 512));
  expectSameStats(directStats(), before);
  LinearMemoryAllocator::release(top);
  LinearMemoryAllocator::release(b);
}

TEST_F(LinearExtend, ABlockWithItsOwnSpanGrowsIntoTheUncarvedChunk) {
  // 16 MB initial: spans of 256 KiB, so a 100 KiB block gets a span of its own,
  // carved last from the chunk.
  Block b = LinearMemoryAllocator::allocate(100 * kKiB, AllocationZone::Direct);
  const LinearMemoryStats before = directStats();
  ASSERT_TRUE(LinearMemoryAllocator::tryExtend(b, 300 * kKiB));
  std::memset(b.data, 7, b.size);
  const LinearMemoryStats after = directStats();
  const std::size_t delta = 320 * kKiB - 112 * kKiB;  // class sizes of 300 and 100 KiB
  EXPECT_EQ(after.used, before.used + delta);
  EXPECT_EQ(after.carved, before.carved + delta);
#ifndef __EMSCRIPTEN__
  EXPECT_EQ(after.resident, before.resident + delta);  // the chunk's untouched tail shrank
#endif
  EXPECT_EQ(after.reserved, before.reserved);
  LinearMemoryAllocator::release(b);
}

TEST_F(LinearExtend, TheCurrentSpanGrowsPastItsEndWhenItIsTheLastCarved) {
  Block b = LinearMemoryAllocator::allocate(64 * kKiB, AllocationZone::Direct);  // in the first 256 KiB span
  const LinearMemoryStats before = directStats();
  ASSERT_TRUE(LinearMemoryAllocator::tryExtend(b, 1024 * kKiB));
  std::memset(b.data, 3, b.size);
  EXPECT_EQ(directStats().carved, before.carved + (1024 - 256) * kKiB);
  Block next = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);  // bumps right after it
  EXPECT_EQ(next.data, b.data + 1024 * kKiB);
  LinearMemoryAllocator::release(next);
  LinearMemoryAllocator::release(b);
}

TEST_F(LinearExtend, NoRoomInTheChunkChangesNothing) {
  LinearMemoryAllocator::configure(1, 1);  // one 1 MiB chunk: spans of 64 KiB
  Block b = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  const LinearMemoryStats before = directStats();
  EXPECT_FALSE(LinearMemoryAllocator::tryExtend(b, 2 * testing::kMB));
  EXPECT_EQ(b.size, 256u);
  expectSameStats(directStats(), before);
  LinearMemoryAllocator::release(b);
}

TEST_F(LinearExtend, SharedMemoryBlocksGrowToo) {
  Block b = LinearMemoryAllocator::allocate(512, AllocationZone::SharedMemory);
  ASSERT_TRUE(LinearMemoryAllocator::tryExtend(b, 4 * kKiB));
  std::memset(b.data, 9, b.size);
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::SharedMemory).extensions, 1u);
  LinearMemoryAllocator::release(b);
}

TEST_F(LinearExtend, AScopeRewindsABlockThatGrewInsideIt) {
  Block outer = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);
  {
    LinearMemoryAllocator::Scope scope(AllocationZone::Direct);
    Block b = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
    Block c = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
    ASSERT_TRUE(LinearMemoryAllocator::tryExtend(c, 4 * kKiB));
    LinearMemoryAllocator::release(b);  // a free-list entry inside the scope
    LinearMemoryAllocator::release(c);
  }
  EXPECT_EQ(directStats().scopeOverruns, 0u);
  EXPECT_EQ(directStats().freeListBytes, 0u);
  Block next = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);
  EXPECT_EQ(next.data, outer.data + 64);  // rewound to the mark
  LinearMemoryAllocator::release(next);
  LinearMemoryAllocator::release(outer);
}

TEST_F(LinearExtend, ABlockGrownPastAScopesMarkIsAnOverrunNotAReuse) {
  Block outer = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  {
    LinearMemoryAllocator::Scope scope(AllocationZone::Direct);
    ASSERT_TRUE(LinearMemoryAllocator::tryExtend(outer, 4 * kKiB));  // into the scope's region
  }
  EXPECT_EQ(directStats().scopeOverruns, 1u) << "the scope would have rewound over a live block";
  Block next = LinearMemoryAllocator::allocate(64, AllocationZone::Direct);
  EXPECT_GE(next.data, outer.data + 4 * kKiB);
  LinearMemoryAllocator::release(next);
  LinearMemoryAllocator::release(outer);
}

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
TEST_F(LinearExtend, OnlyTheOwningThreadGrowsABlock) {
  Block b = LinearMemoryAllocator::allocate(256, AllocationZone::Direct);
  const LinearMemoryStats before = directStats();
  bool grew = true;
  std::thread([&] { grew = LinearMemoryAllocator::tryExtend(b, 512); }).join();
  EXPECT_FALSE(grew);
  EXPECT_EQ(b.size, 256u);
  expectSameStats(directStats(), before);
  EXPECT_TRUE(LinearMemoryAllocator::tryExtend(b, 512));
  LinearMemoryAllocator::release(b);
}
#endif

}  // namespace linear_extend_test
}  // namespace zonebuf
