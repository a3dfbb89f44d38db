// Leak detection (PoolConfig::leakDetection, zonebuf/pool/leak_report.hpp):
// each level, the sites and their counts, bytes and ages, the report at
// destruction, thread hand-offs and the config keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::leaktest {

// Known call sites: external linkage, never inlined and (g++) never cloned:
// an -O3 constant-propagated clone is a local symbol dladdr cannot name. The
// suite links with -rdynamic.
#if defined(__GNUC__) && !defined(__clang__)
#define LEAKTEST_CALL_SITE [[gnu::noipa]]
#else
#define LEAKTEST_CALL_SITE ZONEBUF_NOINLINE
#endif
LEAKTEST_CALL_SITE PooledBuffer leakFromKnownFunction(BufferPool& pool, std::size_t size) {
  return pool.acquire(size);
}
LEAKTEST_CALL_SITE PooledBuffer leakFromOtherFunction(BufferPool& pool, std::size_t size) {
  return pool.acquire(size, AllocationZone::Heap, ByteOrder::LittleEndian);
}

namespace {

PoolConfig leakConfig(LeakDetectionLevel level, std::uint32_t every = 1,
                      ThreadingMode mode = ThreadingMode::SingleThreaded) {
  PoolConfig c;
  c.threading = mode;
  c.leakDetection = {level, every};
  c.onOutstandingLeases = [](const OutstandingLeases&) {};
  return c;
}

void churn(BufferPool& pool, int times) {
  for (int i = 0; i < times; ++i) pool.withBuffer(1024, AllocationZone::Heap, [](PlatformBuffer&) {});
}

// The site naming `function`; natively it must exist, under WebAssembly
// every lease is under the one unknown site.
const LeakSite* siteOf(const LeakReport& r, const char* function) {
  for (const LeakSite& s : r.sites) {
#if defined(__EMSCRIPTEN__)
    (void)function;
    if (s.site == LeakSite::kUnknownSite) return &s;
#else
    if (s.site.find(function) != std::string::npos) return &s;
#endif
  }
  return nullptr;
}

}  // namespace

TEST(LeakDetection, DefaultIsSampledOneIn4096) {
  const PoolConfig c;
  EXPECT_EQ(c.leakDetection.level, LeakDetectionLevel::Sampled);
  EXPECT_EQ(c.leakDetection.sampleEvery, 4096u);
  BufferPool pool;
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.leaks.level, LeakDetectionLevel::Sampled);
  EXPECT_EQ(s.leaks.sampleEvery, 4096u);
  EXPECT_TRUE(s.leaks.sites.empty());
}

TEST(LeakDetection, DisabledRecordsNothing) {
  BufferPool pool(leakConfig(LeakDetectionLevel::Disabled));
  PooledBuffer a = leakFromKnownFunction(pool, 1024);
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 1u);
  EXPECT_EQ(s.leaks.level, LeakDetectionLevel::Disabled);
  EXPECT_TRUE(s.leaks.sites.empty());
  EXPECT_EQ(s.leaks.unsampledCount, 0u);
  EXPECT_EQ(s.leaks.unsampledBytes, 0u);
}

