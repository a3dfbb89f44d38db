// The linear allocator's last resort before OutOfMemoryError: drain the
// pools' idle memory (detail/reclaim_registry.hpp), give the calling
// thread's wholly free spans back to the global arena, merge them with their
// free neighbours in the same chunk, and let the caller retry once.
//
// Only the calling thread's arena is compacted: another thread's arena
// belongs to that thread (thread_arena.hpp), so memory a drain frees into it
// serves that thread's next allocations, not this one.
#include "linear_reclaim.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include "linear_arena_internal.hpp"
#include "zonebuf/allocators/detail/reclaim_registry.hpp"

namespace zonebuf::detail {

namespace {

struct DrainNote {
  bool active = false;
  std::size_t usedBefore = 0;
  Reclaimed drained;
};
constinit thread_local DrainNote tNote{};

std::size_t usedIn(const GlobalArena& ga) noexcept {
  std::size_t used = 0;
  for (const ThreadArena* a : ga.arenas) used += a->used.get();
  return used;
}

const Chunk* chunkOf(const GlobalArena& ga, const std::byte* p) noexcept {
  for (const Chunk& c : ga.chunks)
    if (p >= c.base && p < c.base + c.size) return &c;
  return nullptr;
}

// Sorts `spans` and joins neighbours of one chunk (a span never crosses
// chunks: SharedMemory handles map chunk by chunk).
void mergeSpans(const GlobalArena& ga, std::vector<Span>& spans) noexcept {
  std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) { return x.begin < y.begin; });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (kept != 0) {
      Span& last = spans[kept - 1];
      const Chunk* c = chunkOf(ga, last.begin);
      if (last.end == spans[i].begin && c != nullptr && spans[i].begin < c->base + c->size) {
        last.end = spans[i].end;
        continue;
      }
    }
    spans[kept++] = spans[i];
  }
  spans.resize(kept);
}

// The largest free region the arena would have with `extra` spans freed too
// (the newest chunk's uncarved rest included). Throws std::bad_alloc.
std::size_t largestFreeWith(const GlobalArena& ga, const std::vector<Span>& extra) {
  std::vector<Span> all(ga.freeSpans);
  all.insert(all.end(), extra.begin(), extra.end());
  if (ga.chunkTop != ga.chunkEnd) all.push_back(Span{ga.chunkTop, ga.chunkEnd});
  mergeSpans(ga, all);
  std::size_t most = 0;
  for (const Span& sp : all) most = std::max(most, static_cast<std::size_t>(sp.end - sp.begin));
  return most;
}

// Merges the free spans and folds the one that ends where the newest chunk's
// uncarved rest begins into that rest.
void mergeFreeSpans(GlobalArena& ga) noexcept {
  mergeSpans(ga, ga.freeSpans);
  if (ga.chunkEnd == nullptr) return;
  const Chunk* newest = chunkOf(ga, ga.chunkEnd - 1);
  const auto touching = std::find_if(ga.freeSpans.begin(), ga.freeSpans.end(), [&](const Span& sp) {
    return sp.end == ga.chunkTop && chunkOf(ga, sp.begin) == newest;
  });
  if (touching == ga.freeSpans.end()) return;
  ga.chunkTop = touching->begin;
  ga.freeSpans.erase(touching);
}

