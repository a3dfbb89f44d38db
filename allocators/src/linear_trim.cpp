// Giving linear-arena memory back (LinearMemoryAllocator::trim) and reusing
// what was given back (takeFreeSpan, acquireSpan's first step).
//
// trim() moves into GlobalArena::trimmedSpans, for each zone:
//  - the free blocks of the calling thread's arena (after draining the blocks
//    other threads released to it) and of exited threads' arenas that lie
//    next to each other in runs of at least kTrimMinBytes; shorter runs stay
//    on their free lists, resident, so small frees never cost a syscall and
//    their reuse never costs a page fault;
//  - every span in freeSpans (returned by Scopes, old chunk tails).
// Entries touching each other are merged, and the whole pages of each go back
// to the system (releasePages; nothing in WebAssembly). The walk sorts the
// arena's free blocks: O(n log n) in their number, once per trim() call.
#include <algorithm>
#include <iterator>
#include <mutex>
#include <new>
#include <vector>

#include "linear_arena_internal.hpp"

namespace zonebuf {
namespace detail {
namespace {

struct FreeBlock {
  std::byte* at;
  unsigned cls;  // kClassCount once taken into a run
};

// Adds s to ga.trimmedSpans, merged with the entries it touches, and gives
// back the pages of the merged range (those already given back cost the
// system nothing). Needs a spare slot of capacity.
void giveBack(GlobalArena& ga, unsigned idx, Span s) noexcept {
  std::vector<Span>& v = ga.trimmedSpans;
  auto next = std::lower_bound(v.begin(), v.end(), s.begin, [](const Span& x, const std::byte* p) { return x.begin < p; });
  const bool joinsPrev = next != v.begin() && std::prev(next)->end == s.begin;
  const bool joinsNext = next != v.end() && next->begin == s.end;
  if (joinsPrev) {
    auto prev = std::prev(next);
    ga.released -= wholePageBytes(prev->begin, prev->end);
    s.begin = prev->begin;
    next = v.erase(prev);
  }
  if (joinsNext) {
    ga.released -= wholePageBytes(next->begin, next->end);
    s.end = next->end;
    next = v.erase(next);
  }
  ZONEBUF_ASSERT(v.size() < v.capacity(), "giveBack needs a reserved slot");
  v.insert(next, s);
  releasePages(idx, s.begin, s.end);
  ga.released += wholePageBytes(s.begin, s.end);
}

// Gives back a's free runs of at least kTrimMinBytes. Owner-side state of
// `a`: the caller is its owner, or holds the mutex over an abandoned arena.
// Everything that allocates comes first: if it throws, nothing changed.
void trimArena(GlobalArena& ga, unsigned idx, ThreadArena* a) {
  // Fewer free bytes than one run needs: no run exists, and the walk (a sort
  // and two allocations) would find none. Pools call trim() often.
  if (a->freeListBytes.get() < LinearMemoryAllocator::kTrimMinBytes) return;
  std::size_t count = 0;
  for (FreeNode* head : a->freeLists)
    for (FreeNode* n = head; n != nullptr; n = nextOf(n)) ++count;
  std::vector<FreeBlock> blocks;
  blocks.reserve(count);
  for (unsigned cls = 0; cls < kClassCount; ++cls)
    for (FreeNode* n = a->freeLists[cls]; n != nullptr; n = nextOf(n))
      blocks.push_back({reinterpret_cast<std::byte*>(n), cls});
  std::sort(blocks.begin(), blocks.end(), [](const FreeBlock& x, const FreeBlock& y) { return x.at < y.at; });
  std::vector<Span> runs;
  std::size_t taken = 0;
  for (std::size_t i = 0; i < blocks.size();) {
    std::byte* end = blocks[i].at + classSize(blocks[i].cls);
    std::size_t j = i + 1;
    for (; j < blocks.size() && blocks[j].at == end; ++j) end += classSize(blocks[j].cls);
    if (static_cast<std::size_t>(end - blocks[i].at) >= LinearMemoryAllocator::kTrimMinBytes) {
      runs.push_back(Span{blocks[i].at, end});
      taken += static_cast<std::size_t>(end - blocks[i].at);
      for (std::size_t k = i; k < j; ++k) blocks[k].cls = kClassCount;
    }
    i = j;
  }
  if (runs.empty()) return;  // the lists keep their order
  ga.trimmedSpans.reserve(ga.trimmedSpans.size() + runs.size());
  // Relinked from the highest address down, so each list hands out its lowest block first.
  std::fill(std::begin(a->freeLists), std::end(a->freeLists), nullptr);
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) {
    if (it->cls == kClassCount) continue;
    auto* node = reinterpret_cast<FreeNode*>(it->at);
    setNext(node, a->freeLists[it->cls]);
    a->freeLists[it->cls] = node;
  }
  a->freeListBytes.sub(taken);
  ga.carved -= taken;
  for (const Span& r : runs) giveBack(ga, idx, r);
}

void trimZone(GlobalArena& ga, unsigned idx) {
  if (tlsArena[idx] != &gEmptyArena) trimArena(ga, idx, tlsArena[idx]);
  for (ThreadArena* a : ga.abandoned) trimArena(ga, idx, a);
  ga.trimmedSpans.reserve(ga.trimmedSpans.size() + ga.freeSpans.size());
  for (const Span& s : ga.freeSpans) giveBack(ga, idx, s);
  ga.freeSpans.clear();
}

}  // namespace

bool takeFreeSpan(GlobalArena& ga, std::size_t minBytes, std::size_t wantBytes, Span& out) noexcept {
  auto fits = [&](const Span& s) { return static_cast<std::size_t>(s.end - s.begin) >= minBytes; };
  if (auto it = std::find_if(ga.freeSpans.begin(), ga.freeSpans.end(), fits); it != ga.freeSpans.end()) {
    out = takeFrom(it->begin, it->end, wantBytes);
    if (it->begin == it->end) ga.freeSpans.erase(it);
  } else if (it = std::find_if(ga.trimmedSpans.begin(), ga.trimmedSpans.end(), fits); it != ga.trimmedSpans.end()) {
    // What is left keeps its pages given back; the ones taken come back on first touch.
    const std::size_t before = wholePageBytes(it->begin, it->end);
    out = takeFrom(it->begin, it->end, wantBytes);
    ga.released -= before - wholePageBytes(it->begin, it->end);
    if (it->begin == it->end) ga.trimmedSpans.erase(it);
  } else {
    return false;
  }
  ga.carved += static_cast<std::size_t>(out.end - out.begin);
  return true;
}

}  // namespace detail

using namespace detail;

void LinearMemoryAllocator::trim() noexcept {
  for (ThreadArena* a : tlsArena)
    if (a != &gEmptyArena) drainRemote(a);
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  for (unsigned idx = 0; idx < kArenaCount; ++idx) {
    try {
      trimZone(g.arenas[idx], idx);
    } catch (const std::bad_alloc&) {
      // No memory for the bookkeeping: this zone gives nothing back this time.
    }
  }
}

}  // namespace zonebuf
