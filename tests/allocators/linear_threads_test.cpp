// Concurrency: per-thread arenas allocate without locks; a block released on
// another thread goes back to its owner; exited threads' arenas are adopted.
// Runs natively (and under TSan) and in the wasm-threads build.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/core/platform_buffer.hpp"

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define ZONEBUF_HAVE_THREADS 1
#endif

namespace zonebuf {
namespace {

using LinearThreads = testing::LinearArenaTest;

#ifdef ZONEBUF_HAVE_THREADS

TEST_F(LinearThreads, ConcurrentAllocationNeverHandsOutTheSameBytesTwice) {
  for (AllocationZone zone : {AllocationZone::Direct, AllocationZone::SharedMemory}) {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 2000;
    std::vector<std::vector<PlatformBuffer>> perThread(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          auto b = PlatformBuffer::allocate(64u + static_cast<unsigned>((i * 37) % 2000), zone);
          std::memset(b.data(), t + 1, b.capacity());
          perThread[static_cast<std::size_t>(t)].push_back(std::move(b));
          if (i % 3 == 0) perThread[static_cast<std::size_t>(t)].erase(perThread[static_cast<std::size_t>(t)].begin());
        }
      });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t)
      for (const auto& b : perThread[static_cast<std::size_t>(t)])
        for (std::size_t i = 0; i < b.capacity(); ++i)
          ASSERT_EQ(static_cast<int>(b.data()[i]), t + 1) << "bytes of two live buffers overlap";
    // Released here, on the main thread: every block goes back to its (exited) owner.
    perThread.clear();
    EXPECT_EQ(LinearMemoryAllocator::stats(zone).used, 0u);
  }
}

TEST_F(LinearThreads, CrossThreadReleaseIsReusedByTheOwner) {
  std::vector<PlatformBuffer> made;
  for (int i = 0; i < 100; ++i) made.push_back(PlatformBuffer::allocate(1024, AllocationZone::Direct));
  auto keepTop = PlatformBuffer::allocate(64, AllocationZone::Direct);
  std::vector<std::byte*> addresses;
  for (auto& b : made) addresses.push_back(b.data());
  std::thread releaser([&] { made.clear(); });
  releaser.join();
  LinearMemoryStats s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.remoteFrees, 100u);
  EXPECT_EQ(s.used, 64u);  // remotely released bytes count as free at once
  EXPECT_EQ(s.freeListBytes, 100u * 1024u);
  // The owner drains them on its next slow path (when its span runs out) and
  // reuses them before taking a new span.
  std::vector<PlatformBuffer> again;
  std::size_t reused = 0;
  for (int i = 0; i < 1000; ++i) {
    again.push_back(PlatformBuffer::allocate(1024, AllocationZone::Direct));
    for (std::byte* p : addresses) reused += again.back().data() == p;
  }
  EXPECT_EQ(reused, 100u);
  again.clear();
  keepTop = PlatformBuffer();
  EXPECT_EQ(LinearMemoryAllocator::stats().used, 0u);
}

TEST_F(LinearThreads, ThreadChurnAdoptsArenasInsteadOfLeaking) {
  const std::size_t arenasBefore = LinearMemoryAllocator::stats(AllocationZone::Direct).threadArenas;
  for (int round = 0; round < 50; ++round) {
    std::thread t([] {
      std::vector<PlatformBuffer> v;
      for (int i = 0; i < 50; ++i) v.push_back(PlatformBuffer::allocate(4096, AllocationZone::Direct));
    });
    t.join();
  }
  const LinearMemoryStats s = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_LE(s.threadArenas, arenasBefore + 1);  // exited threads' arenas are adopted, not leaked
  EXPECT_EQ(s.used, 0u);
  EXPECT_LE(s.carved, 1u << 20);
}

TEST_F(LinearThreads, BuffersMovedBetweenThreadsWhileBothAllocate) {
  std::mutex m;
  std::vector<PlatformBuffer> mailbox;
  std::atomic<bool> done{false};
  std::thread producer([&] {
    for (int i = 0; i < 5000; ++i) {
      auto b = PlatformBuffer::allocate(256, AllocationZone::SharedMemory);
      b.setInt(0, i);
      std::lock_guard lock(m);
      mailbox.push_back(std::move(b));
    }
    done = true;
  });
  std::size_t consumed = 0;
  while (!done || consumed < 5000) {
    std::vector<PlatformBuffer> got;
    {
      std::lock_guard lock(m);
      got.swap(mailbox);
    }
    for (auto& b : got) {
      auto mine = PlatformBuffer::allocate(256, AllocationZone::SharedMemory);
      mine.setInt(0, b.getInt(0));
      ++consumed;
    }
    if (got.empty()) std::this_thread::yield();
  }
  producer.join();
  EXPECT_EQ(consumed, 5000u);
  EXPECT_EQ(LinearMemoryAllocator::stats(AllocationZone::SharedMemory).used, 0u);
}

TEST_F(LinearThreads, AScopeRewindsWhenItsBlocksWereReleasedOnAnotherThread) {
  const LinearMemoryStats s0 = LinearMemoryAllocator::stats();
  {
    LinearMemoryAllocator::Scope scope;
    std::vector<PlatformBuffer> v;
    for (int i = 0; i < 100; ++i) v.push_back(PlatformBuffer::allocate(3000, AllocationZone::Direct));
    std::thread([&] { v.clear(); }).join();  // remote frees, drained when the scope ends
  }
  const LinearMemoryStats s1 = LinearMemoryAllocator::stats();
  EXPECT_EQ(s1.scopeOverruns, 0u);
  EXPECT_EQ(s1.used, 0u);
  EXPECT_EQ(s1.freeListBytes, s0.freeListBytes);
  EXPECT_EQ(s1.carved, s0.carved);
}

#else

TEST(LinearThreads, SkippedWithoutThreads) { GTEST_SKIP() << "single-threaded WebAssembly build"; }

#endif

}  // namespace
}  // namespace zonebuf
