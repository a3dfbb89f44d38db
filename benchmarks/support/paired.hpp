// pairedChunks(state, workload, baseline): a workload against its baseline in
// alternating chunks inside one benchmark, for cycles of tens of nanoseconds
// on a shared host. pairedCycles<Workload, Baseline>(state) is the same for
// two plain functions.
//
// Why: the host's load comes in phases of seconds that slow every benchmark
// ~1.6x at once. Two rows measured apart (random interleaving, median of 3
// repetitions) can each land in a different phase, so their ratio moves by
// more than the difference being measured (the W3 Heap row against mimalloc
// spans 0.41x-1.11x in WASM with the same code). Here each iteration times
// kChunk cycles of each side, a few microseconds apart, the side that goes
// first alternating (so neither always runs on the caches the other left).
//
// Placement: a cycle's speed also depends on where its structures fall
// relative to one another within a page (most likely 4K aliasing: a store
// and a later load 4 KiB apart look dependent to the CPU and the load waits;
// this VM has no counters to show it). Two identical pools read 0.85x-0.90x
// of each other in about one process in seven, by where their objects, nodes
// and the caller's frame happened to land. Each chunk therefore runs at a stack depth that steps through a page
// (the cycle's frame meets every offset, on both sides alike), and a side
// that owns state may keep an odd number of copies (odd: each copy runs
// both first and second) and use copy `chunk % copies` for chunk `chunk`,
// so that neither side is measured at one placement.
//
// Counters: workload_ns and baseline_ns (per cycle: the median chunk of each
// side over the run), and ratio (the median over iterations of baseline time
// / workload time: the workload's throughput as a multiple of the
// baseline's, like the report's ratios). Medians, not totals: a chunk the
// scheduler preempts takes a time slice (milliseconds) on one side only, and
// the totals of a loaded run moved by 15% while the median ratio held within
// 0.2%. A chunk against an identical chunk reads 1.00. The report reads a
// paired benchmark NAME as two figures, NAME/baseline and NAME/workload (the
// baseline's times `ratio`: tools/benchreport/results.py), so a target row
// comparing them holds the median paired ratio to its target.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

#include "support/keep.hpp"

namespace zonebuf::bench {

namespace paired_detail {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kDepths = 64;  // stack depths per page, 64 bytes apart

// fn() run `depth` bytes further down the stack.
template <class Fn>
[[gnu::noinline]] double atStackDepth(std::size_t depth, Fn&& fn) {
  auto* pad = static_cast<volatile char*>(__builtin_alloca(depth));
  pad[0] = 0;
  const double seconds = fn();
  pad[depth - 1] = 0;  // the pad stays live across fn
  return seconds;
}

}  // namespace paired_detail

// workload(chunk) and baseline(chunk): one cycle of each side, `chunk` the
// number of the chunk it belongs to (the same for every cycle of a chunk).
template <class Workload, class Baseline>
void pairedChunks(benchmark::State& state, Workload&& workload, Baseline&& baseline) {
  using namespace paired_detail;
  // ~5-50 us a chunk: far above the clock's cost (performance.now() in WASM),
  // far below the host's load phases.
  constexpr int kChunk = 1000;
  using Clock = std::chrono::steady_clock;
  std::size_t chunk = 0;
  const auto timed = [&chunk](auto& cycle) {
    const std::size_t c = chunk;
    const auto t0 = Clock::now();
    for (int i = 0; i < kChunk; ++i) cycle(c);
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  std::vector<double> workloadTimes, baselineTimes, ratios;
  for (auto _ : state) {
    const std::size_t depth = 16 + (chunk / 2 % kDepths) * (kPage / kDepths);
    const auto w = [&] { return timed(workload); };
    const auto b = [&] { return timed(baseline); };
    double workloadSeconds, baselineSeconds;
    if (chunk % 2 == 0) {
      baselineSeconds = atStackDepth(depth, b);
      workloadSeconds = atStackDepth(depth, w);
    } else {
      workloadSeconds = atStackDepth(depth, w);
      baselineSeconds = atStackDepth(depth, b);
    }
    ++chunk;
    workloadTimes.push_back(workloadSeconds);
    baselineTimes.push_back(baselineSeconds);
    if (workloadSeconds > 0) ratios.push_back(baselineSeconds / workloadSeconds);
  }
  if (ratios.empty()) return;
  const auto median = [](std::vector<double>& v) {
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
  };
  state.counters["ratio"] = median(ratios);
  state.counters["workload_ns"] = median(workloadTimes) / kChunk * 1e9;
  state.counters["baseline_ns"] = median(baselineTimes) / kChunk * 1e9;
}

// Both cycles stay calls (keepCall), as in the rows they pair.
template <void (*Workload)(), void (*Baseline)()>
void pairedCycles(benchmark::State& state) {
  keepCall(Workload);
  keepCall(Baseline);
  pairedChunks(state, [](std::size_t) { Workload(); }, [](std::size_t) { Baseline(); });
}

}  // namespace zonebuf::bench
