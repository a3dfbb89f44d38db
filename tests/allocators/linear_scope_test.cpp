#include <gtest/gtest.h>

#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {
namespace {

using LinearScope = testing::LinearArenaTest;

TEST_F(LinearScope, RewindsEverythingAllocatedInside) {
  auto before = PlatformBuffer::allocate(100, AllocationZone::Direct);
  const LinearMemoryStats s0 = LinearMemoryAllocator::stats();
  std::byte* firstInside;
  {
    LinearMemoryAllocator::Scope scope;
    std::vector<PlatformBuffer> v;
    for (int i = 0; i < 1000; ++i) v.push_back(PlatformBuffer::allocate(64u + static_cast<unsigned>(i % 7) * 300u,
                                                                      AllocationZone::Direct));
    firstInside = v.front().data();
    // Release in allocation order: almost all go to free lists, not the bump.
    for (auto& b : v) b = PlatformBuffer();
    EXPECT_GT(LinearMemoryAllocator::stats().freeListBytes, 0u);
  }
  const LinearMemoryStats s1 = LinearMemoryAllocator::stats();
  EXPECT_EQ(s1.freeListBytes, s0.freeListBytes);
  EXPECT_EQ(s1.used, s0.used);
  EXPECT_EQ(s1.carved, s0.carved);
  EXPECT_EQ(s1.scopeOverruns, 0u);
  auto after = PlatformBuffer::allocate(100, AllocationZone::Direct);
  EXPECT_EQ(after.data(), firstInside);  // the bump pointer is back at the mark
}

TEST_F(LinearScope, ReturnsSpansTakenInsideAndNests) {
  const LinearMemoryStats s0 = LinearMemoryAllocator::stats();
  {
    LinearMemoryAllocator::Scope outer;
    auto a = PlatformBuffer::allocate(1000, AllocationZone::Direct);
    {
      LinearMemoryAllocator::Scope inner;
      std::vector<PlatformBuffer> v;
      for (int i = 0; i < 64; ++i) v.push_back(PlatformBuffer::allocate(200000, AllocationZone::Direct));
      EXPECT_GT(LinearMemoryAllocator::stats().carved, s0.carved + 64u * 200000u);
    }
    EXPECT_EQ(LinearMemoryAllocator::stats().used, 1024u);
  }
  const LinearMemoryStats s1 = LinearMemoryAllocator::stats();
  EXPECT_EQ(s1.used, 0u);
  EXPECT_EQ(s1.carved, s0.carved);
  EXPECT_EQ(s1.freeListBytes, 0u);
}

TEST_F(LinearScope, ABufferThatOutlivesItsScopeStaysValidAndNothingIsRewound) {
  PlatformBuffer survivor;
  std::byte* survivorData;
  {
    LinearMemoryAllocator::Scope scope;
    auto temp = PlatformBuffer::allocate(512, AllocationZone::Direct);
    survivor = PlatformBuffer::allocate(512, AllocationZone::Direct);
    survivorData = survivor.data();
    survivor.writeLong(0x0102030405060708);
  }
  EXPECT_EQ(LinearMemoryAllocator::stats().scopeOverruns, 1u);
  // Its memory was not handed out again:
  std::vector<PlatformBuffer> v;
  for (int i = 0; i < 100; ++i) {
    v.push_back(PlatformBuffer::allocate(512, AllocationZone::Direct));
    EXPECT_NE(v.back().data(), survivorData);
    v.back().setLong(0, -1);
  }
  EXPECT_EQ(survivor.getLong(0), 0x0102030405060708);
  v.clear();
  survivor = PlatformBuffer();  // released individually, like any block
  EXPECT_EQ(LinearMemoryAllocator::stats().used, 0u);
}

TEST_F(LinearScope, AnEmptyScopeChangesNothing) {
  const LinearMemoryStats s0 = LinearMemoryAllocator::stats();
  { LinearMemoryAllocator::Scope scope(AllocationZone::SharedMemory); }
  const LinearMemoryStats s1 = LinearMemoryAllocator::stats();
  EXPECT_EQ(s1.carved, s0.carved);
  EXPECT_EQ(s1.scopeOverruns, 0u);
}

}  // namespace
}  // namespace zonebuf
