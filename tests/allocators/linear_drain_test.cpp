// The linear allocator's failure path: before OutOfMemoryError it asks the
// reclaim registry's sources for their idle memory, gives the calling
// thread's wholly free spans back to the arena (merged with their free
// neighbours) when that makes room, and retries once.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/allocators/detail/reclaim_registry.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf {
namespace linear_drain_test {

using testing::kKiB;
using testing::kMB;

class LinearDrain : public testing::LinearArenaTest {
 protected:
  void SetUp() override {
    LinearArenaTest::SetUp();
    LinearMemoryAllocator::configure(4, 4);  // spans of 64 KiB: four 16 KiB blocks each
  }
};

std::vector<PlatformBuffer> smallBlocks(std::size_t count) {
  std::vector<PlatformBuffer> v;
  for (std::size_t i = 0; i < count; ++i) v.push_back(PlatformBuffer::allocate(16 * kKiB, AllocationZone::Direct));
  return v;
}

TEST_F(LinearDrain, FreedSmallBlocksMergeToServeALargeOne) {
  { std::vector<PlatformBuffer> small = smallBlocks(200); }
  const LinearMemoryStats before = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(before.used, 0u);
  EXPECT_EQ(before.reserved, 4 * kMB);
  PlatformBuffer big = PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct);
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(after.used, 2 * kMB);
  EXPECT_EQ(after.reserved, 4 * kMB);
  EXPECT_EQ(after.chunks, 1u);
  EXPECT_EQ(after.freeListBytes, 0u);  // the freed blocks left the free lists with their spans
  std::vector<PlatformBuffer> again = smallBlocks(100);  // the rest of the arena still serves
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).used, 2 * kMB + 100 * 16 * kKiB);
}

// One live block in every span: no span is free, so nothing moves and the
// error is the plain one.
TEST_F(LinearDrain, AFailedRetryLeavesTheArenaAsItWas) {
  std::vector<PlatformBuffer> small = smallBlocks(200);
  for (std::size_t i = 1; i < small.size(); i += 2) small[i] = PlatformBuffer();
  const LinearMemoryStats before = LinearMemoryAllocator::stats(AllocationZone::Direct);
  try {
    (void)PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct);
    ADD_FAILURE() << "expected OutOfMemoryError";
  } catch (const OutOfMemoryError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("1638400 bytes in use)"), std::string::npos) << m;
    EXPECT_EQ(m.find("drained"), std::string::npos) << m;
  }
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(after.used, before.used);
  EXPECT_EQ(after.carved, before.carved);
  EXPECT_EQ(after.freeListBytes, before.freeListBytes);
  EXPECT_EQ(after.allocations, before.allocations);
  EXPECT_EQ(after.reserved, before.reserved);
}

// A Scope holds span indices: no span leaves its arena while one is live.
TEST_F(LinearDrain, ALiveScopeKeepsItsArenasSpans) {
  LinearMemoryAllocator::Scope scope(AllocationZone::Direct);
  {
    // Released first to last, so they go to the free lists (last to first
    // would rewind the bump pointer over them all, and 2 MiB would fit).
    std::vector<PlatformBuffer> small = smallBlocks(200);
    for (PlatformBuffer& b : small) b = PlatformBuffer();
  }
  EXPECT_THROW((void)PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct), OutOfMemoryError);
}

// A source of idle memory as the pools are one: it frees what it holds.
struct HeldBlocks {
  std::vector<PlatformBuffer> blocks;
  int calls = 0;
  static std::size_t give(void* self, AllocationZone zone, bool ownCall) noexcept {
    auto* h = static_cast<HeldBlocks*>(self);
    h->calls++;
    EXPECT_EQ(zone, AllocationZone::Direct);
    EXPECT_FALSE(ownCall);
    std::size_t bytes = 0;
    for (const PlatformBuffer& b : h->blocks) bytes += b.capacity();
    h->blocks.clear();
    return bytes;
  }
};

TEST_F(LinearDrain, TheRegistryIsAskedBeforeFailing) {
  HeldBlocks held{smallBlocks(200)};
  detail::addReclaimSource(&held, &HeldBlocks::give);
  PlatformBuffer big = PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct);
  detail::removeReclaimSource(&held);
  EXPECT_EQ(held.calls, 1);
  EXPECT_TRUE(held.blocks.empty());
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).used, 2 * kMB);
}

TEST_F(LinearDrain, ARemovedSourceIsNeverAsked) {
  HeldBlocks held{smallBlocks(200)};
  detail::addReclaimSource(&held, &HeldBlocks::give);
  detail::removeReclaimSource(&held);
  EXPECT_THROW((void)PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct), OutOfMemoryError);
  EXPECT_EQ(held.calls, 0);
  held.blocks.clear();
}

TEST_F(LinearDrain, TheMessageSaysWhatWasIdleWhenTheRetryFails) {
  std::vector<PlatformBuffer> kept = smallBlocks(200);
  HeldBlocks held;
  for (std::size_t i = 1; i < kept.size(); i += 2) held.blocks.push_back(std::move(kept[i]));
  detail::addReclaimSource(&held, &HeldBlocks::give);
  try {
    (void)PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct);
    ADD_FAILURE() << "expected OutOfMemoryError";
  } catch (const OutOfMemoryError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("3276800 bytes in use, of which 1638400 idle in 1 pool(s) and drained before failing"),
              std::string::npos) << m;
  }
  detail::removeReclaimSource(&held);
  // The next failure has no drain to describe.
  try {
    (void)PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct);
  } catch (const OutOfMemoryError& e) {
    EXPECT_EQ(std::string(e.what()).find("drained"), std::string::npos) << e.what();
  }
}

}  // namespace linear_drain_test
}  // namespace zonebuf
