// LinearMemoryAllocator::trim(): which free memory goes back (adjacent free
// blocks in runs of at least kTrimMinBytes, Scope-returned spans, blocks other
// threads released, exited threads' arenas), what stays (short runs, live
// bytes), how the arena reuses it, and the resident/released figures.
// Natively the pages go back; in WebAssembly (memory cannot shrink) trim()
// only coalesces, and the same reuse holds.
#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/core/platform_buffer.hpp"

#ifndef __EMSCRIPTEN__
#include <unistd.h>
#endif

namespace zonebuf {
namespace linear_trim_test {

using LinearTrim = testing::LinearArenaTest;
using testing::kKiB;
using testing::kMB;

#ifdef __EMSCRIPTEN__
constexpr bool kPagesGoBack = false;
std::size_t trimPageBytes() { return 65536; }
#else
constexpr bool kPagesGoBack = true;
std::size_t trimPageBytes() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }
#endif

void expectTrimInvariants(const LinearMemoryStats& s) {
  EXPECT_LE(s.resident + s.released, s.reserved);
  EXPECT_LE(s.used + s.freeListBytes, s.carved);
  EXPECT_LE(s.carved, s.reserved);
  if (!kPagesGoBack) {
    EXPECT_EQ(s.resident, s.reserved);
    EXPECT_EQ(s.released, 0u);
  }
}

// keepLow, n blocks of `each` bytes, keepHigh, all in one 1 MiB span (a 64 MiB
// initial arena); the middle blocks are released, so none rewinds the top.
struct Sandwich {
  PlatformBuffer keepLow, keepHigh;
  std::byte* firstFreed = nullptr;
  Sandwich(std::size_t n, std::size_t each, AllocationZone zone = AllocationZone::Direct) {
    keepLow = PlatformBuffer::allocate(64, zone);
    std::vector<PlatformBuffer> middle;
    for (std::size_t i = 0; i < n; ++i) {
      middle.push_back(PlatformBuffer::allocate(each, zone));
      std::memset(middle.back().data(), 0x5A, each);
    }
    keepHigh = PlatformBuffer::allocate(64, zone);
    std::memset(keepLow.data(), 0x11, 64);
    std::memset(keepHigh.data(), 0x22, 64);
    firstFreed = middle.front().data();
  }
  bool keptIntact() const {
    for (std::size_t i = 0; i < 64; ++i)
      if (keepLow.data()[i] != std::byte{0x11} || keepHigh.data()[i] != std::byte{0x22}) return false;
    return true;
  }
};

TEST_F(LinearTrim, AdjacentFreeBlocksGoBackAsOneRangeAndLiveNeighboursKeepTheirBytes) {
  LinearMemoryAllocator::configure(64, 256);
  Sandwich s(8, 64 * kKiB);
  const LinearMemoryStats before = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(before.freeListBytes, 512 * kKiB);
  EXPECT_EQ(before.released, 0u);
  LinearMemoryAllocator::trim();
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(after.freeListBytes, 0u);
  EXPECT_EQ(after.carved, before.carved - 512 * kKiB);
  EXPECT_EQ(after.used, before.used);
  EXPECT_EQ(after.reserved, before.reserved);
  if (kPagesGoBack) {
    // [keepLow + 64, keepHigh) is 512 KiB starting 64 bytes into a page.
    EXPECT_EQ(after.released, 512 * kKiB - trimPageBytes());
    EXPECT_EQ(after.resident, before.resident - after.released);
  }
  EXPECT_TRUE(s.keptIntact());
  expectTrimInvariants(after);
}

TEST_F(LinearTrim, TheGivenBackRangeServesAnyLargerClassBeforeTheArenaGrows) {
  LinearMemoryAllocator::configure(64, 256);
  Sandwich s(8, 64 * kKiB);
  LinearMemoryAllocator::trim();
  const LinearMemoryStats trimmed = LinearMemoryAllocator::stats(AllocationZone::Direct);
  // 512 KiB is over a quarter of a span: it takes a span of its own, the
  // coalesced range of eight 64 KiB blocks.
  auto big = PlatformBuffer::allocate(512 * kKiB, AllocationZone::Direct);
  EXPECT_EQ(big.data(), s.firstFreed);
  std::memset(big.data(), 0x33, big.capacity());
  const LinearMemoryStats reused = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(reused.released, 0u);
  EXPECT_EQ(reused.resident, trimmed.resident + trimmed.released);
  EXPECT_EQ(reused.reserved, trimmed.reserved);
  EXPECT_EQ(reused.carved, trimmed.carved + 512 * kKiB);
  EXPECT_TRUE(s.keptIntact());
  expectTrimInvariants(reused);
}

TEST_F(LinearTrim, ShortFreeRunsStayOnTheirFreeListsWithoutASyscall) {
  LinearMemoryAllocator::configure(64, 256);
  std::vector<PlatformBuffer> live, freed;
  for (int i = 0; i < 8; ++i) {
    live.push_back(PlatformBuffer::allocate(64, AllocationZone::Direct));
    freed.push_back(PlatformBuffer::allocate(32 * kKiB, AllocationZone::Direct));  // runs of 32 KiB < 64 KiB
  }
  live.push_back(PlatformBuffer::allocate(64, AllocationZone::Direct));
  std::byte* lowest = freed.front().data();
  freed.clear();
  const LinearMemoryStats before = LinearMemoryAllocator::stats(AllocationZone::Direct);
  LinearMemoryAllocator::trim();
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(after.freeListBytes, before.freeListBytes);
  EXPECT_EQ(after.freeListBytes, 8 * 32 * kKiB);
  EXPECT_EQ(after.released, 0u);
  EXPECT_EQ(after.resident, before.resident);
  EXPECT_EQ(after.carved, before.carved);
  auto again = PlatformBuffer::allocate(32 * kKiB, AllocationZone::Direct);
  EXPECT_EQ(LinearMemoryAllocator::stats().reuses, before.reuses + 1);
  EXPECT_GE(again.data(), lowest);
}

TEST_F(LinearTrim, SpansReturnedByAScopeGoBack) {
  LinearMemoryAllocator::configure(16, 256);
  {
    LinearMemoryAllocator::Scope scope;
    std::vector<PlatformBuffer> request;
    for (int i = 0; i < 16; ++i) {
      request.push_back(PlatformBuffer::allocate(256 * kKiB, AllocationZone::Direct));  // own spans
      std::memset(request.back().data(), 1, request.back().capacity());
    }
  }
  const LinearMemoryStats before = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(before.carved, 0u);
  EXPECT_EQ(before.scopeOverruns, 0u);
  LinearMemoryAllocator::trim();
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  if (kPagesGoBack) {
    EXPECT_GE(after.released, 4 * kMB - trimPageBytes());  // one range: 16 adjacent spans
    EXPECT_EQ(after.resident, before.resident - after.released);
  }
  expectTrimInvariants(after);
}

TEST_F(LinearTrim, BothZonesAreTrimmedAndAnUntouchedArenaIsANoOp) {
  LinearMemoryAllocator::trim();  // nothing reserved yet
  EXPECT_EQ(LinearMemoryAllocator::stats().reserved, 0u);
  LinearMemoryAllocator::configure(64, 256);
  Sandwich direct(4, 64 * kKiB, AllocationZone::Direct);
  Sandwich shared(4, 64 * kKiB, AllocationZone::SharedMemory);
  LinearMemoryAllocator::trim();
  const LinearMemoryStats all = LinearMemoryAllocator::stats();
  EXPECT_EQ(all.freeListBytes, 0u);
  if (kPagesGoBack) {
    EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).released, 256 * kKiB - trimPageBytes());
    EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::SharedMemory).released, 256 * kKiB - trimPageBytes());
  }
  EXPECT_TRUE(direct.keptIntact());
  EXPECT_TRUE(shared.keptIntact());
  LinearMemoryAllocator::trim();  // again: nothing more to give, nothing changes
  const LinearMemoryStats twice = LinearMemoryAllocator::stats();
  EXPECT_EQ(twice.released, all.released);
  EXPECT_EQ(twice.resident, all.resident);
  EXPECT_EQ(twice.carved, all.carved);
  expectTrimInvariants(twice);
}

