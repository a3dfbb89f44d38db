// The reclaim registry (detail/reclaim_registry.hpp): a mutex-guarded list of
// sources. The mutex is held across every callback, which is what makes
// removal wait for a reclaim in progress; the lock order is registry ->
// whatever a source locks (its own mutex), and no source calls back in here.
#include "zonebuf/allocators/detail/reclaim_registry.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

namespace zonebuf::detail {

namespace {

struct Source {
  void* source;
  ReclaimFn fn;
};

struct Registry {
  std::mutex mutex;
  std::vector<Source> sources;
};

// Leaked on purpose: pools with static storage unregister after every static
// destructor may have run.
Registry& registry() noexcept {
  static Registry* r = new Registry;
  return *r;
}

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
// One thread, and a linker that rejects the thread-local storage this file
// would otherwise keep (no atomics feature).
constinit void* tOwnCallSource = nullptr;
constinit bool tReclaiming = false;
#else
constinit thread_local void* tOwnCallSource = nullptr;
constinit thread_local bool tReclaiming = false;
#endif

}  // namespace

void addReclaimSource(void* source, ReclaimFn fn) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.sources.push_back({source, fn});
}

void removeReclaimSource(void* source) noexcept {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::erase_if(r.sources, [source](const Source& s) { return s.source == source; });
}

Reclaimed reclaimIdle(AllocationZone zone) noexcept {
  Reclaimed out;
  if (tReclaiming) return out;
  tReclaiming = true;
  Registry& r = registry();
  {
    std::lock_guard lock(r.mutex);
    auto ask = [&](const Source& s, bool own) {
      const std::size_t bytes = s.fn(s.source, zone, own);
      out.bytes += bytes;
      out.sources += bytes != 0;
    };
    void* own = tOwnCallSource;
    const auto first = std::find_if(r.sources.begin(), r.sources.end(), [own](const Source& s) { return s.source == own; });
    if (first != r.sources.end()) ask(*first, true);
    for (auto it = r.sources.begin(); it != r.sources.end(); ++it)
      if (it != first) ask(*it, false);
  }
  tReclaiming = false;
  return out;
}

ReclaimOwnCall::ReclaimOwnCall(void* source) noexcept : previous_(tOwnCallSource) { tOwnCallSource = source; }
ReclaimOwnCall::~ReclaimOwnCall() { tOwnCallSource = previous_; }

}  // namespace zonebuf::detail
