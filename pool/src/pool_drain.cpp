// A pool as a source of the allocators' reclaim registry
// (zonebuf/allocators/detail/reclaim_registry.hpp): when a linear zone
// cannot supply memory, every live pool gives back its idle buffers in that
// zone's arena before the allocation is retried once and, failing that,
// throws.
//
// What a drain may touch, and why it is safe:
//  - MultiThreaded: the shared lists (under the pool's mutex, as always) and
//    the draining thread's own cache of the pool (only its owner writes a
//    cache, and the owner is the one draining; the pool's hit path on that
//    thread is not in flight, or is in its miss, which is what failed). Other
//    threads' caches are owner-only: the drain posts a trim request, so they
//    give back their caches at their next idle-policy check, as after trim().
//  - SingleThreaded: no lock guards it, so only its own call (a miss or an
//    oversize request of this pool, on the thread that uses it) drains it.
//  - A pool leaves the registry first thing in ~BufferPool, and removal waits
//    for a drain in progress: no drain ever sees a pool being destroyed.
// Lock order: registry -> pool mutex. Nothing that holds a pool's mutex
// allocates linear memory, so nothing holding it waits for the registry.
// Drained buffers count in trimmedBuffers, like every other give-back.
#include "pool_shared.hpp"
#include "zonebuf/allocators/detail/reclaim_registry.hpp"
#include "zonebuf/allocators/detail/thread_arena.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

void BufferPool::registerForReclaim() { detail::addReclaimSource(this, &drainForReclaim); }
void BufferPool::unregisterForReclaim() noexcept { detail::removeReclaimSource(this); }

std::size_t BufferPool::drainForReclaim(void* pool, AllocationZone zone, bool ownCall) noexcept {
  return static_cast<BufferPool*>(pool)->drainZone(zone, ownCall);
}

std::size_t BufferPool::drainZone(AllocationZone zone, bool ownCall) noexcept {
  detail::PoolShared& s = *shared_;
  const bool mt = s.multiThreaded();
  if (!mt && !ownCall) return 0;
  const unsigned arena = detail::arenaIndexOf(zone);
  std::size_t bytes = 0;
  detail::PoolNode* doomed = nullptr;
  {
    auto lock = s.lock();
    detail::LocalCache* own = mt ? findThreadCache() : &single_;
    for (int z = 0; z < kZoneCount; ++z) {
      const auto zz = static_cast<AllocationZone>(z);
      if (zz == AllocationZone::Heap || detail::arenaIndexOf(zz) != arena) continue;  // another arena's memory
      for (std::size_t c = 0; c < zones_[z].classes.count(); ++c) {
        const std::size_t li = zones_[z].base + c;
        if (mt) {
          const std::size_t shared = s.retireList(s.lists[li], doomed);
          s.took(shared);
          bytes += shared;
        }
        if (own != nullptr) {
          const std::size_t cached = s.retireList(own->lists[li], doomed);
          own->lost(cached);
          bytes += cached;
        }
      }
    }
    if (mt) {
      const std::uint64_t request = s.trimRequests.fetch_add(1, std::memory_order_relaxed) + 1;
      if (own != nullptr) own->seenTrimRequest = request;  // its share of this zone is already back
    }
  }
  detail::PoolShared::freeChain(doomed);
  return bytes;
}

}  // namespace zonebuf