TEST(LeakDetection, SampledLeakNamesTheAcquiringFunctionWithExactCountsAndAge) {
  BufferPool pool(leakConfig(LeakDetectionLevel::Sampled, 1));
  std::vector<PooledBuffer> held;
  for (int i = 0; i < 3; ++i) held.push_back(leakFromKnownFunction(pool, 1000));  // class 1024
  held.push_back(leakFromOtherFunction(pool, 4096));
  churn(pool, 5);
  const LeakReport r = pool.stats().leaks;
#if defined(__EMSCRIPTEN__)
  // No stack to capture: one site holds them all, with the same figures.
  ASSERT_EQ(r.sites.size(), 1u) << r.describe();
  EXPECT_EQ(r.sites[0].site, LeakSite::kUnknownSite);
  EXPECT_EQ(r.sites[0].count, 4u);
  EXPECT_EQ(r.sites[0].bytes, 3u * 1024 + 4096);
  EXPECT_EQ(r.sites[0].oldestAgeAcquisitions, 7u);
#else
  ASSERT_EQ(r.sites.size(), 2u) << r.describe();
  const LeakSite* known = siteOf(r, "zonebuf::leaktest::leakFromKnownFunction(zonebuf::BufferPool&, unsigned long)+0x");
  ASSERT_NE(known, nullptr) << r.describe();
  EXPECT_EQ(r.sites[0].site, known->site);  // most leases first
  EXPECT_EQ(known->count, 3u);
  EXPECT_EQ(known->bytes, 3u * 1024);
  // Ages count acquisitions of the lease's class: the first of them was the
  // first of class 1024, two more leases and 5 withBuffer followed.
  EXPECT_EQ(known->oldestAgeAcquisitions, 7u);
  const LeakSite* other = siteOf(r, "leakFromOtherFunction");
  ASSERT_NE(other, nullptr) << r.describe();
  EXPECT_EQ(other->count, 1u);
  EXPECT_EQ(other->bytes, 4096u);
  EXPECT_EQ(other->oldestAgeAcquisitions, 0u);  // nothing else of class 4096
  EXPECT_EQ(other->site.find(" <- "), std::string::npos) << "Sampled records the acquiring function only";
#endif
  EXPECT_EQ(r.sampledCount(), 4u);
  EXPECT_EQ(r.unsampledCount, 0u);
  EXPECT_EQ(r.unsampledBytes, 0u);
}

TEST(LeakDetection, SampledCountsTheLeasesItDidNotSampleAsUnsampled) {
  BufferPool pool(leakConfig(LeakDetectionLevel::Sampled, 4));
  std::vector<PooledBuffer> held;
  for (int i = 0; i < 8; ++i) held.push_back(leakFromKnownFunction(pool, 2048));  // the 4th and 8th are sampled
  held.push_back(pool.acquire(1 << 24));  // oversize, not the 4th of its kind
  const PoolStats s = pool.stats();
  EXPECT_EQ(s.outstandingLeases, 9u);
  EXPECT_EQ(s.leaks.sampleEvery, 4u);
  ASSERT_EQ(s.leaks.sites.size(), 1u) << s.leaks.describe();
  EXPECT_EQ(s.leaks.sites[0].count, 2u);
  EXPECT_EQ(s.leaks.sites[0].bytes, 2u * 2048);
  EXPECT_EQ(s.leaks.sites[0].oldestAgeAcquisitions, 4u);  // the 4th of its class, now 8
  EXPECT_EQ(s.leaks.unsampledCount, 7u);
  EXPECT_EQ(s.leaks.unsampledBytes, 6u * 2048 + (1u << 24));
}

TEST(LeakDetection, ReleasedLeasesLeaveTheReport) {
  BufferPool pool(leakConfig(LeakDetectionLevel::Sampled, 1));
  PooledBuffer a = leakFromKnownFunction(pool, 1024);
  PooledBuffer b = leakFromKnownFunction(pool, 1024);
  PooledBuffer big = leakFromKnownFunction(pool, 1 << 24);
  EXPECT_EQ(pool.stats().leaks.sampledCount(), 3u);
  a.release();
  big.release();
  LeakReport r = pool.stats().leaks;
  ASSERT_EQ(r.sites.size(), 1u) << r.describe();
  EXPECT_EQ(r.sites[0].count, 1u);
  EXPECT_EQ(r.sites[0].bytes, 1024u);
  b.release();
  r = pool.stats().leaks;
  EXPECT_TRUE(r.sites.empty());
  EXPECT_EQ(r.unsampledCount, 0u);
  EXPECT_EQ(r.unsampledBytes, 0u);
  // The nodes went back to the fast release: a reuse is a hit, unrecorded once released.
  churn(pool, 3);
  EXPECT_TRUE(pool.stats().leaks.sites.empty());
}

