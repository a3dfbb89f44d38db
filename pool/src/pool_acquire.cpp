// BufferPool's acquisition slow paths: misses and refills, oversize and
// detached (exiting-thread) requests. The hit path is BufferPool::acquireHit.
#include <bit>
#include <memory>

#include "pool_shared.hpp"
#include "zonebuf/allocators/detail/reclaim_registry.hpp"
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
  {
    // If the zone runs out, this pool is drained first, and may touch what
    // only its own call may (pool_drain.cpp).
    const detail::ReclaimOwnCall own(pool);
    node->buffer = PlatformBuffer::allocate(size, zone, order);
  }
  node->data = node->buffer.data();
  node->capacity = size;
  node->slot.store(slot, std::memory_order_relaxed);
  // zeroOnRelease keeps zeroing off the fast release: K fails (pool_node.hpp).
  node->fastKey = shared.config.zeroOnRelease ? &detail::gNoFastRelease : node->data;
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

PoolNode* BufferPool::refill(detail::LocalCache* cache, std::size_t z, std::size_t ci) {
  const std::size_t li = zones_[z].base + ci;
  if (multiThreaded()) {
    PoolNode* first = nullptr;
    {
      auto lock = shared_->lock();
      detail::FreeList& from = shared_->lists[li];
      first = from.pop();
      if (first != nullptr) {
        shared_->took(first->capacity);
        // Take a batch so the next hits need no lock.
        detail::FreeList& to = cache->lists[li];
        for (std::uint32_t k = to.maxCount / 2; k > 0; --k) {
          if (!to.makeRoom() || from.size() == 0 || cache->retained() + first->capacity > cache->retainedCap) break;
          PoolNode* n = from.pop();
          shared_->took(n->capacity);
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
  return newNode(this, *shared_, static_cast<std::uint32_t>(li), zones_[z].classes.sizeOf(ci),
                 static_cast<AllocationZone>(z), ByteOrder::BigEndian);
}

PoolNode* BufferPool::acquireOversize(std::size_t size, AllocationZone zone, ByteOrder order) {
  PoolNode* n = newNode(this, *shared_, detail::kOversizeBit, size, zone, order);
  {
    auto lock = shared_->lock();
    const std::size_t z = static_cast<std::size_t>(zone);
    shared_->oversize[z]++;
    shared_->oversizeOutstanding++;
    shared_->oversizeHistogram[z][oversizeBucket(size)]++;
  }
  if (shared_->trace) shared_->trace->onOversize(n, size);
  if (shared_->leaks && shared_->leaks->sampleOversize(n->capacity)) recordLeak(n, ZONEBUF_LEAK_CALLER());
  return n;
}

PoolNode* BufferPool::acquireDetached(std::size_t size, AllocationZone zone, ByteOrder order) {
  const std::size_t z = static_cast<std::size_t>(zone);
  const std::size_t ci = zones_[z].classes.classIndex(size);
  const std::size_t li = zones_[z].base + ci;
  PoolNode* n = nullptr;
  {
    auto lock = shared_->lock();
    n = shared_->lists[li].pop();
    if (n != nullptr) shared_->took(n->capacity);
  }
  if (n != nullptr) {
    detail::unpoisonIdle(n);
  } else {
    n = newNode(this, *shared_, static_cast<std::uint32_t>(li), zones_[z].classes.sizeOf(ci), zone, order);
  }
  {
    auto lock = shared_->lock();
    shared_->retired.lists[li].acquisitions.add();
  }
  n->buffer.resetForWrite().setByteOrder(order);
  return n;
}

}  // namespace zonebuf
