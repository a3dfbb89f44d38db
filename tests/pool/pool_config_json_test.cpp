// PoolConfig::fromJson / fromFile: a round trip, and every invalid field is an
// InvalidArgumentError naming the field and the value, leaving the caller's
// config untouched.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

TEST(PoolConfigJson, ReadsEveryField) {
  const PoolConfig c = PoolConfig::fromJson(R"({
    "threading": "MultiThreaded",
    "classes": {"min": 32, "max": 4096, "perDoubling": 2},
    "maxPerClass": 10,
    "zones": {"Direct": {"classes": [100, 200, 4000], "maxPerClass": 5}},
    "maxRetainedBytes": 123456,
    "threadCacheCount": 7,
    "threadCacheBytes": 65536,
    "zeroOnRelease": true,
    "idleTrimOperations": 0,
    "idleTrimMillis": 250
  })");
  EXPECT_EQ(c.threading, ThreadingMode::MultiThreaded);
  EXPECT_EQ(c.zone(AllocationZone::Heap).classes, SizeClassSpec::generated(32, 4096, 2));
  EXPECT_EQ(c.zone(AllocationZone::SharedMemory).maxPerClass, 10u);
  EXPECT_EQ(c.zone(AllocationZone::Direct).classes, SizeClassSpec::explicitSizes({100, 200, 4000}));
  EXPECT_EQ(c.zone(AllocationZone::Direct).maxPerClass, 5u);
  EXPECT_EQ(c.maxRetainedBytes, 123456u);
  EXPECT_EQ(c.threadCacheCount, 7u);
  EXPECT_EQ(c.threadCacheBytes, 65536u);
  EXPECT_TRUE(c.zeroOnRelease);
  EXPECT_EQ(c.idleTrimOperations, 0u);
  EXPECT_EQ(c.idleTrimMillis, 250u);
}

TEST(PoolConfigJson, EmptyObjectGivesDefaultsAndToJsonRoundTrips) {
  const PoolConfig d = PoolConfig::fromJson("{}");
  const PoolConfig def;
  EXPECT_EQ(d.zones, def.zones);
  EXPECT_EQ(d.maxRetainedBytes, def.maxRetainedBytes);
  PoolConfig custom = PoolConfig::fromJson(R"({"zones": {"Heap": {"classes": [8, 16]}}, "threading": "MultiThreaded"})");
  const PoolConfig back = PoolConfig::fromJson(custom.toJson());
  EXPECT_EQ(back.zones, custom.zones);
  EXPECT_EQ(back.threading, custom.threading);
}

struct BadJson {
  const char* text;
  const char* field;
  const char* value;
};

TEST(PoolConfigJson, EveryInvalidFieldIsNamedWithItsValue) {
  const BadJson cases[] = {
      {R"({"maxPerClass": "ten"})", "'maxPerClass'", "\"ten\""},
      {R"({"maxPerClass": 0})", "'maxPerClass'", "value 0"},
      {R"({"maxRetainedBytes": -5})", "'maxRetainedBytes'", "-5"},
      {R"({"maxRetainedBytes": 1.5})", "'maxRetainedBytes'", "1.5"},
      {R"({"threadCacheCount": 0})", "'threadCacheCount'", "value 0"},
      {R"({"threadCacheBytes": null})", "'threadCacheBytes'", "null"},
      {R"({"zeroOnRelease": 1})", "'zeroOnRelease'", "value 1"},
      {R"({"threading": "Sometimes"})", "'threading'", "\"Sometimes\""},
      {R"({"idleTrimMillis": -1})", "'idleTrimMillis'", "-1"},
      {R"({"classes": {"min": 128, "max": 64}})", "'classes.max'", "value 64"},
      {R"({"classes": {"min": 64, "max": 128, "perDoubling": 0}})", "'classes.perDoubling'", "value 0"},
      {R"({"classes": {"min": 64, "big": 1}})", "'classes.big'", "value 1"},
      {R"({"classes": []})", "'classes'", "[]"},
      {R"({"classes": [10, 5]})", "'classes[1]'", "value 5"},
      {R"({"classes": "many"})", "'classes'", "\"many\""},
      {R"({"zones": {"Stack": {}}})", "'zones.Stack'", "Stack"},
      {R"({"zones": {"Heap": {"maxPerClass": 0}}})", "'zones.Heap.maxPerClass'", "value 0"},
      {R"({"zones": {"Direct": {"classes": {"min": 256, "max": 128}}}})", "'zones.Direct.classes.max'", "128"},
      {R"({"zones": {"Heap": {"colour": "red"}}})", "'zones.Heap.colour'", "\"red\""},
      {R"({"zones": []})", "'zones'", "[]"},
      {R"({"maxPerClas": 3})", "'maxPerClas'", "value 3"},
      {R"([1, 2])", "'(root)'", "[1,2]"},
  };
  for (const BadJson& c : cases) {
    PoolConfig config;
    config.maxRetainedBytes = 777;
    const PoolConfig before = config;
    try {
      config = PoolConfig::fromJson(c.text);
      ADD_FAILURE() << "expected InvalidArgumentError for " << c.text;
    } catch (const InvalidArgumentError& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find(c.field), std::string::npos) << c.text << " -> " << m;
      EXPECT_NE(m.find(c.value), std::string::npos) << c.text << " -> " << m;
    }
    EXPECT_EQ(config.maxRetainedBytes, before.maxRetainedBytes);
    EXPECT_EQ(config.zones, before.zones);
  }
}

TEST(PoolConfigJson, MalformedJsonIsAnInvalidArgumentError) {
  for (const char* text : {"{", "{\"maxPerClass\": }", "", "{\"a\" 1}"}) {
    try {
      (void)PoolConfig::fromJson(text);
      ADD_FAILURE() << "expected InvalidArgumentError for " << text;
    } catch (const InvalidArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find("malformed"), std::string::npos) << e.what();
    }
  }
}

TEST(PoolConfigJson, FromFileReadsAndReportsErrorsWithThePath) {
  const std::string path = ::testing::TempDir() + "zonebuf_pool_config_test.json";
  {
    std::ofstream out(path);
    out << R"({"maxPerClass": 3, "threading": "MultiThreaded"})";
  }
  const PoolConfig c = PoolConfig::fromFile(path);
  EXPECT_EQ(c.zone(AllocationZone::Heap).maxPerClass, 3u);
  EXPECT_EQ(c.threading, ThreadingMode::MultiThreaded);
  {
    std::ofstream out(path);
    out << R"({"maxPerClass": -3})";
  }
  try {
    (void)PoolConfig::fromFile(path);
    ADD_FAILURE();
  } catch (const InvalidArgumentError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'maxPerClass'"), std::string::npos) << m;
    EXPECT_NE(m.find(path), std::string::npos) << m;
  }
  std::remove(path.c_str());
}

TEST(PoolConfigJson, UnreadableFileNamesThePath) {
  const std::string path = ::testing::TempDir() + "no/such/zonebuf_config.json";
  try {
    (void)PoolConfig::fromFile(path);
    ADD_FAILURE();
  } catch (const InvalidArgumentError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(path), std::string::npos) << m;
    EXPECT_NE(m.find("cannot be read"), std::string::npos) << m;
  }
}

TEST(PoolConfigJson, ProgrammaticZeroCapIsRejected) {
  PoolConfig c;
  c.maxRetainedBytes = 0;
  EXPECT_THROW(c.validate(), InvalidArgumentError);
  EXPECT_THROW(BufferPool{c}, InvalidArgumentError);
}

}  // namespace
}  // namespace zonebuf
