#include "zonebuf/allocators/detail/size_class.hpp"

#include <gtest/gtest.h>

namespace zonebuf::detail {
namespace {

TEST(SizeClass, EveryClassFitsItsSizesWithAtMostAQuarterWasted) {
  for (std::size_t size = 0; size <= (std::size_t{1} << 20); size += (size < 4096 ? 1 : 61)) {
    const unsigned cls = sizeClassOf(size);
    const std::size_t cs = classSize(cls);
    ASSERT_GE(cs, size);
    ASSERT_EQ(cs % kLinearAlignment, 0u);
    if (size > 256) {
      ASSERT_LE(cs - size, size / 4) << size;
    }
    if (cls > 1) {
      ASSERT_LT(classSize(cls - 1), size == 0 ? 1 : size) << size;  // the smallest class that fits
    }
  }
}

TEST(SizeClass, ClassesAreConsecutiveAndIncreasing) {
  EXPECT_EQ(classSize(1), 64u);
  EXPECT_EQ(classSize(4), 256u);
  EXPECT_EQ(classSize(5), 320u);
  EXPECT_EQ(classSize(12), 1024u);
  for (unsigned c = 1; c + 1 < kClassCount; ++c) ASSERT_LT(classSize(c), classSize(c + 1));
  EXPECT_EQ(sizeClassOf(kMaxClassSize), kClassCount - 1);
}

TEST(SizeClass, LargeClassesKeepConsecutiveBlocksOffFourKiBAliasing) {
  // dst - src of two consecutive same-class blocks is the class size; from 4 KiB
  // up it is a multiple of 1 KiB, never a small distance above a 4 KiB multiple.
  for (unsigned c = sizeClassOf(4096); c < kClassCount; ++c) EXPECT_EQ(classSize(c) % 1024, 0u);
}

TEST(SizeClass, LargestClassWithin) {
  EXPECT_EQ(classSize(largestClassWithin(64)), 64u);
  EXPECT_EQ(classSize(largestClassWithin(576)), 512u);
  EXPECT_EQ(classSize(largestClassWithin(640)), 640u);
}

}  // namespace
}  // namespace zonebuf::detail
