// The linear arena's test hook (detail/linear_test_hooks.hpp).
#include "zonebuf/allocators/detail/linear_test_hooks.hpp"

#include <algorithm>
#include <iterator>
#include <mutex>

#include "linear_arena_internal.hpp"

namespace zonebuf::detail {

void resetLinearArenaForTesting() {
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  for (unsigned i = 0; i < kArenaCount; ++i) {
    GlobalArena& ga = g.arenas[i];
    unmapChunks(ga);
    ga.chunks.clear();
    ga.freeSpans.clear();
    ga.trimmedSpans.clear();
    ga.released = 0;
    ga.reserved = ga.carved = 0;
    ga.chunkTop = ga.chunkEnd = nullptr;
    ga.abandoned.clear();
    for (ThreadArena* a : ga.arenas) {
      a->top = a->end = nullptr;
      std::fill(std::begin(a->freeLists), std::end(a->freeLists), nullptr);
      for (OwnerCounter<>* c : {&a->used, &a->peak, &a->freeListBytes, &a->allocations, &a->reuses, &a->scopeOverruns,
                                   &a->extensions})
        c->set(0);
      a->remote.store(nullptr);
      a->remoteFrees.store(0);
      a->remoteBytes.store(0);
      a->spans.clear();
      a->currentSpan = -1;
      ga.abandoned.push_back(a);
    }
    tlsArena[i] = &gEmptyArena;
  }
  g.initialSizeMB = LinearMemoryAllocator::kDefaultInitialSizeMB;
  g.maxSizeMB = LinearMemoryAllocator::kDefaultMaxSizeMB;
}

}  // namespace zonebuf::detail
