// Pool hit cycle: one op = one acquire + release (BufferPool::withBuffer or a
// PooledBuffer lease) against the allocators a user would otherwise call:
// mimalloc mi_malloc/mi_free, std::pmr::unsynchronized_pool_resource,
// std::pmr::synchronized_pool_resource and the C library's malloc/free.
//   pool/hit1KiB/<variant>       1 KiB, same size every time (always a hit)
//   pool/mixed/<variant>         64 B..64 KiB from a fixed pseudo-random
//                                (log-uniform) sequence of 4096 sizes
//   pool/mt1KiB/<variant>/threads:N   MultiThreaded pool vs the thread-safe
//                                baselines on 1 and 2 threads (real time,
//                                items/s summed over threads)
//   pool/leaks/<cycle>/<level>   the 1 KiB hit cycle (lease or withBuffer) in
//                                a pool at leak detection level <level>
//                                (disabled, sampled1in128, paranoid), each
//                                cycle a non-inlined call taking the pool by
//                                reference
//   pool/leaks_paired/<cycle>/default   the default level (sampled 1 in
//                                4096) against disabled, in alternating
//                                chunks (support/paired.hpp); .../disabled_again:
//                                disabled against a second disabled pool, the
//                                A/A control that shows how far two identical
//                                pools differ
// Report ratios to the baselines of the same run (docs/pool.md).
// Emscripten 3.1.6's libc++ has no <memory_resource>: the pmr rows exist in
// the native build only.
#include <benchmark/benchmark.h>
#include <mimalloc.h>

#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <vector>
#if __has_include(<memory_resource>)
#include <memory_resource>
#define ZB_POOL_BENCH_PMR 1
#endif

#include "support/keep.hpp"
#include "support/paired.hpp"
#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

constexpr std::size_t k1KiB = 1024;

const std::vector<std::size_t>& mixedSizes() {
  static const std::vector<std::size_t> sizes = [] {
    std::vector<std::size_t> v;
    std::uint64_t x = 0x2545F4914F6CDD1Dull;
    for (int i = 0; i < 4096; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      const unsigned octave = static_cast<unsigned>(x % 10);             // 64 << 0..9
      const std::size_t base = std::size_t{64} << octave;
      v.push_back(base + static_cast<std::size_t>((x >> 8) % base) + 1);  // (base, 2*base]
    }
    return v;
  }();
  return sizes;
}

PoolConfig benchConfig(ThreadingMode mode) {
  PoolConfig c;
  c.threading = mode;
  return c;
}

BufferPool& sharedPool(ThreadingMode mode) {
  static BufferPool single(benchConfig(ThreadingMode::SingleThreaded));
  static BufferPool multi(benchConfig(ThreadingMode::MultiThreaded));
  return mode == ThreadingMode::SingleThreaded ? single : multi;
}

