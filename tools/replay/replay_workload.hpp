// A trace turned into what each replay thread runs: its operations in
// recorded order, with ids made dense (slot indexes) so a replay keeps live
// allocations in a plain array.
//
// Invariants: one Workload per recorded thread; every Release names the slot
// of an earlier Acquire of the same workload; acquisitions the trace never
// released are released at the end of the workload, so a pass leaves nothing
// live and passes can repeat. A release recorded on another thread than its
// acquisition is replayed by the acquiring thread (no cross-thread handoff).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/pool/pool_trace.hpp"

namespace zonebuf::replay {

struct Op {
  bool acquire;
  AllocationZone zone;
  std::uint32_t slot;
  std::size_t size;  // acquire only
};

struct Workload {
  std::vector<Op> ops;
  std::size_t slots = 0;
};

std::vector<Workload> workloadsOf(const TraceFile& trace);
std::size_t totalOps(const std::vector<Workload>& w);

}  // namespace zonebuf::replay