TEST_F(LinearTrim, AScopeAcrossATrimThatTookItsBlocksRewindsNothing) {
  LinearMemoryAllocator::configure(64, 256);
  auto outside = PlatformBuffer::allocate(64, AllocationZone::Direct);
  {
    LinearMemoryAllocator::Scope scope;
    std::vector<PlatformBuffer> inside;
    for (int i = 0; i < 4; ++i) inside.push_back(PlatformBuffer::allocate(64 * kKiB, AllocationZone::Direct));
    auto top = PlatformBuffer::allocate(64, AllocationZone::Direct);
    inside.clear();  // below `top`: onto the free lists
    LinearMemoryAllocator::trim();
  }
  EXPECT_EQ(LinearMemoryAllocator::stats().scopeOverruns, 1u);
  // Nothing handed out twice: the bump continues above the given-back range.
  auto a = PlatformBuffer::allocate(64 * kKiB, AllocationZone::Direct);
  auto b = PlatformBuffer::allocate(128 * kKiB, AllocationZone::Direct);
  EXPECT_GE(a.data(), outside.data() + 64 + 4 * 64 * kKiB);
  EXPECT_GE(b.data(), a.data() + 64 * kKiB);
  expectTrimInvariants(LinearMemoryAllocator::stats());
}

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)

