// Pool traces: the sampled acquisitions and releases of a BufferPool whose
// PoolConfig has `trace` set, in a compact binary file that tools/zonebuf
// replay and tools/pool-tune read (docs/workload-ci.md).
//
// File layout (little-endian):
//   header, 32 bytes: magic "ZBTRACE1", u32 version (1), u32 sampleEvery,
//     u32 threadCount, u32 reserved (0), u64 recordCount (kOpenCount while
//     the recording pool is alive: the records then run to the end of file
//     and threadCount is taken from them)
//   records, 16 bytes each: u8 kind (1 acquire, 2 release), u8 zone,
//     u16 thread (0.. threadCount-1, in order of first appearance), u32 id
//     (pairs a release with its acquisition), u64 value (acquire: the
//     requested size; release: the lease's lifetime in pool acquisitions,
//     estimated as sampleEvery x the samples taken while it was out).
// Invariants of a TraceFile that readTrace returns (and writeTrace needs):
// kinds and zones are valid, every thread < threadCount, ids of live
// acquisitions are unique and every release names a live acquisition of the
// same zone. Acquisitions may stay unreleased (the pool ended first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "zonebuf/allocators/allocation_zone.hpp"

namespace zonebuf {

struct TraceRecord {
  enum class Kind : std::uint8_t { Acquire = 1, Release = 2 };
  Kind kind = Kind::Acquire;
  AllocationZone zone = AllocationZone::Heap;
  std::uint16_t thread = 0;
  std::uint32_t id = 0;
  std::uint64_t value = 0;  // Acquire: requested bytes; Release: lifetime in acquisitions
  bool operator==(const TraceRecord&) const = default;
};

struct TraceFile {
  static constexpr std::string_view kMagic = "ZBTRACE1";
  static constexpr std::uint32_t kVersion = 1;
  static constexpr std::size_t kHeaderBytes = 32;
  static constexpr std::size_t kRecordBytes = 16;
  static constexpr std::uint64_t kOpenCount = ~std::uint64_t{0};

  std::uint32_t sampleEvery = 1;
  std::uint32_t threadCount = 1;
  std::vector<TraceRecord> records;
  bool operator==(const TraceFile&) const = default;
};

// Throws InvalidArgumentError naming the path, the byte offset and what is
// wrong (bad magic, unknown version, truncated record, unknown kind or zone,
// thread out of range, duplicate id, release without acquisition, ...).
TraceFile readTrace(const std::string& path);
TraceFile parseTrace(std::string_view bytes, const std::string& name = "trace");
// Writes a whole trace (synthetic workloads, tests). Throws
// InvalidArgumentError if the file cannot be written or the trace breaks the
// invariants above.
void writeTrace(const std::string& path, const TraceFile& trace);
std::string serializeTrace(const TraceFile& trace);

}  // namespace zonebuf
