// PoolConfig: everything a BufferPool is tuned by. Plain data with documented
// defaults (docs/pool.md); validate() and the JSON readers reject every bad
// field with an InvalidArgumentError that names the field and the value. A
// config that fails to parse or validate is never half-applied: fromJson and
// fromFile return a whole config or throw.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/pool/leak_report.hpp"
#include "zonebuf/pool/size_classes.hpp"

namespace zonebuf {

enum class ThreadingMode : std::uint8_t {
  SingleThreaded,  // one thread uses the pool; no atomics, no locks
  MultiThreaded,   // per-thread caches in front of shared per-class lists
};

// What a pool destroyed with leases still out reports (the leases stay valid
// and free their memory when they end).
struct OutstandingLeases {
  struct Lease {
    AllocationZone zone;
    std::size_t capacity;
  };
  std::vector<Lease> leases;
  LeakReport leakSites;  // the same leases by call site (PoolConfig::leakDetection)
  std::size_t totalBytes() const noexcept;
  // "BufferPool destroyed with 2 outstanding leases (3072 bytes): Heap 1024, Direct 2048. ..."
  // followed by leakSites.describe() unless leak detection is disabled.
  std::string describe() const;
};

struct ZonePoolConfig {
  SizeClassSpec classes;
  std::size_t maxPerClass = 256;  // idle buffers kept per class (shared lists)
  bool operator==(const ZonePoolConfig&) const = default;
};

// Records sampled acquisitions and releases to a trace file (format:
// zonebuf/pool/pool_trace.hpp; use: docs/workload-ci.md). An empty path is
// off. sampleEvery: one acquisition in this many (per size class, and among
// oversize requests) is recorded with its release; 1..2^20. At the default
// the sampling rides on the pool's existing idle-policy check (every 1024
// acquisitions of a class), so the hit path does no extra work.
struct TraceConfig {
  static constexpr std::uint32_t kDefaultSampleEvery = 1024;
  static constexpr std::uint32_t kMaxSampleEvery = 1u << 20;
  std::string path;
  std::uint32_t sampleEvery = kDefaultSampleEvery;
  bool enabled() const noexcept { return !path.empty(); }
  bool operator==(const TraceConfig&) const = default;
};

// Which call sites hold leases still out (zonebuf/pool/leak_report.hpp,
// docs/pool.md "Leak detection"). Sampled: one acquisition in sampleEvery
// (per size class, and among oversize requests; 1..2^20) records the
// function that made it, at the pool's per-class tick (the hit path's
// existing counter compare: no extra hit-path work), so the cost is one
// capture per sampleEvery acquisitions. Paranoid: every acquisition records
// its call stack (backtrace()); sampleEvery is then ignored.
struct LeakDetectionConfig {
  static constexpr std::uint32_t kDefaultSampleEvery = 4096;
  static constexpr std::uint32_t kMaxSampleEvery = 1u << 20;
  LeakDetectionLevel level = LeakDetectionLevel::Sampled;
  std::uint32_t sampleEvery = kDefaultSampleEvery;
  bool enabled() const noexcept { return level != LeakDetectionLevel::Disabled; }
  bool operator==(const LeakDetectionConfig&) const = default;
};

struct PoolConfig {
  ThreadingMode threading = ThreadingMode::SingleThreaded;
  std::array<ZonePoolConfig, kZoneCount> zones{};  // indexed by AllocationZone
  std::size_t maxRetainedBytes = std::size_t{64} << 20;  // idle bytes in the shared lists
  std::size_t threadCacheCount = 32;                     // MultiThreaded: per class per thread
  std::size_t threadCacheBytes = std::size_t{1} << 20;   // MultiThreaded: per thread
  bool zeroOnRelease = false;                            // zero a buffer's bytes when it comes back
  std::uint64_t idleTrimOperations = 65536;              // 0: no operation-count trimming (see docs/pool.md)
  std::uint64_t idleTrimMillis = 0;                      // 0: no time-based trimming
  TraceConfig trace;                                     // off unless trace.path is set
  LeakDetectionConfig leakDetection;                     // sampled unless turned off
  // Called when a pool is destroyed with leases out; empty: written to stderr.
  std::function<void(const OutstandingLeases&)> onOutstandingLeases;

  ZonePoolConfig& zone(AllocationZone z) noexcept { return zones[static_cast<std::size_t>(z)]; }
  const ZonePoolConfig& zone(AllocationZone z) const noexcept { return zones[static_cast<std::size_t>(z)]; }
  // Sets the same classes for every zone.
  PoolConfig& classes(const SizeClassSpec& spec) {
    for (auto& z : zones) z.classes = spec;
    return *this;
  }

  // Throws InvalidArgumentError for the first invalid field.
  void validate() const;

  // JSON (keys as in docs/pool.md). Unknown keys, wrong types, zero caps,
  // malformed text and unknown zone names are InvalidArgumentError.
  static PoolConfig fromJson(std::string_view text);
  static PoolConfig fromFile(const std::string& path);
  std::string toJson() const;
};

}  // namespace zonebuf