TEST_F(LinearTrim, BlocksReleasedByAnotherThreadGoBackWhenTheOwnerTrims) {
  LinearMemoryAllocator::configure(64, 256);
  auto keepLow = PlatformBuffer::allocate(64, AllocationZone::Direct);
  std::vector<PlatformBuffer> blocks;
  for (int i = 0; i < 8; ++i) blocks.push_back(PlatformBuffer::allocate(64 * kKiB, AllocationZone::Direct));
  auto keepHigh = PlatformBuffer::allocate(64, AllocationZone::Direct);
  std::thread([&] { blocks.clear(); }).join();
  EXPECT_EQ(LinearMemoryAllocator::stats().remoteFrees, 8u);
  LinearMemoryAllocator::trim();
  const LinearMemoryStats s = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(s.freeListBytes, 0u);
  if (kPagesGoBack) {
    EXPECT_EQ(s.released, 512 * kKiB - trimPageBytes());
  }
  expectTrimInvariants(s);
}

TEST_F(LinearTrim, AnExitedThreadsFreeBlocksGoBack) {
  LinearMemoryAllocator::configure(64, 256);
  std::thread([] {
    std::vector<PlatformBuffer> blocks;
    for (int i = 0; i < 8; ++i) blocks.push_back(PlatformBuffer::allocate(64 * kKiB, AllocationZone::Direct));
    // Released first to last (a vector's own order differs between standard
    // libraries): the last one rewinds the top, seven stay free.
    for (PlatformBuffer& b : blocks) b = PlatformBuffer();
  }).join();
  EXPECT_EQ(LinearMemoryAllocator::stats().freeListBytes, 7 * 64 * kKiB);
  LinearMemoryAllocator::trim();
  const LinearMemoryStats s = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(s.freeListBytes, 0u);
  if (kPagesGoBack) {
    EXPECT_GE(s.released, 7 * 64 * kKiB - trimPageBytes());
  }
  expectTrimInvariants(s);
}

#endif

}  // namespace linear_trim_test
}  // namespace zonebuf
