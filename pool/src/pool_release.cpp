// Release's general path: one decision tree for every release the fast path
// (detail::releaseLease, lease_release.hpp) does not take. Its order mirrors
// acquisition's: orphan -> deferred booking -> traced or leak-recorded (a sampled lease) ->
// oversize -> detached thread -> moved-out buffer -> back into the releasing
// thread's list -> over a cap.
#include <algorithm>
#include <cstring>

#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

using detail::LocalCache;
using detail::PoolNode;
using detail::PoolShared;

void detail::releaseSlow(PoolNode* n, FreeList* list, bool bookingDeferred) noexcept {
  const std::uint32_t slot = n->slot.load(std::memory_order_acquire);
  if ((slot & kOrphanBit) != 0) {
    // Its pool (and the cache and list the lease knew) is gone: touch nothing
    // but the node. The buffer frees its own block.
    delete n;
    return;
  }
  if (bookingDeferred) list->owner->lost(n->capacity);  // what the Scoped acquisition deferred
  BufferPool& pool = *n->pool;
  if ((slot & (kTraceBit | kLeakBit)) != 0) {
    // A sampled lease: recorded, then a plain node again (K as its creator set it).
    PoolShared& s = *pool.shared_;
    if ((slot & kTraceBit) != 0) s.trace->onRelease(n);
    if ((slot & kLeakBit) != 0) s.leaks->onRelease(n);
    n->fastKey = s.config.zeroOnRelease ? &gNoFastRelease : n->data;
  }
  if ((slot & kOversizeBit) != 0) return pool.releaseOversize(n);
  pool.releasePooled(n);
}

LocalCache* BufferPool::releasingCache() noexcept { return multiThreaded() ? threadCache() : &single_; }

void BufferPool::releasePooled(PoolNode* n) noexcept {
  LocalCache* cache = releasingCache();
  if (cache == nullptr) return releaseDetached(n);
  // Moved out of the lease (or another buffer moved in): the node no longer owns its block.
  if (n->buffer.data() != n->data) return releaseMovedOut(n);
  const bool zero = shared_->config.zeroOnRelease;
  if (zero) std::memset(n->data, 0, n->capacity);
  detail::FreeList& list = cache->lists[n->listIndex()];
  // makeRoom() grows the list's array if its cap allows.
  if (list.makeRoom() && cache->retained() + n->capacity <= cache->retainedCap) {
    detail::poisonIdle(n, zero);
    list.push(n);
    cache->gained(n->capacity);
    return;
  }
  releaseOverCap(cache, n);
}

void BufferPool::releaseOversize(PoolNode* n) noexcept {
  PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    shared_->retire(n, doomed);
    ZONEBUF_ASSERT(shared_->oversizeOutstanding > 0, "an oversize buffer came back that was never out");
    shared_->oversizeOutstanding--;
  }
  if (shared_->leaks) shared_->leaks->oversizeReleased(n->capacity);
  PoolShared::freeChain(doomed);
}

void BufferPool::releaseDetached(PoolNode* n) noexcept {
  PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    if (n->buffer.data() != n->data) {
      shared_->retire(n, doomed);
    } else {
      const bool zero = shared_->config.zeroOnRelease;
      if (zero) std::memset(n->data, 0, n->capacity);
      detail::poisonIdle(n, zero);
      shared_->stash(n, doomed);
    }
  }
  PoolShared::freeChain(doomed);
}

void BufferPool::releaseMovedOut(PoolNode* n) noexcept {
  // The caller moved the buffer out of its lease (or another one in): the
  // node no longer describes what it holds, so it leaves the pool.
  PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    shared_->retire(n, doomed);
  }
  PoolShared::freeChain(doomed);
}

// `n` is already zeroed if the pool zeroes on release.
void BufferPool::releaseOverCap(LocalCache* cache, PoolNode* n) noexcept {
  PoolNode* doomed = nullptr;
  if (!multiThreaded()) {
    shared_->retire(n, doomed);  // over a cap: give it back to its allocator
  } else {
    // Hand half of this list to the shared lists, which apply the pool-wide caps.
    const bool zero = shared_->config.zeroOnRelease;
    detail::FreeList& local = cache->lists[n->listIndex()];
    auto lock = shared_->lock();
    for (std::uint32_t k = std::max<std::uint32_t>(1, local.maxCount / 2); k > 0; --k) {
      PoolNode* m = local.pop();
      if (m == nullptr) break;
      cache->lost(m->capacity);
      shared_->stash(m, doomed);
    }
    detail::poisonIdle(n, zero);
    if (local.makeRoom() && cache->retained() + n->capacity <= cache->retainedCap) {
      local.push(n);
      cache->gained(n->capacity);
    } else {
      shared_->stash(n, doomed);
    }
  }
  PoolShared::freeChain(doomed);
}

}  // namespace zonebuf
