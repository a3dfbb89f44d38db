// The pool's trace recorder: what a traced pool writes (acquisitions with the
// requested size, releases with lifetimes, threads, oversize requests), the
// sampling rate, that tracing changes no pool behaviour, and the `trace`
// config key's errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "zonebuf/pool/pool_trace.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

using Kind = TraceRecord::Kind;

std::string tracePath(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("zonebuf_") + name + ".trace")).string();
}

PoolConfig traced(const std::string& path, std::uint32_t every, ThreadingMode mode = ThreadingMode::SingleThreaded) {
  PoolConfig c;
  c.threading = mode;
  c.trace.path = path;
  c.trace.sampleEvery = every;
  return c;
}

TEST(TraceRecorder, RecordsEveryAcquisitionAndReleaseAtSampleEveryOne) {
  const std::string path = tracePath("recorder_all");
  {
    BufferPool pool(traced(path, 1));
    pool.withBuffer(100, AllocationZone::Heap, [](PlatformBuffer& b) { b.writeInt(1); });
    PooledBuffer a = pool.acquire(5000, AllocationZone::Direct);
    PooledBuffer b = pool.acquire(200000, AllocationZone::Heap);  // oversize
    a.release();
    b.release();
    pool.withBuffer(100, AllocationZone::Heap, [](PlatformBuffer&) {});  // the traced node came back: a hit
    EXPECT_EQ(pool.stats().hits, 1u);
  }
  const TraceFile t = readTrace(path);
  EXPECT_EQ(t.sampleEvery, 1u);
  EXPECT_EQ(t.threadCount, 1u);
  const std::vector<TraceRecord> want = {
      {Kind::Acquire, AllocationZone::Heap, 0, 0, 100},    {Kind::Release, AllocationZone::Heap, 0, 0, 0},
      {Kind::Acquire, AllocationZone::Direct, 0, 1, 5000}, {Kind::Acquire, AllocationZone::Heap, 0, 2, 200000},
      {Kind::Release, AllocationZone::Direct, 0, 1, 1},    {Kind::Release, AllocationZone::Heap, 0, 2, 0},
      {Kind::Acquire, AllocationZone::Heap, 0, 3, 100},    {Kind::Release, AllocationZone::Heap, 0, 3, 0}};
  EXPECT_EQ(t.records, want);
  std::filesystem::remove(path);
}

TEST(TraceRecorder, SamplesOneInSampleEvery) {
  const std::string path = tracePath("recorder_sampled");
  {
    BufferPool pool(traced(path, 8));
    for (int i = 0; i < 800; ++i) pool.withBuffer(1000, AllocationZone::Heap, [](PlatformBuffer&) {});
    for (int i = 0; i < 80; ++i) pool.withBuffer(300000, AllocationZone::Heap, [](PlatformBuffer&) {});
  }
  const TraceFile t = readTrace(path);
  std::size_t acquires = 0, releases = 0, oversize = 0;
  for (const auto& r : t.records) {
    acquires += r.kind == Kind::Acquire;
    releases += r.kind == Kind::Release;
    oversize += r.kind == Kind::Acquire && r.value == 300000;
  }
  EXPECT_EQ(acquires, 110u);
  EXPECT_EQ(releases, 110u);
  EXPECT_EQ(oversize, 10u);
  std::filesystem::remove(path);
}

TEST(TraceRecorder, TracingChangesNoPoolBehaviour) {
  const std::string path = tracePath("recorder_same");
  BufferPool plain;
  BufferPool tracedPool(traced(path, 1));
  for (BufferPool* pool : {&plain, &tracedPool}) {
    std::vector<PooledBuffer> held;
    for (int i = 0; i < 50; ++i) held.push_back(pool->acquire(64u * static_cast<unsigned>(1 + i % 7)));
    held.clear();
    for (int i = 0; i < 50; ++i) pool->withBuffer(64u * static_cast<unsigned>(1 + i % 5), AllocationZone::Heap, [](PlatformBuffer&) {});
  }
  const PoolStats a = plain.stats(), b = tracedPool.stats();
  EXPECT_EQ(a.acquisitions, b.acquisitions);
  EXPECT_EQ(a.hits, b.hits);
  EXPECT_EQ(a.misses, b.misses);
  EXPECT_EQ(a.pooledNow, b.pooledNow);
  EXPECT_EQ(a.retainedBytes, b.retainedBytes);
  EXPECT_EQ(b.outstandingLeases, 0u);
}

