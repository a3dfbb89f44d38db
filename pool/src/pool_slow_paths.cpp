// BufferPool's cold paths: misses, refills, full caches, oversize and
// detached (exiting-thread) requests, moved-out buffers and the idle policy.
#include <algorithm>
#include <bit>

#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

namespace {

using detail::PoolNode;
using detail::PoolShared;

// Oversize histogram bucket: sizes in (2^(b-1), 2^b].
std::size_t oversizeBucket(std::size_t size) {
  return static_cast<std::size_t>(std::bit_width(size - (size != 0)));
}

// A new node with a freshly allocated buffer. Throws (and changes nothing) if
// the zone cannot supply it.
PoolNode* newNode(BufferPool* pool, PoolShared& shared, std::uint32_t slot, std::size_t size, AllocationZone zone,
                  ByteOrder order) {
  auto node = std::make_unique<PoolNode>();
  node->buffer = PlatformBuffer::allocate(size, zone, order);
  node->data = node->buffer.data();
  node->capacity = size;
  if (pool->config().zeroOnRelease) slot |= detail::kZeroBit;  // keeps zeroing off the hit path
  node->slot.store(slot, std::memory_order_relaxed);
  node->fastKey = (slot & detail::kSpecialBits) == 0 ? node->data : &detail::gNoFastRelease;
  node->zone = zone;
  node->pool = pool;
  auto lock = shared.lock();
  if (node->oversize()) {
    shared.link(node.get());
  } else {
    shared.adoptNew(node.get());
  }
  return node.release();
}

}  // namespace

PoolNode* BufferPool::refill(detail::LocalCache* cache, std::size_t li) {
  if (mode_ == ThreadingMode::MultiThreaded) {
    PoolNode* first = nullptr;
    {
      auto lock = shared_->lock();
      detail::FreeList& from = shared_->lists[li];
      first = from.pop();
      if (first != nullptr) {
        shared_->retained -= first->capacity;
        // Take a batch so the next hits need no lock.
        detail::FreeList& to = cache->lists[li];
        for (std::uint32_t k = to.maxCount / 2; k > 0; --k) {
          if (!to.makeRoom() || from.size() == 0 || cache->retained() + first->capacity > cache->retainedCap) break;
          PoolNode* n = from.pop();
          shared_->retained -= n->capacity;
          to.push(n);
          cache->gained(n->capacity);
        }
      }
    }
    if (first != nullptr) {
      detail::unpoisonIdle(first);
      return first;
    }
  }
  return newNode(this, *shared_, static_cast<std::uint32_t>(li), shared_->classSize[li], shared_->classZone[li],
                 ByteOrder::BigEndian);
}

PoolNode* BufferPool::acquireOversize(std::size_t size, AllocationZone zone, ByteOrder order) {
  PoolNode* n = newNode(this, *shared_, detail::kOversizeBit, size, zone, order);
  auto lock = shared_->lock();
  const std::size_t z = static_cast<std::size_t>(zone);
  shared_->oversize[z]++;
  shared_->oversizeOutstanding++;
  shared_->oversizeHistogram[z][oversizeBucket(size)]++;
  if (shared_->trace) shared_->trace->onOversize(n, size);
  return n;
}

PoolNode* BufferPool::acquireDetached(std::size_t size, AllocationZone zone, ByteOrder order) {
  const std::size_t z = static_cast<std::size_t>(zone);
  const std::size_t li = zones_[z].base + zones_[z].classes.classIndex(size);
  PoolNode* n = nullptr;
  {
    auto lock = shared_->lock();
    n = shared_->lists[li].pop();
    if (n != nullptr) shared_->retained -= n->capacity;
  }
  if (n != nullptr) {
    detail::unpoisonIdle(n);
  } else {
    n = newNode(this, *shared_, static_cast<std::uint32_t>(li), shared_->classSize[li], zone, order);
  }
  {
    auto lock = shared_->lock();
    shared_->retired.lists[li].acquisitions.bump();
  }
  n->buffer.resetForWrite().setByteOrder(order);
  return n;
}

