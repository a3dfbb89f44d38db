// Rewind, free-list reuse, growth across chunks, stats arithmetic, alignment
// and a flat footprint under an endless mixed-size loop.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/allocators/zone_router.hpp"
#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {
namespace {

using LinearReclaim = testing::LinearArenaTest;
using testing::kMB;

TEST_F(LinearReclaim, BlocksAreSixtyFourByteAlignedAndConsecutive) {
  auto a = PlatformBuffer::allocate(1, AllocationZone::Direct);
  auto b = PlatformBuffer::allocate(100, AllocationZone::Direct);
  auto c = PlatformBuffer::allocate(0, AllocationZone::Direct);
  for (auto* p : {&a, &b, &c}) EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p->data()) % 64, 0u);
  EXPECT_EQ(b.data(), a.data() + 64);
  EXPECT_EQ(c.data(), b.data() + 128);
  EXPECT_EQ(a.zone(), AllocationZone::Direct);
  EXPECT_EQ(a.capacity(), 1u);
}

TEST_F(LinearReclaim, ReleasingTheTopBlockRewindsTheBumpPointer) {
  std::byte* first;
  {
    auto a = PlatformBuffer::allocate(1024, AllocationZone::Direct);
    first = a.data();
  }
  auto again = PlatformBuffer::allocate(1000, AllocationZone::Direct);
  EXPECT_EQ(again.data(), first);
  const LinearMemoryStats s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.freeListBytes, 0u);
  EXPECT_EQ(s.reuses, 0u);
  EXPECT_EQ(s.used, 1024u);
}

TEST_F(LinearReclaim, ABlockBelowTheTopIsReusedBySameClass) {
  auto a = PlatformBuffer::allocate(4096, AllocationZone::Direct);
  auto b = PlatformBuffer::allocate(64, AllocationZone::Direct);
  std::byte* freed = a.data();
  a = PlatformBuffer();  // releases a: not at the top, so it goes to a free list
  LinearMemoryStats s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.freeListBytes, 4096u);
  EXPECT_EQ(s.used, 64u);
  auto other = PlatformBuffer::allocate(2048, AllocationZone::Direct);  // another class: bumps
  EXPECT_NE(other.data(), freed);
  auto same = PlatformBuffer::allocate(4000, AllocationZone::Direct);  // class 4096: reuses
  EXPECT_EQ(same.data(), freed);
  s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.freeListBytes, 0u);
  EXPECT_EQ(s.reuses, 1u);
  EXPECT_EQ(s.allocations, 4u);
  EXPECT_EQ(s.used, 64u + 2048u + 4096u);
  EXPECT_EQ(s.peak, 64u + 2048u + 4096u);
}

TEST_F(LinearReclaim, StatsArithmetic) {
  LinearMemoryStats s0 = LinearMemoryAllocator::stats();
  EXPECT_EQ(s0.used, 0u);
  std::vector<PlatformBuffer> v;
  std::size_t expectUsed = 0;
  for (std::size_t size : {10u, 300u, 1025u, 5000u, 70000u}) {
    v.push_back(PlatformBuffer::allocate(size, AllocationZone::Direct));
    expectUsed += detail::classSize(detail::sizeClassOf(size));
  }
  LinearMemoryStats s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.used, expectUsed);
  EXPECT_EQ(s.peak, expectUsed);
  EXPECT_EQ(s.allocations, 5u);
  EXPECT_GE(s.threadArenas, 1u);
  EXPECT_LE(s.used + s.freeListBytes, s.carved);
  EXPECT_LE(s.carved, s.reserved);
  v.erase(v.begin());  // 10 bytes -> class 64, below the top
  s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.used, expectUsed - 64);
  EXPECT_EQ(s.peak, expectUsed);
  EXPECT_GE(s.freeListBytes, 64u);
  v.clear();
  s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.used, 0u);
  EXPECT_EQ(s.peak, expectUsed);
}

