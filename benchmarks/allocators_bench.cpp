// W3 allocation: allocate + release per zone against malloc/free, mimalloc and
// std::pmr::monotonic_buffer_resource, in one binary (ratios, never absolute
// numbers, are the result). Plus copies between consecutive allocations of
// each zone against memcpy between independent, page-offset-controlled blocks
// (4 KiB aliasing check).
//
// Names (contract with tools/bench-report): alloc/<zone|baseline>/<1KiB|mixed>,
// alloc/Direct_reuse/..., alloc/ScopedHeap/..., alloc_paired/<Heap|ScopedHeap|Direct>/1KiB
// (a row against mimalloc in alternating chunks, counter `ratio`),
// alloc_copy/<4KiB|64KiB>/<zone|malloc|memcpy|memcpy_skew16>.
#include <benchmark/benchmark.h>
#include <mimalloc.h>

#include <array>
#include <cstdlib>
#include <cstring>
#if __has_include(<memory_resource>)
#include <memory_resource>
#define ZB_HAVE_PMR 1  // Emscripten 3.1.6's libc++ has no std::pmr: those rows are native only
#endif
#include <vector>

#include "support/keep.hpp"
#include "support/page_block.hpp"
#include "support/paired.hpp"
#include "support/registry.hpp"
#include "zonebuf/allocators/scoped_heap.hpp"
#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf::bench {
namespace {

constexpr std::size_t k1KiB = 1024;

// Powers of two 64 B .. 64 KiB in a fixed pseudo-random order (an LCG, so the
// sequence is identical in every build and run).
const std::array<std::size_t, 1024>& mixedSizes() {
  static const std::array<std::size_t, 1024> sizes = [] {
    std::array<std::size_t, 1024> s{};
    std::uint32_t x = 12345;
    for (auto& v : s) {
      x = x * 1664525u + 1013904223u;
      v = std::size_t{64} << ((x >> 16) % 11);
    }
    return s;
  }();
  return sizes;
}

// ---- the user's harness ---------------------------------------------------------
// One allocate + release per call of a noinline function, the pointer escaping
// (keep: benchmark::DoNotOptimize natively) before the buffer is destroyed —
// as in application code, where the buffer is handed on before it dies. Zone
// and size are compile-time constants, as in PlatformBuffer::allocate(1024,
// AllocationZone::Direct) written in application code; mixed sizes arrive as
// a parameter. Every cycle stays a call in WASM too (keepCall: binaryen would
// inline a cycle that has one caller, the baselines' among them).

template <AllocationZone Zone, std::size_t Size>
[[gnu::noinline]] void allocateOnce() {
  PlatformBuffer b = PlatformBuffer::allocate(Size, Zone);
  keep(b.data());
}

template <AllocationZone Zone>
[[gnu::noinline]] void allocateSized(std::size_t size) {
  PlatformBuffer b = PlatformBuffer::allocate(size, Zone);
  keep(b.data());
}

template <void* (*Alloc)(std::size_t), void (*Free)(void*), std::size_t Size>
[[gnu::noinline]] void baselineOnce() {
  void* p = Alloc(Size);
  keep(p);
  Free(p);
}

template <void* (*Alloc)(std::size_t), void (*Free)(void*)>
[[gnu::noinline]] void baselineSized(std::size_t size) {
  void* p = Alloc(size);
  keep(p);
  Free(p);
}

// ---- zones ------------------------------------------------------------------

template <void (*Cycle)()>
void fixed(benchmark::State& state) {
  keepCall(Cycle);
  for (auto _ : state) Cycle();
  state.SetItemsProcessed(state.iterations());
}

template <void (*Cycle)(std::size_t)>
void mixed(benchmark::State& state) {
  keepCall(Cycle);
  const auto& sizes = mixedSizes();
  std::size_t i = 0;
  for (auto _ : state) Cycle(sizes[i++ & 1023]);
  state.SetItemsProcessed(state.iterations());
}

// A blocker above the released block keeps the bump pointer from rewinding,
// so every cycle is a free-list pop and push.
template <std::size_t Size>
void directReuse(benchmark::State& state) {
  PlatformBuffer first = PlatformBuffer::allocate(Size, AllocationZone::Direct);
  PlatformBuffer blocker = PlatformBuffer::allocate(64, AllocationZone::Direct);
  first = PlatformBuffer();
  keepCall(allocateOnce<AllocationZone::Direct, Size>);
  for (auto _ : state) allocateOnce<AllocationZone::Direct, Size>();
  state.SetItemsProcessed(state.iterations());
}

template <std::size_t Size>
void scopedHeap(benchmark::State& state) {
  ScopedHeap scope;
  keepCall(allocateOnce<AllocationZone::Heap, Size>);
  for (auto _ : state) allocateOnce<AllocationZone::Heap, Size>();
  state.SetItemsProcessed(state.iterations());
}

// ---- baselines ----------------------------------------------------------------

void* cMalloc(std::size_t n) { return std::malloc(n); }
void cFree(void* p) { std::free(p); }
void* miMalloc(std::size_t n) { return mi_malloc(n); }
void miFree(void* p) { mi_free(p); }

#ifdef ZB_HAVE_PMR
// Monotonic never frees: deallocate is a no-op and release() rewinds to the
// initial buffer every 1024 cycles (its cost is included).
void pmrMonotonic(benchmark::State& state, bool mixed) {
  std::vector<std::byte> initial(64u << 20);
  std::pmr::monotonic_buffer_resource resource(initial.data(), initial.size(), std::pmr::null_memory_resource());
  const auto& sizes = mixedSizes();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t n = mixed ? sizes[i & 1023] : k1KiB;
    void* p = resource.allocate(n, 16);
    keep(p);
    resource.deallocate(p, n, 16);
    if ((++i & 1023) == 0) resource.release();
  }
  state.SetItemsProcessed(state.iterations());
}
#endif

