// LinearMemoryAllocator::Scope: mark the calling thread's arena, rewind it at
// the end if every block allocated since is free again.
#include <mutex>

#include "linear_arena_internal.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"

namespace zonebuf {

using namespace detail;

LinearMemoryAllocator::Scope::Scope(AllocationZone zone)
    : arena_(ensureArena(arenaIndexOf(zone))),
      markTop_(arena_->top),
      markSpan_(arena_->currentSpan),
      markSpanCount_(arena_->spans.size()) {
  ++arena_->activeScopes;
}

LinearMemoryAllocator::Scope::~Scope() {
  ThreadArena* a = arena_;
  --a->activeScopes;
  if (tlsArena[a->arenaIndex] != a) return;  // reset by a test hook, or the wrong thread: leave it alone
  drainRemote(a);

  // Blocks from below the mark were released inside the scope and the bump
  // pointer fell under the mark: the byte count below would wrap (and could
  // cancel against spans taken since), so rewind nothing, which is always safe.
  if (markSpan_ >= 0 && a->currentSpan == markSpan_ && a->top < markTop_) {
    a->scopeOverruns.add(1);
    return;
  }
  const std::byte* markEnd = markSpan_ >= 0 ? a->spans[static_cast<std::size_t>(markSpan_)].end : nullptr;
  auto inRegion = [&](const std::byte* p) {
    if (p >= markTop_ && p < markEnd) return true;
    for (std::size_t i = markSpanCount_; i < a->spans.size(); ++i)
      if (p >= a->spans[i].begin && p < a->spans[i].end) return true;
    return false;
  };
  // Bytes handed out in the region since the mark (retired span tails were
  // cut into free blocks, so they count as handed out and free).
  std::size_t handedOut = 0;
  if (markSpan_ >= 0) handedOut += static_cast<std::size_t>((a->currentSpan == markSpan_ ? a->top : markEnd) - markTop_);
  for (std::size_t i = markSpanCount_; i < a->spans.size(); ++i) {
    const bool current = static_cast<std::ptrdiff_t>(i) == a->currentSpan;
    handedOut += static_cast<std::size_t>((current ? a->top : a->spans[i].end) - a->spans[i].begin);
  }
  std::size_t freeInRegion = 0;
  for (unsigned cls = 0; cls < kClassCount; ++cls)
    for (FreeNode* n = a->freeLists[cls]; n != nullptr; n = nextOf(n))
      if (inRegion(reinterpret_cast<std::byte*>(n))) freeInRegion += classSize(cls);
  if (freeInRegion != handedOut) {
    // A block from inside the scope is still live: rewinding would hand its
    // memory out twice.
    a->scopeOverruns.add(1);
    return;
  }

  // Unlink the region's blocks (their bytes stay poisoned: the region is
  // reused by bumping, which unpoisons what it hands out).
  for (unsigned cls = 0; cls < kClassCount; ++cls) {
    FreeNode* kept = nullptr;  // the last node that stays on the list
    for (FreeNode* n = a->freeLists[cls]; n != nullptr;) {
      FreeNode* next = nextOf(n);
      if (!inRegion(reinterpret_cast<std::byte*>(n))) {
        kept = n;
      } else if (kept != nullptr) {
        setNext(kept, next);
      } else {
        a->freeLists[cls] = next;
      }
      n = next;
    }
  }
  a->freeListBytes.sub(freeInRegion);
  if (a->spans.size() > markSpanCount_) {
    LinearGlobal& g = linearGlobal();
    std::lock_guard lock(g.mutex);
    GlobalArena& ga = g.arenas[a->arenaIndex];
    for (std::size_t i = markSpanCount_; i < a->spans.size(); ++i) {
      ga.freeSpans.push_back(a->spans[i]);
      ga.carved -= static_cast<std::size_t>(a->spans[i].end - a->spans[i].begin);
    }
    a->spans.resize(markSpanCount_);
  }
  a->currentSpan = markSpan_;
  a->top = markTop_;
  a->end = const_cast<std::byte*>(markEnd);
}

}  // namespace zonebuf
