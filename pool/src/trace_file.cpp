// Pool trace files: parsing with errors that name the byte offset, and
// serialisation (validated by parsing the result, so both share one set of rules).
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "trace_format.hpp"
#include "zonebuf/errors.hpp"
#include "zonebuf/pool/pool_trace.hpp"

namespace zonebuf {

namespace {

[[noreturn]] void malformed(const std::string& name, std::size_t offset, const std::string& what) {
  throw InvalidArgumentError("pool trace '" + name + "' is malformed at byte offset " + std::to_string(offset) + ": " +
                             what + ". Record traces with PoolConfig 'trace' (docs/workload-ci.md).");
}

}  // namespace

TraceFile parseTrace(std::string_view bytes, const std::string& name) {
  using detail::loadLe;
  constexpr std::size_t H = TraceFile::kHeaderBytes, R = TraceFile::kRecordBytes;
  if (bytes.size() < H) malformed(name, bytes.size(), "the file ends inside the 32-byte header");
  if (bytes.substr(0, 8) != TraceFile::kMagic) malformed(name, 0, "no ZBTRACE1 magic (not a zonebuf pool trace)");
  const char* p = bytes.data();
  const auto version = loadLe<std::uint32_t>(p + 8);
  if (version != TraceFile::kVersion) {
    malformed(name, 8, "version " + std::to_string(version) + " is not supported (this build reads version 1)");
  }
  TraceFile t;
  t.sampleEvery = loadLe<std::uint32_t>(p + 12);
  t.threadCount = loadLe<std::uint32_t>(p + 16);
  const auto count = loadLe<std::uint64_t>(p + 24);
  if (t.sampleEvery == 0) malformed(name, 12, "sampleEvery is 0");
  if (t.threadCount == 0 || t.threadCount > 65536) {
    malformed(name, 16, "threadCount " + std::to_string(t.threadCount) + " is outside 1..65536");
  }
  const std::size_t body = bytes.size() - H;
  if (body % R != 0) {
    malformed(name, H + body / R * R, "the file ends inside a 16-byte record (truncated)");
  }
  if (count != TraceFile::kOpenCount && count != body / R) {
    malformed(name, 24, "the header counts " + std::to_string(count) + " records but the file holds " +
                            std::to_string(body / R));
  }
  t.records.reserve(body / R);
  std::unordered_map<std::uint32_t, AllocationZone> live;
  for (std::size_t off = H; off < bytes.size(); off += R) {
    const char* r = p + off;
    TraceRecord rec;
    const auto kind = static_cast<std::uint8_t>(r[0]);
    const auto zone = static_cast<std::uint8_t>(r[1]);
    if (kind != 1 && kind != 2) malformed(name, off, "unknown record kind " + std::to_string(kind) + " (1 or 2)");
    if (zone >= kZoneCount) malformed(name, off + 1, "unknown zone " + std::to_string(zone) + " (0, 1 or 2)");
    rec.kind = static_cast<TraceRecord::Kind>(kind);
    rec.zone = static_cast<AllocationZone>(zone);
    rec.thread = loadLe<std::uint16_t>(r + 2);
    rec.id = loadLe<std::uint32_t>(r + 4);
    rec.value = loadLe<std::uint64_t>(r + 8);
    // An open trace (its pool still ran, or crashed) has not counted its threads yet.
    if (count == TraceFile::kOpenCount) {
      t.threadCount = std::max<std::uint32_t>(t.threadCount, rec.thread + 1u);
    } else if (rec.thread >= t.threadCount) {
      malformed(name, off + 2, "thread " + std::to_string(rec.thread) + " is not below threadCount " +
                                   std::to_string(t.threadCount));
    }
    if (rec.kind == TraceRecord::Kind::Acquire) {
      if (!live.emplace(rec.id, rec.zone).second) {
        malformed(name, off + 4, "acquisition id " + std::to_string(rec.id) + " is already live");
      }
    } else {
      const auto it = live.find(rec.id);
      if (it == live.end()) malformed(name, off + 4, "release of id " + std::to_string(rec.id) + ", which is not live");
      if (it->second != rec.zone) malformed(name, off + 1, "release zone differs from its acquisition's");
      live.erase(it);
    }
    t.records.push_back(rec);
  }
  return t;
}

TraceFile readTrace(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidArgumentError("pool trace '" + path + "' cannot be opened: " + std::strerror(errno));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parseTrace(bytes, path);
}

std::string serializeTrace(const TraceFile& trace) {
  std::string out = detail::traceHeader(trace.sampleEvery, trace.threadCount, trace.records.size());
  for (const TraceRecord& r : trace.records) detail::appendRecord(out, r);
  (void)parseTrace(out, "serializeTrace");  // the reader's rules are the writer's
  return out;
}

void writeTrace(const std::string& path, const TraceFile& trace) {
  const std::string bytes = serializeTrace(trace);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) || !out.flush()) {
    throw InvalidArgumentError("pool trace '" + path + "' cannot be written: " + std::strerror(errno));
  }
}

}  // namespace zonebuf