TEST_F(LinearReclaim, GrowsAcrossChunksWithOldBuffersIntact) {
  LinearMemoryAllocator::configure(1, 16);
  std::vector<PlatformBuffer> v;
  for (int i = 0; i < 40; ++i) {
    v.push_back(PlatformBuffer::allocate(256 * 1024, AllocationZone::Direct));
    v.back().setInt(0, i).setInt(256 * 1024 - 4, ~i);
  }
  const LinearMemoryStats s = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_GT(s.chunks, 1u);
  EXPECT_GE(s.reserved, 10 * kMB);
  EXPECT_LE(s.reserved, 16 * kMB);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(v[static_cast<std::size_t>(i)].getInt(0), i);
    EXPECT_EQ(v[static_cast<std::size_t>(i)].getInt(256 * 1024 - 4), ~i);
  }
  // Ceiling reached: the next large request fails, the old ones stay.
  EXPECT_THROW((void)PlatformBuffer::allocate(8 * kMB, AllocationZone::Direct), OutOfMemoryError);
  EXPECT_EQ(v[0].getInt(0), 0);
}

TEST_F(LinearReclaim, MixedSizeLoopKeepsAFlatFootprint) {
  // A ring of 64 live buffers of pseudo-random power-of-two sizes (64 B..64 KiB);
  // each cycle releases the oldest and allocates a new one.
  std::mt19937 rng(12345);
  std::deque<PlatformBuffer> ring;
  auto cycle = [&] {
    if (ring.size() == 64) ring.pop_front();
    ring.push_back(PlatformBuffer::allocate(std::size_t{64} << (rng() % 11), AllocationZone::Direct));
    ring.back().writeByte(1);
  };
  for (int i = 0; i < 20000; ++i) cycle();
  const LinearMemoryStats warm = LinearMemoryAllocator::stats();
  for (int i = 0; i < 1000000; ++i) cycle();
  const LinearMemoryStats end = LinearMemoryAllocator::stats();
  EXPECT_EQ(end.reserved, warm.reserved);
  EXPECT_EQ(end.chunks, warm.chunks);
  EXPECT_LE(end.carved, warm.carved + 2 * kMB);  // at most a few more spans for rare peaks
  EXPECT_LE(end.used, 64u * 64 * 1024);
  EXPECT_GT(end.reuses, 900000u);
  ring.clear();
  const LinearMemoryStats drained = LinearMemoryAllocator::stats();
  EXPECT_EQ(drained.used, 0u);
  EXPECT_EQ(drained.used + drained.freeListBytes <= drained.carved, true);
}

TEST_F(LinearReclaim, DirectAndSharedMemoryAreSeparateZones) {
  auto d = PlatformBuffer::allocate(128, AllocationZone::Direct);
  auto m = PlatformBuffer::allocate(128, AllocationZone::SharedMemory);
  EXPECT_EQ(d.zone(), AllocationZone::Direct);
  EXPECT_EQ(m.zone(), AllocationZone::SharedMemory);
  EXPECT_NE(d.data(), m.data());
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).used +
                LinearMemoryAllocator::stats(AllocationZone::SharedMemory).used,
            LinearMemoryAllocator::stats().used * (detail::kArenaCount == 1 ? 2 : 1));
}

TEST_F(LinearReclaim, ConsecutiveFourKiBBlocksAreNotSixteenBytesApartModuloFourKiB) {
  for (std::size_t size : {4096u, 65536u, 4000u, 5000u}) {
    auto a = PlatformBuffer::allocate(size, AllocationZone::Direct);
    auto b = PlatformBuffer::allocate(size, AllocationZone::Direct);
    const auto d = static_cast<std::size_t>(b.data() - a.data()) % 4096;
    EXPECT_TRUE(d == 0 || d >= 1024) << size << " -> " << d;
  }
}

}  // namespace
}  // namespace zonebuf
