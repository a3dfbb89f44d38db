#include "pool_shared.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <new>

namespace zonebuf::detail {

PoolShared::PoolShared(ThreadingMode m, std::vector<std::size_t> sizes, std::vector<std::uint32_t> caps,
                       std::size_t maxRetainedBytes)
    : mode(m),
      classSize(std::move(sizes)),
      lists(std::make_unique<FreeList[]>(classSize.size())),
      maxRetained(maxRetainedBytes),
      book(classSize.size()),
      retired(classSize.size()) {
  for (std::size_t i = 0; i < classSize.size(); ++i) lists[i].maxCount = caps[i];
  registry.allPrev = registry.allNext = &registry;
}

void PoolShared::link(PoolNode* n) noexcept {
  n->allNext = registry.allNext;
  n->allPrev = &registry;
  registry.allNext->allPrev = n;
  registry.allNext = n;
}

void PoolShared::adoptNew(PoolNode* n) noexcept {
  link(n);
  Book& b = book[n->listIndex()];
  b.misses++;
  b.peakLive = std::max(b.peakLive, ++b.live);
  peakLiveTotal = std::max(peakLiveTotal, ++liveTotal);
}

void PoolShared::retire(PoolNode* n, PoolNode*& doomed) noexcept {
  n->allPrev->allNext = n->allNext;
  n->allNext->allPrev = n->allPrev;
  if (!n->oversize()) {
    book[n->listIndex()].live--;
    liveTotal--;
  }
  n->next = doomed;
  doomed = n;
}

void PoolShared::stash(PoolNode* n, PoolNode*& doomed) noexcept {
  FreeList& list = lists[n->listIndex()];
  if (!list.makeRoom() || retained + n->capacity > maxRetained) {
    retireIdle(n, doomed);
    return;
  }
  list.push(n);
  retained += n->capacity;
}

std::size_t PoolShared::retireList(FreeList& list, PoolNode*& doomed) noexcept {
  std::size_t bytes = 0;
  while (PoolNode* n = list.pop()) {
    bytes += n->capacity;
    retireIdle(n, doomed);
    trimmed++;
  }
  list.restartLowWater();
  return bytes;
}

std::size_t PoolShared::retireLowWater(FreeList& list, PoolNode*& doomed) noexcept {
  std::size_t bytes = 0;
  list.syncLowWater();
  for (std::uint32_t k = list.lowWater; k > 0; --k) {
    PoolNode* n = list.pop();
    if (n == nullptr) break;
    bytes += n->capacity;
    retireIdle(n, doomed);
    trimmed++;
  }
  list.restartLowWater();
  return bytes;
}

void PoolShared::absorbCache(LocalCache* cache, PoolNode*& doomed) noexcept {
  for (std::size_t i = 0; i < listCount(); ++i) {
    FreeList& list = cache->lists[i];
    while (PoolNode* n = list.pop()) stash(n, doomed);
    retired.lists[i].acquisitions.bump(list.acquisitions.get());
  }
  cache->acquiredBytes = cache->releasedBytes;
  caches.erase(std::remove(caches.begin(), caches.end(), cache), caches.end());
}

void PoolShared::freeChain(PoolNode* doomed) noexcept {
  while (doomed != nullptr) {
    PoolNode* next = doomed->next;
    delete doomed;
    doomed = next;
  }
}

void FreeList::growSlots() noexcept {
  const std::uint32_t most = maxCount == 0 ? 0 : maxCount - 1;
  if (cap >= most) return;
  const auto next = static_cast<std::uint32_t>(std::min<std::uint64_t>(std::max<std::uint64_t>(std::uint64_t{cap} * 2, 8), most));
  std::unique_ptr<PoolNode*[]> grown(new (std::nothrow) PoolNode*[next]);
  if (!grown) return;  // no room: the caller frees the buffer instead of pooling it
  std::copy_n(slots.get(), count.load(), grown.get());
  slots = std::move(grown);
  cap = next;
}

void initCache(LocalCache& cache, const std::vector<std::uint32_t>& caps, const std::array<std::size_t, kZoneCount>& zoneBase,
               std::size_t retainedCap, bool zeroOnRelease, std::uint64_t tickPeriod) noexcept {
  for (std::size_t i = 0; i < caps.size(); ++i) {
    cache.lists[i].maxCount = caps[i];
    cache.lists[i].tickAt = tickPeriod;
  }
  for (int z = 0; z < kZoneCount; ++z) cache.zoneLists[z] = cache.lists.get() + zoneBase[z];
  cache.retainedCap = retainedCap;
  cache.releaseLimit = zeroOnRelease ? 0 : retainedCap;
  cache.epochStartMillis = nowMillis();
}

std::uint64_t nowMillis() noexcept {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

}  // namespace zonebuf::detail
