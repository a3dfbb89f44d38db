// Test support for the drain-before-OutOfMemoryError behaviour: a 4 MB
// Direct arena (spans of 64 KiB, four 16 KiB blocks each) and a pool filled
// with idle 16 KiB Direct buffers, as in the probe.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::testing {

inline constexpr std::size_t kDrainBlock = 16 * kKiB;
inline constexpr std::size_t kDrainBig = 2 * kMB;

// Each test configures the arena to 4 MB (initial and ceiling).
class DrainArenaTest : public LinearArenaTest {
 protected:
  void SetUp() override {
    LinearArenaTest::SetUp();
    LinearMemoryAllocator::configure(4, 4);
  }
};

inline PoolConfig drainPoolConfig(ThreadingMode mode) {
  PoolConfig c;
  c.threading = mode;
  return c;
}

// `count` leases of 16 KiB Direct; each buffer holds its index in its first int.
inline std::vector<PooledBuffer> takeDirectLeases(BufferPool& pool, std::size_t count) {
  std::vector<PooledBuffer> leases;
  for (std::size_t i = 0; i < count; ++i) {
    leases.push_back(pool.acquire(kDrainBlock, AllocationZone::Direct));
    leases.back()->setInt(0, static_cast<std::int32_t>(i));
  }
  return leases;
}

// Leaves `count` idle 16 KiB Direct buffers in the pool.
inline void fillIdle(BufferPool& pool, std::size_t count) {
  std::vector<PooledBuffer> leases = takeDirectLeases(pool, count);
  leases.clear();
}

}  // namespace zonebuf::testing
