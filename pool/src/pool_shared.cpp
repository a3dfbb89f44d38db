#include "pool_shared.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>

#include "zonebuf/allocators/linear_memory_allocator.hpp"

namespace zonebuf::detail {

PoolShared::PoolShared(PoolConfig c, const ZoneTable& zones, std::size_t listCount)
    : config(std::move(c)),
      tickPeriod(tickPeriodOf(config)),
      book(listCount),
      lists(std::make_unique<FreeList[]>(listCount)),
      retired(listCount) {
  std::array<std::uint32_t, kZoneCount> caps{};
  for (int z = 0; z < kZoneCount; ++z) caps[z] = clamp32(config.zones[z].maxPerClass);
  setCaps(lists.get(), zones, caps);
  registry.allPrev = registry.allNext = &registry;
  if (config.trace.enabled()) trace = std::make_unique<TraceRecorder>(config.trace, tickPeriod);
  if (config.leakDetection.enabled()) leaks = std::make_unique<LeakDetector>(config.leakDetection, tickPeriod);
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
  b.hadNode = true;
  b.peakLive = std::max(b.peakLive, ++b.live);
  peakLiveTotal = std::max(peakLiveTotal, ++liveTotal);
}

void PoolShared::retire(PoolNode* n, PoolNode*& doomed) noexcept {
  n->allPrev->allNext = n->allNext;
  n->allNext->allPrev = n->allPrev;
  if (!n->oversize()) {
    Book& b = book[n->listIndex()];
    ZONEBUF_ASSERT(b.live > 0 && liveTotal > 0, "a pooled node was retired twice");
    b.live--;
    liveTotal--;
  }
  n->next = doomed;
  doomed = n;
}

void PoolShared::stash(PoolNode* n, PoolNode*& doomed) noexcept {
  FreeList& list = lists[n->listIndex()];
  if (!list.makeRoom() || retained + n->capacity > config.maxRetainedBytes) {
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
    retired.lists[i].acquisitions.add(list.acquisitions.get());
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

void PoolShared::freeChainAndTrim(PoolNode* doomed) noexcept {
  bool linear = false;
  for (const PoolNode* n = doomed; n != nullptr; n = n->next) linear = linear || n->zone != AllocationZone::Heap;
  freeChain(doomed);
  if (linear) LinearMemoryAllocator::trim();
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

std::uint32_t clamp32(std::size_t v) noexcept {
  return static_cast<std::uint32_t>(std::min<std::size_t>(v, UINT32_MAX));
}

void setCaps(FreeList* lists, const ZoneTable& zones, const std::array<std::uint32_t, kZoneCount>& capOfZone) noexcept {
  for (int z = 0; z < kZoneCount; ++z)
    for (std::size_t c = 0; c < zones[z].classes.count(); ++c) lists[zones[z].base + c].maxCount = capOfZone[z];
}

void initCache(LocalCache& cache, const ZoneTable& zones, const std::array<std::uint32_t, kZoneCount>& capOfZone,
               std::size_t retainedCap, std::uint64_t tickPeriod) noexcept {
  setCaps(cache.lists.get(), zones, capOfZone);
  for (int z = 0; z < kZoneCount; ++z) {
    cache.zoneLists[z] = cache.lists.get() + zones[z].base;
    for (std::size_t c = 0; c < zones[z].classes.count(); ++c) {
      cache.zoneLists[z][c].tickAt = tickPeriod;
      cache.zoneLists[z][c].owner = &cache;
    }
  }
  cache.retainedCap = retainedCap;
  cache.epochStartMillis = nowMillis();
}

}  // namespace zonebuf::detail
