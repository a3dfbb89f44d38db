// slice() and UTF-8 text: writeString / readString of ASCII, CJK (3-byte) and
// emoji (4-byte) text at 16 B and 1 KiB. One op = one call (items_per_second).
//
// Baseline per size: memcpy of the same number of bytes, plus a std::string
// built from them for reads — what a codec that neither validated nor
// transcoded would cost. The ratio shows the price of UTF-8 validation.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

constexpr std::size_t kSizes[] = {16, 1024};

struct Script {
  const char* name;
  std::string_view unit;  // one code point, UTF-8
};
constexpr Script kScripts[] = {{"ascii", "a"}, {"cjk", "\xE6\xBC\xA2"}, {"emoji", "\xF0\x9F\x98\x80"}};

// Whole code points of `unit` up to `bytes`, topped up with ASCII so every
// sample is exactly `bytes` long.
std::string sample(std::string_view unit, std::size_t bytes) {
  std::string s;
  while (s.size() + unit.size() <= bytes) s += unit;
  s.append(bytes - s.size(), 'x');
  return s;
}

void writeString(benchmark::State& state, std::string text) {
  PlatformBuffer buf = PlatformBuffer::allocate(text.size());
  for (auto _ : state) {
    buf.resetForWrite();
    benchmark::DoNotOptimize(buf.writeString(text));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void readString(benchmark::State& state, std::string text) {
  PlatformBuffer buf = PlatformBuffer::allocate(text.size());
  buf.writeString(text);
  for (auto _ : state) {
    buf.resetForRead();  // after a full read: position = limit = size
    std::string s = buf.readString(text.size());
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void memcpyWrite(benchmark::State& state, std::size_t size) {
  const std::string text(size, 'a');
  PlatformBuffer buf = PlatformBuffer::allocate(size);
  for (auto _ : state) {
    std::memcpy(buf.data(), text.data(), size);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

void memcpyRead(benchmark::State& state, std::size_t size) {
  PlatformBuffer buf = PlatformBuffer::allocate(size);
  std::memset(buf.data(), 'a', size);
  for (auto _ : state) {
    std::string s(reinterpret_cast<const char*>(buf.data()), size);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}

void slice(benchmark::State& state, AllocationZone zone) {
  PlatformBuffer buf = PlatformBuffer::allocate(1024, zone);
  buf.position(16);
  for (auto _ : state) {
    PlatformBuffer view = buf.slice();
    benchmark::DoNotOptimize(view);
  }
  state.SetItemsProcessed(state.iterations());
}

ZB_BENCH_REGISTRATION {
  for (AllocationZone zone : kAllZones) add("text/slice/" + std::string(zoneName(zone)), &slice, zone);
  for (std::size_t size : kSizes) {
    const std::string s = sizeLabel(size);
    add("text/memcpy_write/" + s, &memcpyWrite, size);
    add("text/memcpy_read/" + s, &memcpyRead, size);
    for (const Script& script : kScripts) {
      add("text/write/" + std::string(script.name) + "/" + s, &writeString, sample(script.unit, size));
      add("text/read/" + std::string(script.name) + "/" + s, &readString, sample(script.unit, size));
    }
  }
}

}  // namespace
}  // namespace zonebuf::bench
