// Bad-input catalogue rows for leak detection: every invalid
// PoolConfig::leakDetection (JSON and programmatic) is an
// InvalidArgumentError with this exact message, and nothing changes (the
// config being assigned, a live pool's stats and its leak report); a second
// release of a recorded lease is the ordinary empty-lease error and leaves the
// report as it was.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::misuseleaks {

// A pool's observable state: its stats and leak report, less the one
// figure that moves by itself (the milliseconds since each oldest lease).
std::string worldOf(const BufferPool& pool) {
  PoolStats s = pool.stats();
  for (LeakSite& site : s.leaks.sites) site.oldestAgeMillis = 0;
  return s.toJson();
}

struct ConfigRow {
  const char* name;
  const char* json;
  const char* message;
};

const std::vector<ConfigRow>& configRows() {
  static const std::vector<ConfigRow> rows = {
      {"not_an_object", R"({"leakDetection": "sampled"})",
       "PoolConfig field 'leakDetection' has invalid value \"sampled\": must be an object {level, sampleEvery}, not a "
       "string. Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"unknown_level", R"({"leakDetection": {"level": "verbose"}})",
       "PoolConfig field 'leakDetection.level' has invalid value \"verbose\": must be \"disabled\", \"sampled\" or "
       "\"paranoid\". Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"level_wrong_case", R"({"leakDetection": {"level": "Sampled"}})",
       "PoolConfig field 'leakDetection.level' has invalid value \"Sampled\": must be \"disabled\", \"sampled\" or "
       "\"paranoid\". Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"level_wrong_type", R"({"leakDetection": {"level": 2}})",
       "PoolConfig field 'leakDetection.level' has invalid value 2: must be \"disabled\", \"sampled\" or "
       "\"paranoid\". Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"sample_every_zero", R"({"leakDetection": {"sampleEvery": 0}})",
       "PoolConfig field 'leakDetection.sampleEvery' has invalid value 0: must be 1..1048576 (one sampled acquisition "
       "in this many). Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"sample_every_too_large", R"({"leakDetection": {"level": "sampled", "sampleEvery": 1048577}})",
       "PoolConfig field 'leakDetection.sampleEvery' has invalid value 1048577: must be 1..1048576 (one sampled "
       "acquisition in this many). Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"sample_every_negative", R"({"leakDetection": {"sampleEvery": -4}})",
       "PoolConfig field 'leakDetection.sampleEvery' has invalid value -4: must not be negative. Fix this field in "
       "the config (defaults and rules: docs/pool.md)."},
      {"sample_every_wrong_type", R"({"leakDetection": {"sampleEvery": "128"}})",
       "PoolConfig field 'leakDetection.sampleEvery' has invalid value \"128\": must be a non-negative integer, not a "
       "string. Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"unknown_key", R"({"leakDetection": {"level": "sampled", "every": 8}})",
       "PoolConfig field 'leakDetection.every' has invalid value 8: is not a known key; known keys here: level, "
       "sampleEvery. Fix this field in the config (defaults and rules: docs/pool.md)."},
  };
  return rows;
}

class MisuseLeaksConfig : public ::testing::TestWithParam<std::size_t> {};

TEST_P(MisuseLeaksConfig, JsonIsRejectedAndNothingChanges) {
  const ConfigRow& row = configRows()[GetParam()];
  PoolConfig config;
  config.leakDetection = {LeakDetectionLevel::Paranoid, 7};
  const std::string before = config.toJson();
  BufferPool pool(config);
  PooledBuffer held = pool.acquire(1024);
  const std::string worldBefore = worldOf(pool);
  try {
    config = PoolConfig::fromJson(row.json);
    ADD_FAILURE() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(std::string(e.what()), row.message);
  }
  EXPECT_EQ(config.toJson(), before);
  EXPECT_TRUE(worldOf(pool) == worldBefore) << "a rejected config changed the pool";
}

std::string configRowName(const ::testing::TestParamInfo<std::size_t>& row) {
  return std::string(configRows()[row.param].name);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, MisuseLeaksConfig, ::testing::Range<std::size_t>(0, configRows().size()),
                         configRowName);

struct StructRow {
  const char* name;
  LeakDetectionConfig leaks;
  const char* message;
};

TEST(MisuseLeaks, ProgrammaticConfigIsRejectedByTheConstructorAndValidate) {
  const StructRow rows[] = {
      {"level_out_of_range", {static_cast<LeakDetectionLevel>(7), 128},
       "PoolConfig field 'leakDetection.level' has invalid value 7: must be Disabled, Sampled or Paranoid. Fix this "
       "field in the config (defaults and rules: docs/pool.md)."},
      {"sample_every_zero", {LeakDetectionLevel::Sampled, 0},
       "PoolConfig field 'leakDetection.sampleEvery' has invalid value 0: must be 1..1048576 (one sampled acquisition "
       "in this many). Fix this field in the config (defaults and rules: docs/pool.md)."},
      {"sample_every_too_large_even_when_disabled", {LeakDetectionLevel::Disabled, (1u << 20) + 1},
       "PoolConfig field 'leakDetection.sampleEvery' has invalid value 1048577: must be 1..1048576 (one sampled "
       "acquisition in this many). Fix this field in the config (defaults and rules: docs/pool.md)."},
  };
  const std::size_t usedBefore = LinearMemoryAllocator::stats().used;
  for (const StructRow& row : rows) {
    SCOPED_TRACE(row.name);
    PoolConfig config;
    config.leakDetection = row.leaks;
    const PoolConfig copy = config;
    try {
      config.validate();
      ADD_FAILURE() << "validate() did not throw";
    } catch (const InvalidArgumentError& e) {
      EXPECT_EQ(std::string(e.what()), row.message);
    }
    try {
      BufferPool pool(config);
      ADD_FAILURE() << "the constructor did not throw";
    } catch (const InvalidArgumentError& e) {
      EXPECT_EQ(std::string(e.what()), row.message);
    }
    EXPECT_EQ(config.leakDetection, copy.leakDetection);
    EXPECT_EQ(LinearMemoryAllocator::stats().used, usedBefore);
  }
}

TEST(MisuseLeaks, SecondReleaseOfARecordedLeaseThrowsAndKeepsTheReport) {
  PoolConfig config;
  config.leakDetection = {LeakDetectionLevel::Paranoid, 1};
  BufferPool pool(config);
  PooledBuffer kept = pool.acquire(512);
  PooledBuffer lease = pool.acquire(1024);
  lease.release();
  const std::string before = worldOf(pool);
  try {
    lease.release();
    ADD_FAILURE() << "second release did not throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("already released"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(worldOf(pool) == before) << "a second release changed the pool";
  EXPECT_EQ(pool.stats().leaks.sampledCount(), 1u);
}

}  // namespace zonebuf::misuseleaks
