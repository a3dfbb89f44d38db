// pairedCycles<Workload, Baseline>(state): a workload against its baseline
// in alternating chunks inside one benchmark, for cycles of tens of
// nanoseconds on a shared host.
//
// Why: the host's load comes in phases of seconds that slow every benchmark
// ~1.6x at once. Two rows measured apart (random interleaving, median of 3
// repetitions) can each land in a different phase, so their ratio moves by
// more than the difference being measured (the W3 Heap row against mimalloc
// spans 0.41x-1.11x in WASM with the same code). Here each iteration times
// kChunk baseline cycles, then kChunk workload cycles, a few tens of
// microseconds apart; the counter
// `ratio` is the median over iterations of baseline time / workload time (the
// workload's throughput as a multiple of the baseline's, like the report's
// ratios). A chunk against an identical chunk reads 1.00.
//
// Counters: ratio, workload_ns and baseline_ns (per cycle, over the run).
// Both cycles stay calls (keepCall), as in the rows they pair.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "support/keep.hpp"

namespace zonebuf::bench {

template <void (*Workload)(), void (*Baseline)()>
void pairedCycles(benchmark::State& state) {
  constexpr int kChunk = 1000;
  using Clock = std::chrono::steady_clock;
  keepCall(Workload);
  keepCall(Baseline);
  std::vector<double> ratios;
  double workloadSeconds = 0, baselineSeconds = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (int i = 0; i < kChunk; ++i) Baseline();
    const auto t1 = Clock::now();
    for (int i = 0; i < kChunk; ++i) Workload();
    const auto t2 = Clock::now();
    const double b = std::chrono::duration<double>(t1 - t0).count();
    const double w = std::chrono::duration<double>(t2 - t1).count();
    baselineSeconds += b;
    workloadSeconds += w;
    if (w > 0) ratios.push_back(b / w);
  }
  if (ratios.empty()) return;
  const auto mid = ratios.begin() + static_cast<std::ptrdiff_t>(ratios.size() / 2);
  std::nth_element(ratios.begin(), mid, ratios.end());
  const double cycles = static_cast<double>(state.iterations()) * kChunk;
  state.counters["ratio"] = *mid;
  state.counters["workload_ns"] = workloadSeconds / cycles * 1e9;
  state.counters["baseline_ns"] = baselineSeconds / cycles * 1e9;
}

}  // namespace zonebuf::bench
