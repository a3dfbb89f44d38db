// The byte layout of a pool trace (see zonebuf/pool/pool_trace.hpp), shared
// by the file reader/writer and the pool's recorder.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "zonebuf/pool/pool_trace.hpp"

namespace zonebuf::detail {

template <class T>
T loadLe(const char* p) noexcept {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i));
  return v;
}

template <class T>
void storeLe(char* p, T v) noexcept {
  for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

inline std::string traceHeader(std::uint32_t sampleEvery, std::uint32_t threadCount, std::uint64_t count) {
  std::string h(TraceFile::kHeaderBytes, '\0');
  std::memcpy(h.data(), TraceFile::kMagic.data(), 8);
  storeLe<std::uint32_t>(h.data() + 8, TraceFile::kVersion);
  storeLe<std::uint32_t>(h.data() + 12, sampleEvery);
  storeLe<std::uint32_t>(h.data() + 16, threadCount);
  storeLe<std::uint64_t>(h.data() + 24, count);
  return h;
}

inline void appendRecord(std::string& out, const TraceRecord& r) {
  char b[TraceFile::kRecordBytes] = {};
  b[0] = static_cast<char>(r.kind);
  b[1] = static_cast<char>(r.zone);
  storeLe<std::uint16_t>(b + 2, r.thread);
  storeLe<std::uint32_t>(b + 4, r.id);
  storeLe<std::uint64_t>(b + 8, r.value);
  out.append(b, sizeof b);
}

}  // namespace zonebuf::detail