TEST(TraceRecorder, NamesEachThread) {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  GTEST_SKIP() << "this WebAssembly build has no threads (use the wasm-threads preset)";
#endif
  const std::string path = tracePath("recorder_threads");
  {
    BufferPool pool(traced(path, 1, ThreadingMode::MultiThreaded));
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&pool] {
        for (int i = 0; i < 20; ++i) pool.withBuffer(512, AllocationZone::Heap, [](PlatformBuffer&) {});
      });
    }
    for (auto& t : threads) t.join();
  }
  const TraceFile t = readTrace(path);
  EXPECT_EQ(t.threadCount, 2u);
  std::size_t perThread[2] = {0, 0};
  for (const auto& r : t.records) perThread[r.thread] += r.kind == Kind::Acquire;
  EXPECT_EQ(perThread[0], 20u);
  EXPECT_EQ(perThread[1], 20u);
  std::filesystem::remove(path);
}

TEST(TraceRecorder, ALeaseOutlivingThePoolStaysUnreleasedInAValidFile) {
  const std::string path = tracePath("recorder_orphan");
  PooledBuffer lease;
  {
    PoolConfig c = traced(path, 1);
    c.onOutstandingLeases = [](const OutstandingLeases&) {};
    BufferPool pool(c);
    lease = pool.acquire(100);
  }
  lease.release();
  const TraceFile t = readTrace(path);
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_EQ(t.records[0].kind, Kind::Acquire);
  std::filesystem::remove(path);
}

void expectConfigError(const std::string& json, const std::string& what) {
  try {
    (void)PoolConfig::fromJson(json);
    FAIL() << "no throw for " << json;
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(TraceConfig, JsonKeyRoundTripsAndIsValidated) {
  const PoolConfig c = PoolConfig::fromJson(R"({"trace": {"path": "/tmp/x.trace", "sampleEvery": 64}})");
  EXPECT_EQ(c.trace.path, "/tmp/x.trace");
  EXPECT_EQ(c.trace.sampleEvery, 64u);
  EXPECT_EQ(PoolConfig::fromJson(c.toJson()).trace, c.trace);
  EXPECT_EQ(PoolConfig::fromJson(R"({"trace": {"path": "a"}})").trace.sampleEvery, TraceConfig::kDefaultSampleEvery);
  EXPECT_FALSE(PoolConfig{}.trace.enabled());
  EXPECT_EQ(PoolConfig::fromJson(PoolConfig{}.toJson()).trace, TraceConfig{});

  expectConfigError(R"({"trace": "x.trace"})", "PoolConfig field 'trace' has invalid value \"x.trace\": must be an object");
  expectConfigError(R"({"trace": {}})", "PoolConfig field 'trace' has invalid value {}: needs a \"path\"");
  expectConfigError(R"({"trace": {"path": ""}})", "field 'trace.path' has invalid value \"\": must be a non-empty string");
  expectConfigError(R"({"trace": {"path": 3}})", "field 'trace.path' has invalid value 3");
  expectConfigError(R"({"trace": {"path": "a", "sampleEvery": 0}})", "field 'trace.sampleEvery' has invalid value 0: must be 1..1048576");
  expectConfigError(R"({"trace": {"path": "a", "sampleEvery": 2000000}})", "field 'trace.sampleEvery' has invalid value 2000000");
  expectConfigError(R"({"trace": {"path": "a", "sampleEvery": -1}})", "field 'trace.sampleEvery' has invalid value -1: must not be negative");
  expectConfigError(R"({"trace": {"path": "a", "every": 2}})", "field 'trace.every' has invalid value 2: is not a known key; known keys here: path, sampleEvery");
}

TEST(TraceConfig, ProgrammaticConfigsAreValidatedAndUnwritablePathsRejected) {
  PoolConfig c = traced(tracePath("never"), 0);
  try {
    BufferPool pool(c);
    FAIL() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'trace.sampleEvery' has invalid value 0"), std::string::npos) << e.what();
  }
  c = traced("/nonexistent-zonebuf-dir/pool.trace", 16);
  try {
    BufferPool pool(c);
    FAIL() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'trace.path' has invalid value \"/nonexistent-zonebuf-dir/pool.trace\": cannot be created"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace zonebuf
