// The pool fuzzer's leak-report rules (docs/pool.md "Leak detection"): a
// report groups the leases still out by call site, sampled + unsampled is
// every lease out (count and bytes, capacities), Paranoid samples every
// lease, sites are ordered by count then bytes, descending; toJson() carries
// the same report under "leaks".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "live_ranges_model.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::fuzz {

struct LeakExpectation {
  LeakDetectionLevel level;
  std::uint32_t sampleEvery;  // as configured (the report says 1 at Paranoid, 0 when disabled)
  std::uint64_t outstanding, outstandingBytes;
};

inline void checkLeakReport(const LeakReport& r, const LeakExpectation& want, long op) {
  if (r.level != want.level) fail("leaks.level", op);
  if (want.level == LeakDetectionLevel::Disabled) {
    if (!r.sites.empty() || r.unsampledCount != 0 || r.sampleEvery != 0) fail("disabled leak report not empty", op);
    return;
  }
  const std::uint32_t every = want.level == LeakDetectionLevel::Paranoid ? 1 : want.sampleEvery;
  if (r.sampleEvery != every) fail("leaks.sampleEvery", op);
  std::uint64_t count = 0, bytes = 0;
  for (std::size_t i = 0; i < r.sites.size(); ++i) {
    const LeakSite& s = r.sites[i];
    if (s.count == 0 || s.site.empty()) fail("leak site without leases or name", op);
    if (i > 0) {
      const LeakSite& p = r.sites[i - 1];
      if (p.count < s.count || (p.count == s.count && p.bytes < s.bytes)) fail("leak sites not ordered", op);
    }
    count += s.count;
    bytes += s.bytes;
  }
  if (r.sampledCount() != count) fail("leaks.sampledCount()", op);
  if (count + r.unsampledCount != want.outstanding) fail("sampled + unsampled leases != outstanding", op);
  if (bytes + r.unsampledBytes != want.outstandingBytes) fail("sampled + unsampled bytes != outstanding bytes", op);
  if (want.level == LeakDetectionLevel::Paranoid && r.unsampledCount != 0) fail("paranoid left leases unsampled", op);
}

// toJson()'s "leaks" says what stats().leaks says.
inline void checkLeakJson(const std::string& json, const LeakReport& r, long op) {
  const nlohmann::json root = nlohmann::json::parse(json);
  const nlohmann::json& leaks = root.at("leaks");
  if (leaks.at("level").get<std::string>() != leakLevelName(r.level)) fail("toJson leaks.level", op);
  if (leaks.at("sampleEvery").get<std::uint32_t>() != r.sampleEvery) fail("toJson leaks.sampleEvery", op);
  const nlohmann::json& sites = leaks.at("sites");
  if (sites.size() != r.sites.size()) fail("toJson leaks.sites", op);
  for (std::size_t i = 0; i < r.sites.size(); ++i) {
    if (sites[i].at("site").get<std::string>() != r.sites[i].site || sites[i].at("count").get<std::uint64_t>() != r.sites[i].count ||
        sites[i].at("bytes").get<std::uint64_t>() != r.sites[i].bytes)
      fail("toJson leak site", op);
  }
  if (leaks.at("unsampled").at("count").get<std::uint64_t>() != r.unsampledCount ||
      leaks.at("unsampled").at("bytes").get<std::uint64_t>() != r.unsampledBytes)
    fail("toJson leaks.unsampled", op);
}

}  // namespace zonebuf::fuzz
