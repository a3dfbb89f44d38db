// Size classes: generated and explicit rounding, the oversize boundary, and
// the generator's validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

TEST(SizeClasses, GeneratorListsEvenlySpacedClassesPerDoubling) {
  const SizeClasses c = SizeClasses::build(SizeClassSpec::generated(64, 512, 4), "classes");
  const std::vector<std::size_t> expected{64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512};
  EXPECT_EQ(c.sizes(), expected);
}

TEST(SizeClasses, GeneratedIndexIsTheSmallestClassThatFits) {
  for (std::size_t per : {1u, 2u, 4u, 8u, 16u}) {
    const SizeClasses c = SizeClasses::build(SizeClassSpec::generated(2 * per, 1 << 20, per), "classes");
    for (std::size_t n = 0; n <= c.maxSize(); n += (n < 4096 ? 1 : 97)) {
      const std::size_t i = c.classIndex(n);
      ASSERT_LT(i, c.count()) << n;
      ASSERT_GE(c.sizeOf(i), n) << "per " << per << " n " << n;
      if (i > 0) {
        ASSERT_LT(c.sizeOf(i - 1), n) << "per " << per << " n " << n;
      }
    }
  }
}

TEST(SizeClasses, ExplicitListRounding) {
  const SizeClasses c = SizeClasses::build(SizeClassSpec::explicitSizes({3, 100, 129, 130, 5000}), "classes");
  EXPECT_EQ(c.classIndex(0), 0u);
  EXPECT_EQ(c.classIndex(3), 0u);
  EXPECT_EQ(c.classIndex(4), 1u);
  EXPECT_EQ(c.classIndex(100), 1u);
  EXPECT_EQ(c.classIndex(101), 2u);
  EXPECT_EQ(c.classIndex(129), 2u);
  EXPECT_EQ(c.classIndex(130), 3u);
  EXPECT_EQ(c.classIndex(131), 4u);
  EXPECT_EQ(c.classIndex(5000), 4u);
  EXPECT_EQ(c.maxSize(), 5000u);
}

// The direct table answers sizes up to kMaxDirect granules; beyond it the
// out-of-line path (scan or arithmetic) takes over. Both must agree with a
// plain linear scan, at every boundary.
std::size_t linearFind(const SizeClasses& c, std::size_t n) {
  for (std::size_t i = 0; i < c.count(); ++i) {
    if (c.sizeOf(i) >= n) return i;
  }
  return SizeClasses::kNone;
}

TEST(SizeClasses, FindAgreesWithALinearScanInsideAndBeyondTheDirectTable) {
  const std::vector<SizeClassSpec> specs{
      SizeClassSpec::explicitSizes({3, 100, 129, 130, 5000}),           // granule 1: table covers 4 KiB
      SizeClassSpec::explicitSizes({64, 4096, 65536, 1u << 20}),        // granule 64: table covers 256 KiB
      SizeClassSpec::explicitSizes({1000, 2000, 3000, 40000, 123456}),  // granule 8 (1000 = 8 * 125)
      SizeClassSpec::explicitSizes({7}),
      SizeClassSpec::generated(64, 64 * 1024, 4),                       // the default: all in the table
      SizeClassSpec::generated(16, 1u << 24, 8),                        // table covers 8 KiB of 16 MiB
  };
  for (const SizeClassSpec& spec : specs) {
    const SizeClasses c = SizeClasses::build(spec, "classes");
    std::vector<std::size_t> probes{0, 1, 2, c.directMaxSize() - 1, c.directMaxSize(), c.directMaxSize() + 1,
                                    c.maxSize() - 1, c.maxSize(), c.maxSize() + 1, c.maxSize() * 2,
                                    static_cast<std::size_t>(-1)};
    for (std::size_t size : c.sizes()) {
      for (std::size_t d : {std::size_t{0}, std::size_t{1}}) {
        probes.push_back(size - d);
        probes.push_back(size + d);
      }
    }
    for (std::size_t n = 0; n <= std::min<std::size_t>(c.maxSize() + 2, 70000); ++n) probes.push_back(n);
    for (std::size_t n : probes) {
      ASSERT_EQ(c.find(n), linearFind(c, n)) << "size " << n << " of classes up to " << c.maxSize();
    }
    EXPECT_LE(c.directMaxSize(), c.maxSize());
  }
}

TEST(SizeClasses, PoolRoundsRequestsUpToTheirClass) {
  BufferPool pool;
  EXPECT_EQ(pool.acquire(0)->capacity(), 64u);
  EXPECT_EQ(pool.acquire(1)->capacity(), 64u);
  EXPECT_EQ(pool.acquire(65)->capacity(), 80u);
  EXPECT_EQ(pool.acquire(1000)->capacity(), 1024u);
  EXPECT_EQ(pool.acquire(1025)->capacity(), 1280u);
  EXPECT_EQ(pool.acquire(65536)->capacity(), 65536u);
  EXPECT_EQ(pool.acquire(65537)->capacity(), 65537u);  // oversize: exact, unpooled
}

struct BadSpec {
  SizeClassSpec spec;
  const char* field;
  const char* value;
};

TEST(SizeClasses, InvalidSpecsNameFieldAndValue) {
  const BadSpec cases[] = {
      {SizeClassSpec::generated(0, 64, 1), "classes.min", "value 0"},
      {SizeClassSpec::generated(48, 64, 1), "classes.min", "value 48"},
      {SizeClassSpec::generated(64, 32, 1), "classes.max", "value 32"},
      {SizeClassSpec::generated(64, 100, 1), "classes.max", "value 100"},
      {SizeClassSpec::generated(64, 128, 3), "classes.perDoubling", "value 3"},
      {SizeClassSpec::generated(4, 128, 8), "classes.perDoubling", "value 8"},
      {SizeClassSpec::generated(64, 128, 64), "classes.perDoubling", "value 64"},
      {SizeClassSpec::generated(64, std::size_t{1} << 31, 1), "classes.max", "value 2147483648"},
      {SizeClassSpec::explicitSizes({64, 64}), "classes[1]", "value 64"},
      {SizeClassSpec::explicitSizes({0}), "classes[0]", "value 0"},
  };
  for (const BadSpec& c : cases) {
    try {
      (void)SizeClasses::build(c.spec, "classes");
      ADD_FAILURE() << "expected InvalidArgumentError for " << c.field;
    } catch (const InvalidArgumentError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(std::string("'") + c.field + "'"), std::string::npos) << m;
      EXPECT_NE(m.find(c.value), std::string::npos) << m;
    }
  }
}

TEST(SizeClasses, PoolConstructorRejectsAnInvalidConfig) {
  PoolConfig config;
  config.zone(AllocationZone::Direct).classes = SizeClassSpec::generated(128, 64, 1);
  try {
    BufferPool pool(config);
    ADD_FAILURE() << "expected InvalidArgumentError";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("zones.Direct.classes.max"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zonebuf
