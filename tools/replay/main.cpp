// zonebuf_replay TRACE [--config POOL.json ...] [--json] [--out FILE]
//                [--compare OLD.json] [--threshold F] [--min-time SECONDS]
// Replays a pool trace through each zone, through a pool per --config (the
// default config if none), through mimalloc and through
// std::pmr::unsynchronized_pool_resource, on the recorded thread count.
// Prints ns per operation and peak memory per candidate (a table, or JSON
// with --json; --out also writes the JSON to FILE) with the fastest pool
// config marked. --compare exits 1 if a candidate regressed by more than
// the threshold (default 0.10). Bad arguments or input: exit 2.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "replay_report.hpp"
#include "replay_run.hpp"
#include "replay_workload.hpp"
#include "zonebuf/zonebuf.hpp"

namespace {

using namespace zonebuf;
using namespace zonebuf::replay;

constexpr const char* kUsage =
    "usage: zonebuf_replay TRACE [--config POOL.json ...] [--json] [--out FILE]\n"
    "                      [--compare OLD.json] [--threshold F] [--min-time SECONDS]\n";

[[noreturn]] void usageError(const std::string& what) {
  std::fprintf(stderr, "replay: %s\n%s", what.c_str(), kUsage);
  std::exit(2);
}

double number(const std::string& flag, const char* text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == std::string(text).size() && v >= 0) return v;
  } catch (const std::exception&) {
  }
  usageError(flag + " needs a non-negative number, got '" + text + "'");
}

}  // namespace

int main(int argc, char** argv) {
  std::string tracePath, outPath, comparePath;
  std::vector<std::string> configs;
  bool json = false;
  double threshold = 0.10, minTime = 0.2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usageError(a + " needs a value");
      return argv[++i];
    };
    if (a == "--config") configs.emplace_back(value());
    else if (a == "--json") json = true;
    else if (a == "--out") outPath = value();
    else if (a == "--compare") comparePath = value();
    else if (a == "--threshold") threshold = number(a, value());
    else if (a == "--min-time") minTime = number(a, value());
    else if (a == "-h" || a == "--help") { std::fputs(kUsage, stdout); return 0; }
    else if (!a.empty() && a[0] == '-') usageError("unknown option '" + a + "'");
    else if (tracePath.empty()) tracePath = a;
    else usageError("one trace only (got '" + tracePath + "' and '" + a + "')");
  }
  if (tracePath.empty()) usageError("no trace given");
  try {
    const TraceFile trace = readTrace(tracePath);
    std::vector<Candidate> candidates;
    for (auto zone : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
      candidates.push_back({Candidate::Kind::Zone, "zone:" + std::string(zoneName(zone)), zone, std::nullopt});
    }
    if (configs.empty()) candidates.push_back({Candidate::Kind::Pool, "pool:default", AllocationZone::Heap, PoolConfig{}});
    for (const std::string& path : configs) {
      PoolConfig config = PoolConfig::fromFile(path);  // errors name the file and field
      config.trace = {};  // a replay never records
      candidates.push_back({Candidate::Kind::Pool, "pool:" + std::filesystem::path(path).filename().string(),
                            AllocationZone::Heap, std::move(config)});
    }
    candidates.push_back({Candidate::Kind::Mimalloc, "mimalloc", AllocationZone::Heap, std::nullopt});
    candidates.push_back({Candidate::Kind::PmrUnsync, "pmr_unsync", AllocationZone::Heap, std::nullopt});

    const std::vector<Workload> workloads = workloadsOf(trace);
    Report report{tracePath, trace.records.size(), trace.threadCount, trace.sampleEvery, totalOps(workloads), {}};
    if (report.opsPerPass == 0) throw InvalidArgumentError("pool trace '" + tracePath + "' holds no operations");
    for (const Candidate& c : candidates) report.candidates.push_back(measure(c, workloads, minTime));
    markBest(report);
    const std::string doc = toJson(report);
    std::fputs(json ? doc.c_str() : table(report).c_str(), stdout);
    if (!outPath.empty()) {
      std::ofstream out(outPath);
      if (!(out << doc)) throw InvalidArgumentError("--out: cannot write '" + outPath + "'");
    }
    if (!comparePath.empty()) {
      std::string lines;
      const std::size_t regressions = compare(report, comparePath, threshold, lines);
      std::fprintf(json ? stderr : stdout, "compared with %s (threshold %.0f%%):\n%s", comparePath.c_str(),
                   threshold * 100, lines.c_str());
      if (regressions != 0) {
        std::fprintf(stderr, "replay: %zu candidate(s) regressed beyond %.0f%%\n", regressions, threshold * 100);
        return 1;
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replay: %s\n", e.what());
    return 2;
  }
  return 0;
}
