#include "replay_workload.hpp"

#include <unordered_map>

namespace zonebuf::replay {

std::vector<Workload> workloadsOf(const TraceFile& trace) {
  std::vector<Workload> w(trace.threadCount);
  struct Where {
    std::uint16_t thread;
    std::uint32_t slot;
  };
  std::unordered_map<std::uint32_t, Where> live;
  std::vector<std::vector<std::uint32_t>> freeSlots(trace.threadCount);
  for (const TraceRecord& r : trace.records) {
    if (r.kind == TraceRecord::Kind::Acquire) {
      Workload& t = w[r.thread];
      std::uint32_t slot;
      if (!freeSlots[r.thread].empty()) {
        slot = freeSlots[r.thread].back();
        freeSlots[r.thread].pop_back();
      } else {
        slot = static_cast<std::uint32_t>(t.slots++);
      }
      live[r.id] = {r.thread, slot};
      t.ops.push_back({true, r.zone, slot, static_cast<std::size_t>(r.value)});
    } else {
      const Where at = live.at(r.id);  // readTrace guarantees it is live
      live.erase(r.id);
      w[at.thread].ops.push_back({false, r.zone, at.slot, 0});
      freeSlots[at.thread].push_back(at.slot);
    }
  }
  for (const auto& [id, at] : live) w[at.thread].ops.push_back({false, AllocationZone::Heap, at.slot, 0});
  return w;
}

std::size_t totalOps(const std::vector<Workload>& w) {
  std::size_t n = 0;
  for (const Workload& t : w) n += t.ops.size();
  return n;
}

}  // namespace zonebuf::replay