TEST(LeakDetection, ParanoidRecordsEveryAcquisitionWithItsCallers) {
  BufferPool pool(leakConfig(LeakDetectionLevel::Paranoid, 4096));  // sampleEvery is ignored
  std::vector<PooledBuffer> held;
  for (int i = 0; i < 5; ++i) held.push_back(leakFromKnownFunction(pool, 1024));
  held.push_back(pool.acquire(1 << 24));
  pool.withBuffer(100, AllocationZone::Heap, [&](PlatformBuffer&) {
    EXPECT_EQ(pool.stats().leaks.sampledCount(), 7u);  // the withBuffer lease too
  });
  churn(pool, 3);
  const LeakReport r = pool.stats().leaks;
  EXPECT_EQ(r.level, LeakDetectionLevel::Paranoid);
  EXPECT_EQ(r.sampleEvery, 1u);
  EXPECT_EQ(r.sampledCount(), 6u);
  EXPECT_EQ(r.unsampledCount, 0u);
  EXPECT_EQ(r.unsampledBytes, 0u);
  const LeakSite* known = siteOf(r, "leakFromKnownFunction");
  ASSERT_NE(known, nullptr) << r.describe();
  EXPECT_EQ(known->oldestAgeAcquisitions, 7u);  // the 1st of class 1024; 4 more and 3 withBuffer followed
#if defined(__EMSCRIPTEN__)
  EXPECT_EQ(known->count, 6u);  // the one site holds the oversize lease too
  EXPECT_EQ(known->bytes, 5u * 1024 + (1u << 24));
#else
  EXPECT_EQ(known->count, 5u);
  EXPECT_EQ(known->bytes, 5u * 1024);
  EXPECT_EQ(known->site.rfind("zonebuf::leaktest::leakFromKnownFunction", 0), 0u) << known->site;
  EXPECT_NE(known->site.find(" <- "), std::string::npos) << "Paranoid records the callers too: " << known->site;
#endif
}

TEST(LeakDetection, DestroyedPoolReportsLeaksByCallSite) {
  OutstandingLeases seen;
  PooledBuffer a, b, c;
  {
    PoolConfig config = leakConfig(LeakDetectionLevel::Sampled, 2);
    config.onOutstandingLeases = [&](const OutstandingLeases& r) { seen = r; };
    BufferPool pool(config);
    a = leakFromKnownFunction(pool, 1024);
    b = leakFromKnownFunction(pool, 1024);  // the 2nd: sampled
    c = leakFromKnownFunction(pool, 512);
    churn(pool, 2);
  }
  ASSERT_EQ(seen.leases.size(), 3u);
  const LeakReport& r = seen.leakSites;
  ASSERT_EQ(r.sites.size(), 1u) << r.describe();
  EXPECT_EQ(r.sites[0].count, 1u);
  EXPECT_EQ(r.sites[0].bytes, 1024u);
  EXPECT_EQ(r.sites[0].oldestAgeAcquisitions, 2u);  // the 2nd of class 1024 of 4
  EXPECT_EQ(r.unsampledCount, 2u);
  EXPECT_EQ(r.unsampledBytes, 1024u + 512);
  const std::string text = seen.describe();
  EXPECT_NE(text.find("Leak detection (sampled, 1 in 2): by call site: "), std::string::npos) << text;
  EXPECT_NE(text.find(": 1 lease, 1024 bytes, oldest 2 acquisitions / "), std::string::npos) << text;
  EXPECT_NE(text.find("; 2 unsampled (1536 bytes)."), std::string::npos) << text;
#if !defined(__EMSCRIPTEN__)
  EXPECT_NE(text.find("leakFromKnownFunction"), std::string::npos) << text;
#endif
  // The leases outlive their pool (orphans): releasing them touches no detector.
  a.release();
  b.release();
  c.release();
}

TEST(LeakDetection, DisabledDestructionReportHasNoLeakSection) {
  OutstandingLeases seen;
  PooledBuffer a;
  {
    PoolConfig config = leakConfig(LeakDetectionLevel::Disabled);
    config.onOutstandingLeases = [&](const OutstandingLeases& r) { seen = r; };
    BufferPool pool(config);
    a = pool.acquire(100);
  }
  EXPECT_EQ(seen.describe().find("Leak detection"), std::string::npos) << seen.describe();
}