template <class Next>
void poolWithBuffer(benchmark::State& state, ThreadingMode mode, Next next) {
  BufferPool& pool = sharedPool(mode);
  for (auto _ : state) {
    pool.withBuffer(next(), AllocationZone::Heap, [](PlatformBuffer& b) { keep(b.data()); });
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Next>
void poolLease(benchmark::State& state, ThreadingMode mode, Next next) {
  BufferPool& pool = sharedPool(mode);
  for (auto _ : state) {
    PooledBuffer lease = pool.acquire(next(), AllocationZone::Heap);
    keep(lease->data());
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Next>
void mimallocPair(benchmark::State& state, Next next) {
  for (auto _ : state) {
    void* p = mi_malloc(next());
    keep(p);
    mi_free(p);
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Next>
void mallocPair(benchmark::State& state, Next next) {
  for (auto _ : state) {
    void* p = std::malloc(next());
    keep(p);
    std::free(p);
  }
  state.SetItemsProcessed(state.iterations());
}

#if defined(ZB_POOL_BENCH_PMR)
template <class Resource, class Next>
void pmrPair(benchmark::State& state, Resource& resource, Next next) {
  for (auto _ : state) {
    const std::size_t n = next();
    void* p = resource.allocate(n, 16);
    keep(p);
    resource.deallocate(p, n, 16);
  }
  state.SetItemsProcessed(state.iterations());
}

// pmr pools with largest_required_pool_block covering 64 KiB, so both pool
// the whole mixed range as BufferPool does.
std::pmr::pool_options pmrOptions() { return {0, 64 * 1024}; }

std::pmr::synchronized_pool_resource& sharedSyncPmr() {
  static std::pmr::synchronized_pool_resource r(pmrOptions());
  return r;
}
#endif

struct Fixed {
  std::size_t n;
  std::size_t operator()() const noexcept { return n; }
};
struct Mixed {
  const std::vector<std::size_t>* sizes = &mixedSizes();
  std::size_t i = 0;
  std::size_t operator()() noexcept { return (*sizes)[i++ & 4095]; }
};

template <class Next>
void registerSingleThreaded(const std::string& prefix, Next next) {
  add(prefix + "pool_withBuffer", [next](benchmark::State& s) { poolWithBuffer(s, ThreadingMode::SingleThreaded, next); });
  add(prefix + "pool_lease", [next](benchmark::State& s) { poolLease(s, ThreadingMode::SingleThreaded, next); });
  add(prefix + "pool_mt_withBuffer", [next](benchmark::State& s) { poolWithBuffer(s, ThreadingMode::MultiThreaded, next); });
  add(prefix + "mimalloc", [next](benchmark::State& s) { mimallocPair(s, next); });
  add(prefix + "malloc", [next](benchmark::State& s) { mallocPair(s, next); });
#if defined(ZB_POOL_BENCH_PMR)
  add(prefix + "pmr_unsync", [next](benchmark::State& s) {
    std::pmr::unsynchronized_pool_resource r(pmrOptions());
    pmrPair(s, r, next);
  });
  add(prefix + "pmr_sync", [next](benchmark::State& s) {
    std::pmr::synchronized_pool_resource r(pmrOptions());
    pmrPair(s, r, next);
  });
#endif
}

// A WASM build without -pthread cannot start a second thread (std::thread
// throws), so only the threaded builds register the 2-thread runs.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
constexpr int kThreadCounts[] = {1};
#else
constexpr int kThreadCounts[] = {1, 2};
#endif

// Leak detection's cost: the same hit cycle at each level, as a user's
// function would run it (the pool by reference, the pointer escaping).
PoolConfig leakConfig(LeakDetectionLevel level, std::uint32_t every) {
  PoolConfig c;
  c.leakDetection = {level, every};
  return c;
}

ZONEBUF_NOINLINE void leaseCycle(BufferPool& pool) {
  PooledBuffer lease = pool.acquire(k1KiB, AllocationZone::Heap);
  keep(lease->data());
}

ZONEBUF_NOINLINE void withBufferCycle(BufferPool& pool) {
  pool.withBuffer(k1KiB, AllocationZone::Heap, [](PlatformBuffer& b) { keep(b.data()); });
}

// Each level's pool is built when its run starts, in the same frame and from
// the same allocator state, so every level's pool object, lists and nodes
// sit at the same addresses: with one static pool per level the rows
// differed by placement alone, up to 10% in either direction between runs
// of one binary.
template <void (*kCycle)(BufferPool&)>
void leakCycles(benchmark::State& state, LeakDetectionLevel level, std::uint32_t every) {
  BufferPool pool{leakConfig(level, every)};
  for (auto _ : state) kCycle(pool);
  state.SetItemsProcessed(state.iterations());
}

// A level against disabled in alternating chunks: a 2% target is far inside
// what two rows measured apart differ by on this host (their A/A control
// read 0.89x-1.42x), not inside what two chunks microseconds apart do. Each
// side keeps kCopies pools, built in turn, so their objects, lists and nodes
// sit at many placements (support/paired.hpp).
template <void (*kCycle)(BufferPool&)>
void leakPaired(benchmark::State& state, LeakDetectionLevel level, std::uint32_t every) {
  constexpr std::size_t kCopies = 15;
  std::vector<std::unique_ptr<BufferPool>> workload, baseline;
  for (std::size_t i = 0; i < kCopies; ++i) {
    workload.push_back(std::make_unique<BufferPool>(leakConfig(level, every)));
    baseline.push_back(std::make_unique<BufferPool>(
        leakConfig(LeakDetectionLevel::Disabled, LeakDetectionConfig::kDefaultSampleEvery)));
  }
  pairedChunks(
      state, [&](std::size_t chunk) { kCycle(*workload[chunk % kCopies]); },
      [&](std::size_t chunk) { kCycle(*baseline[chunk % kCopies]); });
}

struct LeakLevel {
  const char* name;
  LeakDetectionLevel level;
  std::uint32_t every;
};

void registerLeakLevels() {
  constexpr LeakDetectionConfig kDefault{};
  static constexpr LeakLevel levels[] = {{"disabled", LeakDetectionLevel::Disabled, kDefault.sampleEvery},
                                         {"sampled1in128", LeakDetectionLevel::Sampled, 128},
                                         {"paranoid", LeakDetectionLevel::Paranoid, 1}};
  for (const LeakLevel& l : levels) {
    add(std::string("pool/leaks/lease/") + l.name,
        [l](benchmark::State& s) { leakCycles<leaseCycle>(s, l.level, l.every); });
    add(std::string("pool/leaks/withBuffer/") + l.name,
        [l](benchmark::State& s) { leakCycles<withBufferCycle>(s, l.level, l.every); });
  }
  static constexpr LeakLevel paired[] = {{"default", kDefault.level, kDefault.sampleEvery},
                                         {"disabled_again", LeakDetectionLevel::Disabled, kDefault.sampleEvery}};
  for (const LeakLevel& l : paired) {
    add(std::string("pool/leaks_paired/lease/") + l.name,
        [l](benchmark::State& s) { leakPaired<leaseCycle>(s, l.level, l.every); });
    add(std::string("pool/leaks_paired/withBuffer/") + l.name,
        [l](benchmark::State& s) { leakPaired<withBufferCycle>(s, l.level, l.every); });
  }
}

ZB_BENCH_REGISTRATION {
  registerLeakLevels();
  registerSingleThreaded("pool/hit1KiB/", Fixed{k1KiB});
  registerSingleThreaded("pool/mixed/", Mixed{});
  for (int threads : kThreadCounts) {
    add("pool/mt1KiB/pool_mt_withBuffer",
        [](benchmark::State& s) { poolWithBuffer(s, ThreadingMode::MultiThreaded, Fixed{k1KiB}); })
        ->Threads(threads)
        ->UseRealTime();
    add("pool/mt1KiB/mimalloc", [](benchmark::State& s) { mimallocPair(s, Fixed{k1KiB}); })
        ->Threads(threads)
        ->UseRealTime();
    add("pool/mt1KiB/malloc", [](benchmark::State& s) { mallocPair(s, Fixed{k1KiB}); })->Threads(threads)->UseRealTime();
#if defined(ZB_POOL_BENCH_PMR)
    add("pool/mt1KiB/pmr_sync", [](benchmark::State& s) { pmrPair(s, sharedSyncPmr(), Fixed{k1KiB}); })
        ->Threads(threads)
        ->UseRealTime();
#endif
    add("pool/mtMixed/pool_mt_withBuffer",
        [](benchmark::State& s) { poolWithBuffer(s, ThreadingMode::MultiThreaded, Mixed{}); })
        ->Threads(threads)
        ->UseRealTime();
    add("pool/mtMixed/mimalloc", [](benchmark::State& s) { mimallocPair(s, Mixed{}); })->Threads(threads)->UseRealTime();
  }
}

}  // namespace
}  // namespace zonebuf::bench
