// Test support: every linear-arena test starts from a fresh, unconfigured
// arena (detail::resetLinearArenaForTesting) and must end with no block
// live, which TearDown checks. Tests in one binary share the process, so this
// is what lets configure() be tested more than once.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>

#include "zonebuf/allocators/detail/linear_test_hooks.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"

namespace zonebuf::testing {

inline constexpr std::size_t kKiB = 1024, kMB = std::size_t{1} << 20;

class LinearArenaTest : public ::testing::Test {
 protected:
  void SetUp() override { detail::resetLinearArenaForTesting(); }
  void TearDown() override {
    EXPECT_EQ(LinearMemoryAllocator::stats().used, 0u) << "a test left a linear block live";
    detail::resetLinearArenaForTesting();
  }
};

}  // namespace zonebuf::testing
