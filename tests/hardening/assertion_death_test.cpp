// ZONEBUF_ASSERT fires: a broken precondition aborts with its message in the
// builds that check them (debug, asan and tsan presets: ZONEBUF_ASSERT_LEVEL
// >= 1; level 2 adds the list walks of ZONEBUF_ASSERT_EXPENSIVE). Release
// builds compile the checks away, so there these tests are skipped.
#include <gtest/gtest.h>

#include <cstddef>

#include "zonebuf/allocators/detail/owner_value.hpp"
#include "zonebuf/pool/detail/free_list.hpp"
#include "zonebuf/pool/detail/local_cache.hpp"
#include "zonebuf/pool/size_classes.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf {
namespace {

#if ZONEBUF_ASSERT_LEVEL >= 1 && GTEST_HAS_DEATH_TEST
#define ZB_REQUIRE_ASSERTS() static_cast<void>(0)
#else
#define ZB_REQUIRE_ASSERTS() GTEST_SKIP() << "ZONEBUF_ASSERT is compiled out here (release build, or no death tests)"
#endif

TEST(AssertionDeathTest, ACounterNeverGoesBelowZero) {
  ZB_REQUIRE_ASSERTS();
  detail::OwnerCounter<> bytes;
  bytes.add(64);
  bytes.sub(64);
  EXPECT_EQ(bytes.get(), 0u);
  EXPECT_DEATH(bytes.sub(1), "zonebuf: assertion failed: n <= v: a counter would go below zero");
}

TEST(AssertionDeathTest, ACacheNeverBooksOutMoreThanItHolds) {
  ZB_REQUIRE_ASSERTS();
  detail::LocalCache cache(1);
  cache.gained(1024);
  EXPECT_DEATH(cache.lost(1025), "a cache booked more bytes out than it held");
  cache.lost(1024);  // all it holds: allowed
  EXPECT_EQ(cache.retained(), 0u);
}

TEST(AssertionDeathTest, PushOntoAFullFreeListFires) {
  ZB_REQUIRE_ASSERTS();
  detail::FreeList list;
  list.maxCount = 1;  // room for `hot` only
  detail::PoolNode a, b;
  list.push(&a);
  EXPECT_FALSE(list.hasRoom());
  EXPECT_DEATH(list.push(&b), "FreeList::push needs hasRoom\\(\\)");
  EXPECT_EQ(list.pop(), &a);
}

TEST(AssertionDeathTest, ClassIndexOfAnOversizeRequestFires) {
  ZB_REQUIRE_ASSERTS();
  const SizeClasses classes = SizeClasses::build(SizeClassSpec::generated(64, 1024, 4), "classes");
  EXPECT_EQ(classes.classIndex(1024), classes.count() - 1);
  EXPECT_DEATH((void)classes.classIndex(1025), "classIndex needs n <= maxSize\\(\\)");
}

TEST(AssertionDeathTest, ExpensiveChecksCatchADoubleRelease) {
#if ZONEBUF_ASSERT_LEVEL < 2 || !GTEST_HAS_DEATH_TEST
  GTEST_SKIP() << "ZONEBUF_ASSERT_EXPENSIVE needs ZONEBUF_ASSERT_LEVEL 2 (debug, asan and tsan presets)";
#else
  detail::FreeList list;
  list.maxCount = 8;
  detail::PoolNode a;
  list.push(&a);
  ASSERT_TRUE(list.makeRoom());
  EXPECT_DEATH(list.push(&a), "a pooled buffer was released twice");
  EXPECT_EQ(list.pop(), &a);
#endif
}

}  // namespace
}  // namespace zonebuf
