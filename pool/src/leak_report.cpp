// LeakReport's text, and the level names shared by the JSON reader and writer.
#include "zonebuf/pool/leak_report.hpp"

namespace zonebuf {

std::string_view leakLevelName(LeakDetectionLevel level) noexcept {
  switch (level) {
    case LeakDetectionLevel::Disabled: return "disabled";
    case LeakDetectionLevel::Sampled: return "sampled";
    case LeakDetectionLevel::Paranoid: return "paranoid";
  }
  return "unknown";
}

std::uint64_t LeakReport::sampledCount() const noexcept {
  std::uint64_t n = 0;
  for (const LeakSite& s : sites) n += s.count;
  return n;
}

namespace {
std::string leases(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " lease" : " leases"); }
}  // namespace

std::string LeakReport::describe() const {
  constexpr std::size_t kListed = 16;
  std::string s = "Leak detection (" + std::string(leakLevelName(level));
  if (level == LeakDetectionLevel::Sampled) s += ", 1 in " + std::to_string(sampleEvery);
  s += "): ";
  if (sites.empty()) {
    s += "no sampled lease is out";
  } else {
    s += "by call site:";
    for (std::size_t i = 0; i < sites.size() && i < kListed; ++i) {
      const LeakSite& site = sites[i];
      s += (i == 0 ? " " : "; ") + site.site + ": " + leases(site.count) + ", " + std::to_string(site.bytes) +
           " bytes, oldest " + std::to_string(site.oldestAgeAcquisitions) + " acquisitions / " +
           std::to_string(site.oldestAgeMillis) + " ms ago";
    }
    if (sites.size() > kListed) s += "; ... (" + std::to_string(sites.size() - kListed) + " more sites)";
  }
  s += "; " + std::to_string(unsampledCount) + " unsampled (" + std::to_string(unsampledBytes) + " bytes).";
  return s;
}

}  // namespace zonebuf
