// Memory back to the system, measured: 64 MB leased through a pool (Direct),
// released and trimmed, leaves the process's resident set (/proc/self/statm)
// natively; the allocator's own `resident` figure moves with it; SharedMemory
// punches its memfd. In WebAssembly memory cannot shrink: the freed space is
// reused instead (memory.size does not grow on a second fill).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/primitives.hpp"
#include "zonebuf/zonebuf.hpp"

#ifndef __EMSCRIPTEN__
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace zonebuf {
namespace linear_resident_test {

using LinearResident = testing::LinearArenaTest;
using testing::kKiB;
using testing::kMB;

constexpr std::size_t kFillBytes = 64 * kMB;

// A pool that keeps every buffer of one class in the Direct zone.
BufferPool residentPool(std::size_t classBytes) {
  PoolConfig c;
  c.classes(SizeClassSpec::explicitSizes({classBytes}));
  c.zone(AllocationZone::Direct).maxPerClass = kFillBytes / classBytes;
  c.maxRetainedBytes = 2 * kFillBytes;
  return BufferPool(c);
}

// Leases `bytes` in buffers of `classBytes` and writes every byte (pages
// count in RSS only once touched).
std::vector<PooledBuffer> fillThrough(BufferPool& pool, std::size_t classBytes, std::size_t bytes = kFillBytes) {
  std::vector<PooledBuffer> leases;
  for (std::size_t i = 0; i < bytes / classBytes; ++i) {
    leases.push_back(pool.acquire(classBytes, AllocationZone::Direct));
    std::memset(leases.back()->data(), 0x5A, classBytes);
  }
  return leases;
}

#ifndef __EMSCRIPTEN__

// RSS pages times the page size, from /proc/self/statm.
std::size_t residentSetBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, rss = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &rss);
  std::fclose(f);
  return n == 2 ? rss * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

TEST_F(LinearResident, PoolTrimGivesMostOfSixtyFourMegabytesBackToTheSystem) {
  BufferPool pool = residentPool(64 * kKiB);
  std::vector<PooledBuffer> leases = fillThrough(pool, 64 * kKiB);
  const std::size_t filled = residentSetBytes();
  leases.clear();  // all idle in the pool: still resident
  EXPECT_EQ(pool.stats().zone(AllocationZone::Direct).retainedBytes, kFillBytes);
  EXPECT_EQ(pool.stats().retainedBytes, kFillBytes);
  const LinearMemoryStats held = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_GE(held.resident, kFillBytes);
  pool.trim();
  const std::size_t trimmed = residentSetBytes();
  const LinearMemoryStats after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(pool.stats().zone(AllocationZone::Direct).retainedBytes, 0u);
  EXPECT_EQ(after.used, 0u);
  ASSERT_GT(filled, 0u) << "/proc/self/statm unreadable";
  std::printf("[ resident ] RSS %zu KiB filled, %zu KiB after trim (%zu KiB returned of %zu KiB); "
              "allocator resident %zu -> %zu KiB, released %zu KiB\n",
              filled / kKiB, trimmed / kKiB, (filled - trimmed) / kKiB, kFillBytes / kKiB, held.resident / kKiB,
              after.resident / kKiB, after.released / kKiB);
  EXPECT_GE(filled - std::min(filled, trimmed), kFillBytes / 4 * 3);
  // What stays: this thread's current span (at most 1 MiB) and page slivers.
  EXPECT_LE(after.resident, 2 * kMB);
  EXPECT_GE(after.released, kFillBytes - 2 * kMB);
}

TEST_F(LinearResident, TheAllocatorsResidentFigureMovesWithRss) {
  const std::size_t start = residentSetBytes();
  const std::size_t startResident = LinearMemoryAllocator::stats().resident;
  std::vector<PlatformBuffer> blocks;
  for (std::size_t i = 0; i < kFillBytes / (256 * kKiB); ++i) {
    blocks.push_back(PlatformBuffer::allocate(256 * kKiB, AllocationZone::Direct));
    std::memset(blocks.back().data(), 0x5A, blocks.back().capacity());
  }
  const std::size_t filled = residentSetBytes();
  const std::size_t filledResident = LinearMemoryAllocator::stats().resident;
  blocks.clear();
  LinearMemoryAllocator::trim();
  const std::size_t trimmed = residentSetBytes();
  const LinearMemoryStats after = LinearMemoryAllocator::stats();
  // Growth and shrinkage agree with RSS to within 4 MB (the pages the test's
  // own bookkeeping and the libraries touch meanwhile). Under a sanitizer the
  // growth does not: touching 64 MB also maps its shadow (1/8 of it under
  // ASan, several times it under TSan), which stays when the pages go back,
  // so there only the shrinkage is compared.
  const auto near = [](std::size_t a, std::size_t b) { return (a > b ? a - b : b - a) <= 4 * kMB; };
#if !defined(ZONEBUF_HAS_ASAN) && !defined(ZONEBUF_HAS_TSAN)
  EXPECT_TRUE(near(filledResident - startResident, filled - start))
      << "allocator +" << (filledResident - startResident) << ", RSS +" << (filled - start);
#else
  EXPECT_GE(filled - start, filledResident - startResident);
#endif
  EXPECT_TRUE(near(filledResident - after.resident, filled - std::min(filled, trimmed)))
      << "allocator -" << (filledResident - after.resident) << ", RSS -" << (filled - trimmed);
  EXPECT_EQ(after.resident + after.released, filledResident);
}

TEST_F(LinearResident, SharedMemoryTrimPunchesThePagesOutOfTheMemfd) {
  auto keep = PlatformBuffer::allocate(64, AllocationZone::SharedMemory);
  std::vector<PlatformBuffer> blocks;
  for (int i = 0; i < 64; ++i) {
    blocks.push_back(PlatformBuffer::allocate(256 * kKiB, AllocationZone::SharedMemory));
    std::memset(blocks.back().data(), 0x5A, blocks.back().capacity());
  }
  const int fd = LinearMemoryAllocator::sharedMemoryHandle(keep.data()).fd;
  struct stat st {};
  ASSERT_EQ(fstat(fd, &st), 0);
  const auto allocated = static_cast<std::size_t>(st.st_blocks) * 512;
  EXPECT_GE(allocated, 16 * kMB);
  blocks.clear();
  LinearMemoryAllocator::trim();
  ASSERT_EQ(fstat(fd, &st), 0);
  const auto after = static_cast<std::size_t>(st.st_blocks) * 512;
  // MADV_DONTNEED would have left the pages in the file; MADV_REMOVE frees them.
  EXPECT_LE(after, 2 * kMB) << "memfd still holds " << after << " of " << allocated << " bytes";
  EXPECT_GE(LinearMemoryAllocator::stats(AllocationZone::SharedMemory).released, 16 * kMB - 2 * kMB);
}

#else

TEST_F(LinearResident, PoolTrimGivesMostOfSixtyFourMegabytesBackToTheSystem) {
  GTEST_SKIP() << "WebAssembly memory cannot shrink; FreedSpaceIsReusedWithoutGrowingMemory covers wasm";
}

#endif

// Both builds: a second fill, in a larger class than the first, reuses the
// given-back space (the arena does not grow); in WebAssembly memory.size
// stays put too. The second fill leaves out 1 MiB: this thread's current span
// stays with it, not given back.
TEST_F(LinearResident, FreedSpaceIsReusedWithoutGrowingMemory) {
  {
    BufferPool small = residentPool(64 * kKiB);
    fillThrough(small, 64 * kKiB);
    small.trim();
  }
  const LinearMemoryStats first = LinearMemoryAllocator::stats(AllocationZone::Direct);
#ifdef __EMSCRIPTEN__
  const std::size_t pages = __builtin_wasm_memory_size(0);
  EXPECT_EQ(first.resident, first.reserved);
  EXPECT_EQ(first.released, 0u);
#endif
  {
    BufferPool large = residentPool(512 * kKiB);
    std::vector<PooledBuffer> leases = fillThrough(large, 512 * kKiB, kFillBytes - kMB);
    EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::Direct).reserved, first.reserved);
#ifdef __EMSCRIPTEN__
    EXPECT_EQ(__builtin_wasm_memory_size(0), pages) << "linear memory grew on the second fill";
    std::printf("[ resident ] wasm memory %zu pages (64 KiB) after 64 MB in 64 KiB leases and trim, %zu after "
                "63 MB in 512 KiB leases\n",
                pages, static_cast<std::size_t>(__builtin_wasm_memory_size(0)));
#endif
  }
}

}  // namespace linear_resident_test
}  // namespace zonebuf