// ---- paired: the W3 target rows against mimalloc in alternating chunks --------
// alloc_paired/<row>/1KiB: counter `ratio` (support/paired.hpp). The figures of
// the rows above still come from their own benchmarks; these say how much of
// a gap between them is the host's load.

template <std::size_t Size>
void pairedScopedHeap(benchmark::State& state) {
  ScopedHeap scope;  // the mimalloc baseline allocates from mimalloc's default heap either way
  pairedCycles<allocateOnce<AllocationZone::Heap, Size>, baselineOnce<miMalloc, miFree, Size>>(state);
}

// ---- copies between consecutive allocations -----------------------------------

void copyBetween(benchmark::State& state, const std::byte* src, std::byte* dst, std::size_t size) {
  for (auto _ : state) {
    std::memcpy(dst, src, size);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  state.counters["dst_minus_src_mod_4096"] = static_cast<double>(static_cast<std::size_t>(dst - src) % 4096);
}

void consecutiveZone(benchmark::State& state, AllocationZone zone, std::size_t size) {
  PlatformBuffer src = PlatformBuffer::allocate(size, zone);
  PlatformBuffer dst = PlatformBuffer::allocate(size, zone);
  std::memset(src.data(), 1, size);
  std::memset(dst.data(), 2, size);
  copyBetween(state, src.data(), dst.data(), size);
}

void consecutiveMalloc(benchmark::State& state, std::size_t size) {
  auto* src = static_cast<std::byte*>(std::malloc(size));
  auto* dst = static_cast<std::byte*>(std::malloc(size));
  std::memset(src, 1, size);
  std::memset(dst, 2, size);
  copyBetween(state, src, dst, size);
  std::free(dst);
  std::free(src);
}

void independent(benchmark::State& state, std::size_t size, std::size_t dstPageOffset) {
  PageBlock src(size, 0);
  PageBlock dst(size, dstPageOffset);
  copyBetween(state, src.data(), dst.data(), size);
}

ZB_BENCH_REGISTRATION {
  using enum AllocationZone;
  add("alloc/Heap/1KiB", fixed<allocateOnce<Heap, k1KiB>>);
  add("alloc/Direct/1KiB", fixed<allocateOnce<Direct, k1KiB>>);
  add("alloc/SharedMemory/1KiB", fixed<allocateOnce<SharedMemory, k1KiB>>);
  add("alloc/Heap/mixed", mixed<allocateSized<Heap>>);
  add("alloc/Direct/mixed", mixed<allocateSized<Direct>>);
  add("alloc/SharedMemory/mixed", mixed<allocateSized<SharedMemory>>);
  add("alloc/Direct_reuse/1KiB", directReuse<k1KiB>);
  add("alloc/ScopedHeap/1KiB", scopedHeap<k1KiB>);
  add("alloc/malloc/1KiB", fixed<baselineOnce<cMalloc, cFree, k1KiB>>);
  add("alloc/malloc/mixed", mixed<baselineSized<cMalloc, cFree>>);
  add("alloc/mimalloc/1KiB", fixed<baselineOnce<miMalloc, miFree, k1KiB>>);
  add("alloc/mimalloc/mixed", mixed<baselineSized<miMalloc, miFree>>);
  add("alloc_paired/Heap/1KiB", pairedCycles<allocateOnce<Heap, k1KiB>, baselineOnce<miMalloc, miFree, k1KiB>>);
  add("alloc_paired/ScopedHeap/1KiB", pairedScopedHeap<k1KiB>);
  add("alloc_paired/Direct/1KiB", pairedCycles<allocateOnce<Direct, k1KiB>, baselineOnce<miMalloc, miFree, k1KiB>>);
#ifdef ZB_HAVE_PMR
  add("alloc/pmr_monotonic/1KiB", pmrMonotonic, false);
  add("alloc/pmr_monotonic/mixed", pmrMonotonic, true);
#endif

  for (std::size_t size : {std::size_t{4096}, std::size_t{65536}}) {
    const std::string s = sizeLabel(size);
    for (AllocationZone zone : kAllZones) add("alloc_copy/" + s + "/" + std::string(zoneName(zone)), consecutiveZone, zone, size);
    add("alloc_copy/" + s + "/malloc", consecutiveMalloc, size);
    add("alloc_copy/" + s + "/memcpy", independent, size, std::size_t{2048});
    add("alloc_copy/" + s + "/memcpy_skew16", independent, size, std::size_t{16});
  }
}

}  // namespace
}  // namespace zonebuf::bench
