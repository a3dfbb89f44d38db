// The trace recorder's cost on the pool's hit path: one op = one withBuffer
// (or PooledBuffer lease) acquire + release of 1 KiB, on a pool without a
// trace and on one recording at the default sampleEvery (1024) into a file
// in the temp directory. Target (tools/bench-report): traced >= 0.95x untraced.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "support/keep.hpp"
#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

PoolConfig configFor(bool traced) {
  PoolConfig c;
  if (traced) c.trace.path = (std::filesystem::temp_directory_path() / "zonebuf_trace_bench.trace").string();
  return c;
}

BufferPool& poolFor(bool traced) {
  static BufferPool plain(configFor(false));
  static BufferPool recording(configFor(true));
  return traced ? recording : plain;
}

ZONEBUF_NOINLINE void withBufferCycle(benchmark::State& state, BufferPool& pool) {
  for (auto _ : state) pool.withBuffer(1024, AllocationZone::Heap, [](PlatformBuffer& b) { keep(b.data()); });
  state.SetItemsProcessed(state.iterations());
}

ZONEBUF_NOINLINE void leaseCycle(benchmark::State& state, BufferPool& pool) {
  for (auto _ : state) {
    PooledBuffer lease = pool.acquire(1024, AllocationZone::Heap);
    keep(lease->data());
  }
  state.SetItemsProcessed(state.iterations());
}

ZB_BENCH_REGISTRATION {
  for (bool traced : {false, true}) {
    const std::string suffix = traced ? "_traced" : "";
    add("trace/hit1KiB/pool_withBuffer" + suffix, [traced](benchmark::State& s) { withBufferCycle(s, poolFor(traced)); });
    add("trace/hit1KiB/pool_lease" + suffix, [traced](benchmark::State& s) { leaseCycle(s, poolFor(traced)); });
  }
}

}  // namespace
}  // namespace zonebuf::bench