void BufferPool::releaseHitSlow(PoolNode* n, detail::LocalCache* cache, bool deferred) noexcept {
  const std::uint32_t slot = n->slot.load(std::memory_order_acquire);
  // An orphan's cache may be gone with its pool: touch nothing but the node.
  if ((slot & detail::kOrphanBit) == 0 && deferred) cache->lost(n->capacity);  // what the acquisition deferred
  if ((slot & detail::kSpecialBits) != 0) return detail::releaseSpecial(n, slot);
  n->pool->releaseNode(n, slot);
}

void BufferPool::releaseOversize(PoolNode* n) noexcept {
  PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    shared_->retire(n, doomed);
    shared_->oversizeOutstanding--;
  }
  PoolShared::freeChain(doomed);
}

void BufferPool::releaseDetached(PoolNode* n) noexcept {
  PoolNode* doomed = nullptr;
  {
    auto lock = shared_->lock();
    if (n->buffer.data() != n->data) {
      shared_->retire(n, doomed);
    } else {
      if (zeroOnRelease_) std::memset(n->data, 0, n->capacity);
      detail::poisonIdle(n, zeroOnRelease_);
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

void BufferPool::releaseFull(detail::LocalCache* cache, PoolNode* n) noexcept {
  if (zeroOnRelease_) std::memset(n->data, 0, n->capacity);
  detail::FreeList& local = cache->lists[n->listIndex()];
  auto fits = [&] { return local.makeRoom() && cache->retained() + n->capacity <= cache->retainedCap; };
  // The array only had to grow, or zeroOnRelease: not full after all.
  if (fits()) {
    detail::poisonIdle(n, zeroOnRelease_);
    local.push(n);
    cache->gained(n->capacity);
    return;
  }
  PoolNode* doomed = nullptr;
  if (mode_ == ThreadingMode::SingleThreaded) {
    shared_->retire(n, doomed);  // over a cap: give it back to its allocator
  } else {
    // Hand half of this list to the shared lists, which apply the pool-wide caps.
    auto lock = shared_->lock();
    for (std::uint32_t k = std::max<std::uint32_t>(1, local.maxCount / 2); k > 0; --k) {
      PoolNode* m = local.pop();
      if (m == nullptr) break;
      cache->lost(m->capacity);
      shared_->stash(m, doomed);
    }
    detail::poisonIdle(n, zeroOnRelease_);
    if (fits()) {
      local.push(n);
      cache->gained(n->capacity);
    } else {
      shared_->stash(n, doomed);
    }
  }
  PoolShared::freeChain(doomed);
}

void BufferPool::onTick(detail::LocalCache* cache, detail::FreeList& list, PoolNode* node, std::size_t size) noexcept {
  PoolShared& s = *shared_;
  if (s.trace) s.trace->onTick(node, size);
  list.tickAt += s.tickPeriod;
  cache->opsSinceEpoch += s.tickPeriod;
  bool trimAll = false;
  if (mode_ == ThreadingMode::MultiThreaded) {
    const std::uint64_t request = s.trimRequests.load(std::memory_order_relaxed);
    trimAll = request != cache->seenTrimRequest;
    cache->seenTrimRequest = request;
  }
  bool epoch = s.idleOps != 0 && cache->opsSinceEpoch >= s.idleOps;
  std::uint64_t now = 0;
  if (s.idleMillis != 0) {
    now = detail::nowMillis();
    epoch = epoch || now - cache->epochStartMillis >= s.idleMillis;
  }
  if (!epoch && !trimAll) return;
  PoolNode* doomed = nullptr;
  {
    auto lock = s.lock();
    for (std::size_t i = 0; i < s.listCount(); ++i) {
      cache->lost(trimAll ? s.retireList(cache->lists[i], doomed) : s.retireLowWater(cache->lists[i], doomed));
      if (epoch && mode_ == ThreadingMode::MultiThreaded) s.retained -= s.retireLowWater(s.lists[i], doomed);
    }
  }
  if (epoch) {
    cache->opsSinceEpoch = 0;
    cache->epochStartMillis = now != 0 ? now : detail::nowMillis();
  }
  PoolShared::freeChain(doomed);
}

}  // namespace zonebuf
