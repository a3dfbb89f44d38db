// Test support for the pool suite: compare a stats snapshot's main counters in
// one call, so a failure prints which counter is off.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

#include "zonebuf/pool/pool_stats.hpp"

namespace zonebuf::testing {

// Pass it with designated initializers: {.acquisitions = 3, .hits = 2, ...}.
struct PoolCounts {
  std::uint64_t acquisitions;
  std::uint64_t hits;
  std::uint64_t misses;
  std::uint64_t pooledNow;
  std::uint64_t outstandingLeases;
};

inline void expectCounts(const PoolStats& s, const PoolCounts& want) {
  EXPECT_EQ(s.acquisitions, want.acquisitions);
  EXPECT_EQ(s.hits, want.hits);
  EXPECT_EQ(s.misses, want.misses);
  EXPECT_EQ(s.pooledNow, want.pooledNow);
  EXPECT_EQ(s.outstandingLeases, want.outstandingLeases);
  EXPECT_EQ(s.acquisitions, s.hits + s.misses + s.oversize);
}

}  // namespace zonebuf::testing
