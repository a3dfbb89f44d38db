// SharedMemory natively lives in a memfd: another process can map the bytes.
#include <gtest/gtest.h>

#include <cstring>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/core/platform_buffer.hpp"

#ifndef __EMSCRIPTEN__
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace zonebuf {
namespace {

using SharedMemory = testing::LinearArenaTest;

#ifndef __EMSCRIPTEN__

TEST_F(SharedMemory, AForkedChildWritesThroughTheFdAndTheParentReadsTheSameBytes) {
  auto buffer = PlatformBuffer::allocate(8192, AllocationZone::SharedMemory);
  auto keep = PlatformBuffer::allocate(3 * 4096 + 100, AllocationZone::SharedMemory);  // a later, unaligned block
  std::memset(buffer.data(), 0, buffer.capacity());
  std::memset(keep.data(), 0, keep.capacity());
  const SharedMemoryHandle h = LinearMemoryAllocator::sharedMemoryHandle(keep.data() + 10);
  ASSERT_GE(h.fd, 0);

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The child maps the memfd afresh (as an unrelated process given the fd
    // would) and writes there, not through its inherited copy of the buffer.
    const long page = sysconf(_SC_PAGESIZE);
    const std::size_t start = h.offset / static_cast<std::size_t>(page) * static_cast<std::size_t>(page);
    const std::size_t delta = h.offset - start;
    void* m = mmap(nullptr, delta + 64, PROT_READ | PROT_WRITE, MAP_SHARED, h.fd, static_cast<off_t>(start));
    if (m == MAP_FAILED) _exit(2);
    std::memcpy(static_cast<char*>(m) + delta, "written by the child", 21);
    munmap(m, delta + 64);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_STREQ(reinterpret_cast<const char*>(keep.data() + 10), "written by the child");
}

TEST_F(SharedMemory, OffsetsMatchAddressesWithinTheMapping) {
  auto a = PlatformBuffer::allocate(1000, AllocationZone::SharedMemory);
  auto b = PlatformBuffer::allocate(1000, AllocationZone::SharedMemory);
  const auto ha = LinearMemoryAllocator::sharedMemoryHandle(a.data());
  const auto hb = LinearMemoryAllocator::sharedMemoryHandle(b.data());
  EXPECT_EQ(ha.fd, hb.fd);
  EXPECT_EQ(hb.offset - ha.offset, static_cast<std::size_t>(b.data() - a.data()));
}

TEST_F(SharedMemory, HandleOfANonSharedAddressIsRejected) {
  auto d = PlatformBuffer::allocate(64, AllocationZone::Direct);
  try {
    (void)LinearMemoryAllocator::sharedMemoryHandle(d.data());
    ADD_FAILURE() << "expected InvalidArgumentError";
  } catch (const InvalidArgumentError& e) {
    EXPECT_STREQ(e.what(),
                 "sharedMemoryHandle: the address is not inside the SharedMemory arena; pass a byte of a buffer "
                 "allocated with AllocationZone::SharedMemory");
  }
}

#else

TEST_F(SharedMemory, SharesTheDirectArenaInWebAssembly) {
  auto d = PlatformBuffer::allocate(64, AllocationZone::Direct);
  auto s = PlatformBuffer::allocate(64, AllocationZone::SharedMemory);
  EXPECT_EQ(s.data(), d.data() + 64);  // one arena, one bump pointer
  EXPECT_EQ(s.zone(), AllocationZone::SharedMemory);
  EXPECT_THROW((void)LinearMemoryAllocator::sharedMemoryHandle(s.data()), InvalidArgumentError);
}

#endif

}  // namespace
}  // namespace zonebuf
