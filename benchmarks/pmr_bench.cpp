// Standard containers on zonebuf's memory resources against the standard
// library's own. One op:
//   pmr/vector_growth/<resource>  a pmr::vector<char> grown by doubling
//                                 appends from 16 B to 64 KiB, then destroyed
//                                 (13 reallocations, each copying the bytes)
//   pmr/map_churn/<resource>      one insert + one erase on a
//                                 pmr::unordered_map<int, int> of 1024 keys
//                                 (16-byte nodes; the buckets stay put)
//   pmr/list_churn/<resource>     one push_back + one pop_front on a
//                                 pmr::list<int> of 1024 nodes (24-byte nodes)
// Churn ops run in sessions of kSessionOps on a container built and
// destroyed per benchmark iteration, so monotonic_buffer_resource can
// release() after each session (as it is meant to be used) and nobody's
// memory grows without bound.
// Resources: pool (PoolMemoryResource over a default SingleThreaded pool,
// Heap zone), pool_nosmall (the same with its small-object lists off: every
// node a pool lease), zone_Direct / zone_Heap (ZoneMemoryResource),
// pmr_unsync (unsynchronized_pool_resource), pmr_monotonic
// (monotonic_buffer_resource over new_delete) and new_delete.
// Emscripten 3.1.6's libc++ has no <memory_resource>: native build only.
#include <benchmark/benchmark.h>

#include <list>
#include <memory>
#include <memory_resource>
#include <string>
#include <unordered_map>
#include <vector>

#include "support/keep.hpp"
#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

constexpr int kKeys = 1024;
constexpr int kSessionOps = 16 * 1024;

// Called once per session: monotonic memory goes back; the others keep theirs.
void endSession(std::pmr::memory_resource& r) {
  if (auto* m = dynamic_cast<std::pmr::monotonic_buffer_resource*>(&r)) m->release();
}

ZONEBUF_NOINLINE void vectorGrowth(benchmark::State& state, std::pmr::memory_resource& r) {
  static const std::vector<char> bytes(64 * 1024, 'v');
  for (auto _ : state) {
    {
      std::pmr::vector<char> v(&r);
      v.insert(v.end(), bytes.begin(), bytes.begin() + 16);
      while (v.size() < bytes.size()) v.insert(v.end(), bytes.begin(), bytes.begin() + static_cast<long>(v.size()));
      keep(v.data());
    }
    endSession(r);
  }
  state.SetItemsProcessed(state.iterations());
}

ZONEBUF_NOINLINE void mapChurn(benchmark::State& state, std::pmr::memory_resource& r) {
  for (auto _ : state) {
    {
      std::pmr::unordered_map<int, int> m(&r);
      m.reserve(2 * kKeys);
      for (int k = 0; k < kKeys; ++k) m.emplace(k, k);
      for (int k = kKeys; k < kKeys + kSessionOps; ++k) {
        m.emplace(k, k);
        m.erase(k - kKeys);
      }
      keep(m.size());
    }
    endSession(r);
  }
  state.SetItemsProcessed(state.iterations() * kSessionOps);
}

ZONEBUF_NOINLINE void listChurn(benchmark::State& state, std::pmr::memory_resource& r) {
  for (auto _ : state) {
    {
      std::pmr::list<int> l(&r);
      for (int k = 0; k < kKeys; ++k) l.push_back(k);
      for (int k = 0; k < kSessionOps; ++k) {
        l.push_back(k);
        keep(&l.back());
        l.pop_front();
      }
    }
    endSession(r);
  }
  state.SetItemsProcessed(state.iterations() * kSessionOps);
}

BufferPool& benchPool() {
  static BufferPool pool;
  return pool;
}

template <class Make>
void registerResource(const std::string& name, Make make) {
  using Workload = void (*)(benchmark::State&, std::pmr::memory_resource&);
  const std::pair<const char*, Workload> workloads[] = {
      {"vector_growth", &vectorGrowth}, {"map_churn", &mapChurn}, {"list_churn", &listChurn}};
  for (const auto& [workload, fn] : workloads) {
    add(std::string("pmr/") + workload + "/" + name, [make, fn = fn](benchmark::State& s) {
      auto r = make();
      fn(s, *r);
    });
  }
}

ZB_BENCH_REGISTRATION {
  registerResource("pool", [] { return std::make_shared<PoolMemoryResource>(benchPool(), AllocationZone::Heap); });
  registerResource("pool_nosmall",
                   [] { return std::make_shared<PoolMemoryResource>(benchPool(), AllocationZone::Heap, 0); });
  registerResource("zone_Direct", [] { return std::make_shared<ZoneMemoryResource>(AllocationZone::Direct); });
  registerResource("zone_Heap", [] { return std::make_shared<ZoneMemoryResource>(AllocationZone::Heap); });
  registerResource("pmr_unsync", [] { return std::make_shared<std::pmr::unsynchronized_pool_resource>(); });
  registerResource("pmr_monotonic", [] { return std::make_shared<std::pmr::monotonic_buffer_resource>(); });
  // The process-wide resource, never destroyed: a shared_ptr that deletes nothing.
  registerResource("new_delete", [] {
    return std::shared_ptr<std::pmr::memory_resource>(std::pmr::new_delete_resource(), [](auto*) {});
  });
}

}  // namespace
}  // namespace zonebuf::bench
