// Naming and registration shared by every zonebuf benchmark binary.
//
// Benchmark names are the contract with tools/bench-report: they are
// "<workload>/<variant>/<detail>" paths built from the zone and byte-order
// names below, and the report finds figures by these exact strings. Rename a
// benchmark only together with the report's mapping.
#pragma once

#include <benchmark/benchmark.h>

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/core/byte_order.hpp"

namespace zonebuf::bench {

inline constexpr std::array<AllocationZone, 3> kAllZones = {AllocationZone::Heap, AllocationZone::Direct,
                                                             AllocationZone::SharedMemory};
inline constexpr std::array<ByteOrder, 2> kBothOrders = {ByteOrder::BigEndian, ByteOrder::LittleEndian};

inline std::string_view orderName(ByteOrder order) noexcept {
  return order == ByteOrder::BigEndian ? "BigEndian" : "LittleEndian";
}

// "1KiB", "64KiB", "16B": sizes as they appear in benchmark names.
std::string sizeLabel(std::size_t bytes);

// Registers `fn(benchmark::State&, args...)` under `name`. Call it from a
// static initializer (see ZB_BENCH_REGISTRATION) so benchmark_main sees it.
template <class Fn, class... Args>
benchmark::internal::Benchmark* add(const std::string& name, Fn fn, Args... args) {
  return benchmark::RegisterBenchmark(name.c_str(),
                                      [fn, args...](benchmark::State& state) { fn(state, args...); });
}

}  // namespace zonebuf::bench

// Runs the following block once at static-initialisation time:
//   ZB_BENCH_REGISTRATION { zonebuf::bench::add("x/y", &bm, ...); }
#define ZB_BENCH_CONCAT_(a, b) a##b
#define ZB_BENCH_CONCAT(a, b) ZB_BENCH_CONCAT_(a, b)
#define ZB_BENCH_REGISTRATION                                                                        \
  static void ZB_BENCH_CONCAT(zbRegister, __LINE__)();                                               \
  [[maybe_unused]] static const bool ZB_BENCH_CONCAT(zbRegistered, __LINE__) =                       \
      (ZB_BENCH_CONCAT(zbRegister, __LINE__)(), true);                                               \
  static void ZB_BENCH_CONCAT(zbRegister, __LINE__)()
