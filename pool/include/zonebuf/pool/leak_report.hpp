// Leak detection: which call sites hold the leases still out of a pool.
// LeakDetectionLevel selects what a BufferPool records (PoolConfig::
// leakDetection); LeakReport is what it reports, in stats().leaks and, when
// the pool is destroyed with leases out, in OutstandingLeases::leakSites.
//
// Invariants of one report: `sites` hold only sampled leases, each lease in
// exactly one site; sampled + unsampled counts and bytes are every lease
// still out; sites are ordered by count, then bytes, descending; a site's
// oldest age is that of its longest-held lease.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zonebuf {

enum class LeakDetectionLevel : std::uint8_t {
  Disabled,  // nothing recorded; the report is empty
  Sampled,   // one acquisition in sampleEvery records the function that made it
  Paranoid,  // every acquisition records its call stack (slow: for tests and hunts)
};

// "disabled", "sampled", "paranoid" (the JSON spelling).
std::string_view leakLevelName(LeakDetectionLevel level) noexcept;

// The leases out of one call site (sampled ones only).
struct LeakSite {
  // The acquiring function and its offset, e.g. "app::readFrame(int)+0x2a";
  // Paranoid adds its callers after " <- ". Names need the symbols in the
  // dynamic table (link executables with -rdynamic); otherwise
  // "module+0xoffset" (addr2line resolves it). WebAssembly has no stack to
  // capture: every lease falls under one site, kUnknownSite.
  std::string site;
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;                   // capacities of the leased buffers
  // Acquisitions of the oldest one's size class (oversize: of its zone's
  // oversize requests) since it was acquired: how often it could have been reused.
  std::uint64_t oldestAgeAcquisitions = 0;
  std::uint64_t oldestAgeMillis = 0;         // steady-clock time since the oldest of them

  static constexpr std::string_view kUnknownSite = "(call site unknown: no stack capture on this platform)";
};

struct LeakReport {
  LeakDetectionLevel level = LeakDetectionLevel::Disabled;
  std::uint32_t sampleEvery = 0;   // 1 at Paranoid, 0 at Disabled
  std::vector<LeakSite> sites;     // sampled leases by call site
  std::uint64_t unsampledCount = 0;  // leases out that were not sampled
  std::uint64_t unsampledBytes = 0;

  std::uint64_t sampledCount() const noexcept;
  // "2 leases (3072 bytes) by call site: app::f()+0x1a: 2 leases, 3072 bytes, oldest 10 acquisitions / 5 ms ago; 7 unsampled (7168 bytes)"
  std::string describe() const;
};

}  // namespace zonebuf
