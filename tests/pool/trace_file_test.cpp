// Pool trace files: write/read round trip, and every malformed file rejected
// with an InvalidArgumentError that names the byte offset.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "zonebuf/zonebuf.hpp"
#include "zonebuf/pool/pool_trace.hpp"

namespace zonebuf {
namespace {

using Kind = TraceRecord::Kind;

TraceFile sample() {
  TraceFile t;
  t.sampleEvery = 16;
  t.threadCount = 2;
  t.records = {{Kind::Acquire, AllocationZone::Heap, 0, 7, 1000},
               {Kind::Acquire, AllocationZone::Direct, 1, 8, 70000},
               {Kind::Release, AllocationZone::Heap, 1, 7, 32},
               {Kind::Acquire, AllocationZone::SharedMemory, 0, 9, 1}};
  return t;
}

void expectMalformed(const std::string& bytes, std::size_t offset, const std::string& what) {
  try {
    (void)parseTrace(bytes, "t.trace");
    FAIL() << "no throw for " << what;
  } catch (const InvalidArgumentError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("pool trace 't.trace' is malformed at byte offset " + std::to_string(offset) + ":"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
  }
}

TEST(TraceFile, RoundTripsThroughAFile) {
  const auto path = (std::filesystem::temp_directory_path() / "zonebuf_trace_file_test.trace").string();
  writeTrace(path, sample());
  EXPECT_EQ(std::filesystem::file_size(path), TraceFile::kHeaderBytes + 4 * TraceFile::kRecordBytes);
  EXPECT_EQ(readTrace(path), sample());
  std::filesystem::remove(path);
}

TEST(TraceFile, MalformedFilesNameTheOffset) {
  const std::string good = serializeTrace(sample());
  expectMalformed(good.substr(0, 20), 20, "ends inside the 32-byte header");
  std::string s = good;
  s[0] = 'X';
  expectMalformed(s, 0, "no ZBTRACE1 magic");
  s = good;
  s[8] = 2;
  expectMalformed(s, 8, "version 2 is not supported");
  s = good;
  s[12] = 0;
  expectMalformed(s, 12, "sampleEvery is 0");
  s = good;
  s[16] = 0;
  expectMalformed(s, 16, "threadCount 0 is outside 1..65536");
  expectMalformed(good.substr(0, good.size() - 5), 32 + 3 * 16, "ends inside a 16-byte record");
  s = good;
  s[24] = 9;
  expectMalformed(s, 24, "the header counts 9 records but the file holds 4");
  s = good;
  s[32 + 16] = 3;
  expectMalformed(s, 48, "unknown record kind 3");
  s = good;
  s[32 + 1] = 5;
  expectMalformed(s, 33, "unknown zone 5");
  s = good;
  s[32 + 16 + 2] = 2;
  expectMalformed(s, 50, "thread 2 is not below threadCount 2");
  s = good;
  s[32 + 16 + 4] = 7;  // the second acquisition reuses live id 7
  expectMalformed(s, 52, "acquisition id 7 is already live");
  s = good;
  s[32 + 32 + 4] = 5;
  expectMalformed(s, 68, "release of id 5, which is not live");
  s = good;
  s[32 + 32 + 1] = 1;
  expectMalformed(s, 65, "release zone differs");
}

TEST(TraceFile, AnOpenTraceRunsToTheEndOfFileAndCountsItsThreads) {
  std::string s = serializeTrace(sample());
  for (int i = 24; i < 32; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>(0xFF);
  s[16] = 1;  // as written at open: one thread so far
  const TraceFile t = parseTrace(s);
  EXPECT_EQ(t.records.size(), 4u);
  EXPECT_EQ(t.threadCount, 2u);
}

TEST(TraceFile, WriterRejectsBrokenTracesAndWritesNothing) {
  const auto path = (std::filesystem::temp_directory_path() / "zonebuf_trace_bad.trace").string();
  std::filesystem::remove(path);
  TraceFile t = sample();
  t.records.push_back({Kind::Release, AllocationZone::Heap, 0, 99, 0});
  EXPECT_THROW(writeTrace(path, t), InvalidArgumentError);
  EXPECT_FALSE(std::filesystem::exists(path));
  try {
    writeTrace("/nonexistent-zonebuf-dir/x.trace", sample());
    FAIL() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be written"), std::string::npos) << e.what();
  }
}

TEST(TraceFile, MissingFileIsAClearError) {
  try {
    (void)readTrace("/nonexistent-zonebuf-dir/x.trace");
    FAIL() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("pool trace '/nonexistent-zonebuf-dir/x.trace' cannot be opened"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace zonebuf