TEST(LeakDetection, LeasesReleasedOnAnotherThreadLeaveTheReport) {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  GTEST_SKIP() << "needs threads (the wasm-threads build runs it)";
#endif
  BufferPool pool(leakConfig(LeakDetectionLevel::Paranoid, 1, ThreadingMode::MultiThreaded));
  std::vector<PooledBuffer> fromA;
  std::thread a([&] {
    for (int i = 0; i < 64; ++i) fromA.push_back(leakFromKnownFunction(pool, 1024));
  });
  a.join();
  std::thread b([&] {
    for (int i = 0; i < 64; ++i) fromA.push_back(leakFromOtherFunction(pool, 1024));
  });
  b.join();
  LeakReport r = pool.stats().leaks;
  EXPECT_EQ(r.sampledCount(), 128u);
  EXPECT_EQ(r.unsampledCount, 0u);
  std::thread c([&] {
    for (int i = 0; i < 96; ++i) fromA[static_cast<std::size_t>(i)].release();
  });
  std::thread d([&] { churn(pool, 200); });
  c.join();
  d.join();
  r = pool.stats().leaks;
  EXPECT_EQ(r.sampledCount(), 32u) << r.describe();
#if !defined(__EMSCRIPTEN__)
  const LeakSite* other = siteOf(r, "leakFromOtherFunction");
  ASSERT_NE(other, nullptr) << r.describe();
  EXPECT_EQ(other->count, 32u);
  EXPECT_EQ(other->bytes, 32u * 1024);
#endif
}

TEST(LeakDetection, StatsJsonHasTheLeakSection) {
  BufferPool pool(leakConfig(LeakDetectionLevel::Sampled, 1));
  PooledBuffer a = leakFromKnownFunction(pool, 1024);
  const nlohmann::json j = nlohmann::json::parse(pool.stats().toJson());
  const nlohmann::json& leaks = j.at("leaks");
  EXPECT_EQ(leaks.at("level"), "sampled");
  EXPECT_EQ(leaks.at("sampleEvery"), 1);
  ASSERT_EQ(leaks.at("sites").size(), 1u);
  const nlohmann::json& site = leaks.at("sites")[0];
  EXPECT_EQ(site.at("count"), 1);
  EXPECT_EQ(site.at("bytes"), 1024);
  EXPECT_EQ(site.at("oldestAgeAcquisitions"), 0);
  EXPECT_TRUE(site.at("oldestAgeMillis").is_number_unsigned());
#if !defined(__EMSCRIPTEN__)
  EXPECT_NE(site.at("site").get<std::string>().find("leakFromKnownFunction"), std::string::npos);
#endif
  EXPECT_EQ(leaks.at("unsampled").at("count"), 0);
  EXPECT_EQ(leaks.at("unsampled").at("bytes"), 0);
}

TEST(LeakDetection, ConfigJsonRoundTrips) {
  const PoolConfig c = PoolConfig::fromJson(R"({"leakDetection": {"level": "paranoid", "sampleEvery": 64}})");
  EXPECT_EQ(c.leakDetection.level, LeakDetectionLevel::Paranoid);
  EXPECT_EQ(c.leakDetection.sampleEvery, 64u);
  EXPECT_EQ(PoolConfig::fromJson(c.toJson()).leakDetection, c.leakDetection);
  EXPECT_EQ(PoolConfig::fromJson(R"({"leakDetection": {"level": "disabled"}})").leakDetection.sampleEvery,
            LeakDetectionConfig::kDefaultSampleEvery);
  EXPECT_EQ(PoolConfig::fromJson(R"({"leakDetection": {}})").leakDetection, LeakDetectionConfig{});
  EXPECT_EQ(PoolConfig::fromJson(PoolConfig{}.toJson()).leakDetection, LeakDetectionConfig{});
}

}  // namespace zonebuf::leaktest
