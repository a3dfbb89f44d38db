// Runs one candidate allocator over the workloads and measures it (CPU time
// per operation). Each
// candidate runs in a forked child process, so its memory high-water mark is
// its own (VmHWM minus the RSS at the start) and global allocator state (the
// linear arenas, mimalloc's heaps) starts fresh for every candidate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "replay_workload.hpp"
#include "zonebuf/pool/pool_config.hpp"

namespace zonebuf::replay {

struct Candidate {
  enum class Kind { Zone, Pool, Mimalloc, PmrUnsync };
  Kind kind;
  std::string name;                 // "zone:Heap", "pool:fast.json", "mimalloc", "pmr_unsync"
  AllocationZone zone = AllocationZone::Heap;  // Zone: the zone every request goes to
  std::optional<PoolConfig> config;            // Pool
};

struct Measurement {
  std::string name;
  double nsPerOp = 0;
  std::size_t peakBytes = 0;
  std::size_t passes = 0;
  bool best = false;  // the fastest pool config
};

// Repeats whole passes (every thread runs its workload once per pass, all
// threads at once) until minSeconds have passed. Throws std::runtime_error if
// the child fails (its message included).
Measurement measure(const Candidate& c, const std::vector<Workload>& workloads, double minSeconds);

}  // namespace zonebuf::replay