// Moves every span of `a` whose bytes are all free (free-listed, or the
// unused rest of the current span) to the global arena's free spans, if that
// makes a free region of at least `need` bytes (else nothing moves, so a
// retry that would fail anyway leaves the arena's layout as it was). Owner
// thread. Returns the number of spans moved; throws std::bad_alloc, having
// changed nothing, if its scratch space cannot be had.
std::size_t returnFreeSpans(ThreadArena* a, LinearGlobal& g, std::size_t need) {
  const std::size_t n = a->spans.size();
  if (a->activeScopes != 0 || n == 0) return 0;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [a](std::size_t x, std::size_t y) { return a->spans[x].begin < a->spans[y].begin; });
  auto spanOf = [&](const std::byte* p) -> std::ptrdiff_t {
    auto it = std::upper_bound(order.begin(), order.end(), p,
                               [a](const std::byte* q, std::size_t i) { return q < a->spans[i].begin; });
    if (it == order.begin()) return -1;
    const std::size_t i = *(it - 1);
    return p < a->spans[i].end ? static_cast<std::ptrdiff_t>(i) : -1;
  };
  std::vector<std::size_t> freeBytes(n, 0);
  for (unsigned cls = 0; cls < kClassCount; ++cls)
    for (FreeNode* f = a->freeLists[cls]; f != nullptr; f = nextOf(f)) {
      const std::ptrdiff_t i = spanOf(reinterpret_cast<std::byte*>(f));
      if (i >= 0) freeBytes[static_cast<std::size_t>(i)] += classSize(cls);
    }
  std::vector<bool> whole(n);
  std::size_t moving = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Span& s = a->spans[i];
    const bool current = static_cast<std::ptrdiff_t>(i) == a->currentSpan;
    whole[i] = freeBytes[i] == static_cast<std::size_t>((current ? a->top : s.end) - s.begin);
    moving += whole[i];
  }
  if (moving == 0) return 0;
  std::vector<Span> freed;
  freed.reserve(moving);
  for (std::size_t i = 0; i < n; ++i)
    if (whole[i]) freed.push_back(a->spans[i]);
  std::lock_guard lock(g.mutex);
  GlobalArena& ga = g.arenas[a->arenaIndex];
  if (largestFreeWith(ga, freed) < need) return 0;
  ga.freeSpans.reserve(ga.freeSpans.size() + moving);  // the last thing that may throw
  // Unlink the moving spans' blocks from the free lists (they stay poisoned).
  std::size_t unlinked = 0;
  for (unsigned cls = 0; cls < kClassCount; ++cls) {
    FreeNode* kept = nullptr;
    for (FreeNode* f = a->freeLists[cls]; f != nullptr;) {
      FreeNode* next = nextOf(f);
      const std::ptrdiff_t i = spanOf(reinterpret_cast<std::byte*>(f));
      if (i < 0 || !whole[static_cast<std::size_t>(i)]) {
        kept = f;
      } else {
        unlinked += classSize(cls);
        if (kept != nullptr) setNext(kept, next); else a->freeLists[cls] = next;
      }
      f = next;
    }
  }
  a->freeListBytes.sub(unlinked);
  std::size_t out = 0;
  std::ptrdiff_t current = a->currentSpan;
  for (std::size_t i = 0; i < n; ++i) {
    const Span s = a->spans[i];
    if (!whole[i]) {
      if (static_cast<std::ptrdiff_t>(i) == a->currentSpan) current = static_cast<std::ptrdiff_t>(out);
      a->spans[out++] = s;
      continue;
    }
    if (static_cast<std::ptrdiff_t>(i) == a->currentSpan) {
      current = -1;
      a->top = a->end = nullptr;
    }
    ga.freeSpans.push_back(s);
    ga.carved -= static_cast<std::size_t>(s.end - s.begin);
  }
  a->spans.resize(out);
  a->currentSpan = current;
  mergeFreeSpans(ga);
  return moving;
}

}  // namespace

bool reclaimForRetry(std::size_t size, AllocationZone zone) {
  LinearGlobal& g = linearGlobal();
  const unsigned idx = arenaIndexOf(zone);
  std::size_t usedBefore = 0;
  {
    std::lock_guard lock(g.mutex);
    if (size > kMaxClassSize || classSize(sizeClassOf(size)) > (g.maxSizeMB << 20)) return false;  // never fits
    usedBefore = usedIn(g.arenas[idx]);
  }
  const Reclaimed drained = reclaimIdle(zone);
  std::size_t spans = 0;
  ThreadArena* a = tlsArena[idx];
  if (a != &gEmptyArena) {
    drainRemote(a);
    try {
      spans = returnFreeSpans(a, g, classSize(sizeClassOf(size)));
    } catch (const std::bad_alloc&) {
      spans = 0;  // no scratch space: the retry sees the arena as it was
    }
  }
  if (drained.bytes == 0 && spans == 0) return false;
  tNote = {true, usedBefore, drained};
  return true;
}

RetryAfterReclaim::~RetryAfterReclaim() { tNote = {}; }

std::string describeInUse(std::size_t usedNow) {
  if (!tNote.active || tNote.drained.bytes == 0) return std::to_string(usedNow) + " bytes in use";
  return std::to_string(tNote.usedBefore) + " bytes in use, of which " + std::to_string(tNote.drained.bytes) +
         " idle in " + std::to_string(tNote.drained.sources) + " pool(s) and drained before failing";
}

}  // namespace zonebuf::detail
