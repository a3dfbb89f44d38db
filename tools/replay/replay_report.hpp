// The replay's outputs: the table, the JSON document and the comparison
// against an earlier JSON document (the CI gate).
#pragma once

#include <string>
#include <vector>

#include "replay_run.hpp"

namespace zonebuf::replay {

struct Report {
  std::string trace;
  std::size_t records = 0;
  std::size_t threads = 0;
  std::size_t sampleEvery = 0;
  std::size_t opsPerPass = 0;
  std::vector<Measurement> candidates;
};

// Marks the fastest pool candidate `best` (ties: the smaller peak).
void markBest(Report& r);
std::string table(const Report& r);
std::string toJson(const Report& r);

// Candidates present in both whose ns/op, or peak memory (beyond one MiB of
// slack for page granularity), grew by more than `threshold` (0.10 = 10%).
// Prints one line per common candidate into `lines`. Throws
// InvalidArgumentError if OLD is not a replay JSON document.
std::size_t compare(const Report& now, const std::string& oldPath, double threshold, std::string& lines);

}  // namespace zonebuf::replay
