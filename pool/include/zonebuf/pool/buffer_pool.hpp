// BufferPool: recycles PlatformBuffers by size class, per zone, through
// scoped leases (withBuffer) and RAII leases (acquire -> PooledBuffer).
//
// Invariants:
// - A leased buffer is in resetForWrite() state (position 0, limit ==
//   capacity), in the requested byte order, and its capacity is the size
//   class (>= the requested size). Requests above the zone's largest class
//   are served unpooled (and counted as oversize).
// - A buffer is either idle in exactly one free list or held by exactly one
//   lease; the hit path (pop/push on the caller's cache) is inline, takes no
//   lock and does no atomic read-modify-write.
// - Idle memory is bounded: per list by its cap, per pool by maxRetainedBytes
//   (shared lists) plus, in MultiThreaded mode, threadCacheBytes per thread.
//   trim(), clear() and the idle policy give it back to the allocators.
// - Destroying a pool frees every idle buffer, flushes nothing into freed
//   memory, reports leases still out (OutstandingLeases) and orphans them:
//   they stay usable and free their own memory when they end.
// A pool is neither copyable nor movable (leases point at it).
#pragma once

#include "zonebuf/primitives.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/pool/detail/pool_node.hpp"
#include "zonebuf/pool/pool_config.hpp"
#include "zonebuf/pool/pool_stats.hpp"
#include "zonebuf/pool/pooled_buffer.hpp"
#include "zonebuf/pool/size_classes.hpp"

namespace zonebuf {

namespace detail {
struct PoolShared;
// Oversize nodes go back to their pool; orphans (the lease outlived its pool)
// are freed.
void releaseSpecial(PoolNode* node, std::uint32_t slot) noexcept;
}  // namespace detail

class BufferPool {
 public:
  // Throws InvalidArgumentError if the config is invalid (see PoolConfig::validate).
  explicit BufferPool(PoolConfig config = {});
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;
  BufferPool(BufferPool&&) = delete;
  BufferPool& operator=(BufferPool&&) = delete;

  // A lease on a buffer with capacity >= size. Throws OutOfMemoryError when the
  // zone cannot supply a new buffer (nothing changes then).
  [[gnu::always_inline]] PooledBuffer acquire(std::size_t size, AllocationZone zone = AllocationZone::Heap,
                                              ByteOrder order = ByteOrder::BigEndian) {
    const Hit hit = acquireHit<LeaseKind::Held>(size, zone, order);
    return PooledBuffer(hit.node, hit.list);
  }

  // Leases a buffer, calls fn(PlatformBuffer&) and returns its result; the
  // buffer goes back on every exit path, exceptions included.
  template <class Fn>
  [[gnu::always_inline]] decltype(auto) withBuffer(std::size_t size, AllocationZone zone, Fn&& fn) {
    return withBuffer(size, zone, ByteOrder::BigEndian, std::forward<Fn>(fn));
  }
  template <class Fn>
  [[gnu::always_inline]] decltype(auto) withBuffer(std::size_t size, AllocationZone zone, ByteOrder order, Fn&& fn) {
    ScopedLease lease(acquireHit<LeaseKind::Scoped>(size, zone, order));
    return std::invoke(std::forward<Fn>(fn), lease.hit.node->buffer);
  }

  PoolStats stats() const;
  // Frees idle buffers: the shared lists and the calling thread's cache now;
  // other threads' caches at their next idle-policy check (MultiThreaded).
  void trim();
  // trim(), then restarts the statistics (acquisitions, hits, misses, oversize,
  // histograms, peaks); live and outstanding counts carry on.
  void clear();

  const PoolConfig& config() const noexcept { return config_; }
  const SizeClasses& classes(AllocationZone zone) const noexcept {
    return zones_[static_cast<std::size_t>(zone)].classes;
  }

 private:
  friend class PooledBuffer;
  struct ZoneClasses {
    SizeClasses classes;
    std::uint32_t base = 0;  // first flat list index of the zone
  };

  [[gnu::always_inline]] detail::LocalCache* localCache() noexcept {
    if (mode_ == ThreadingMode::SingleThreaded) return &single_;
    return threadCache();
  }
  // MultiThreaded: the calling thread's cache (nullptr while it exits).
  [[gnu::always_inline]] detail::LocalCache* threadCache() noexcept {
    const detail::ThreadSlot& slot = detail::tThreadSlot;
    if (ZONEBUF_LIKELY(slot.poolId == id_)) return slot.cache;
    return attachThread();
  }

  // What an acquisition hands to its release: the node, and the cache list
  // the release may put it back into with one store (when that list's `hot`
  // is empty). Any acquisition that must not go back that way leaves `list`
  // at detail::gNoList, whose `hot` is never empty.
  struct Hit {
    detail::PoolNode* node;
    detail::LocalCache* cache = nullptr;
    detail::FreeList* list = &detail::gNoList;
  };

  // withBuffer's lease. It never leaves the calling thread and knows the list
  // its node came from, so its release can skip the lookups. It does not
  // refer to the pool: fn may destroy it (the node is then an orphan).
  struct ScopedLease {
    explicit ScopedLease(Hit h) noexcept : hit(h) {}
    ScopedLease(const ScopedLease&) = delete;
    ScopedLease& operator=(const ScopedLease&) = delete;
    [[gnu::always_inline]] ~ScopedLease() { releaseHit(hit); }
    Hit hit;
  };

  // Scoped (withBuffer): a hit leaves the cache's idle-byte books as they
  // are, so its node still counts as idle there until the release; a release
  // that pushes it back where it was then has nothing to book and nothing to
  // check against the byte cap (the books never went down), and any other
  // release books the acquisition first. While the lease lasts the cap is
  // applied as if it were idle: stricter, never looser, and only for as long
  // as fn runs. (stats() counts idle buffers in the lists: exact either way.)
  // Held (a PooledBuffer, which may live long): books at once, and records
  // its list only in a SingleThreaded pool — in a MultiThreaded one the lease
  // may end on another thread, whose cache is not this one.
  enum class LeaseKind { Scoped, Held };
  template <LeaseKind kKind>
  [[gnu::always_inline]] Hit acquireHit(std::size_t size, AllocationZone zone, ByteOrder order) {
    const std::size_t z = static_cast<std::size_t>(zone);
    if (ZONEBUF_UNLIKELY(z >= static_cast<std::size_t>(kZoneCount))) throwBadZone(zone);
    const ZoneClasses& zc = zones_[z];
    const std::size_t ci = zc.classes.find(size);
    if (ZONEBUF_UNLIKELY(ci == SizeClasses::kNone)) return {acquireOversize(size, zone, order)};
    // One load tells a SingleThreaded pool and finds its lists.
    detail::LocalCache* cache = &single_;
    detail::FreeList* lists = singleZoneLists_[z];
    if (ZONEBUF_UNLIKELY(lists == nullptr)) {
      cache = threadCache();
      if (ZONEBUF_UNLIKELY(cache == nullptr)) return {acquireDetached(size, zone, order)};
      lists = cache->zoneLists[z];
    }
    detail::FreeList& list = lists[ci];
    Hit hit{list.hot.load(), cache, &list};
    if (ZONEBUF_LIKELY(hit.node != nullptr)) {
      list.hot.store(nullptr);
      tookIdle<kKind>(hit);
    } else if ((hit.node = list.popBelowHot()) != nullptr) {
      tookIdle<kKind>(hit);
    } else {
      hit.node = refill(cache, zc.base + ci);
      hit.list = &detail::gNoList;  // a new node: its release books it
    }
    // Counted once the acquisition can no longer fail (a refill may throw).
    const std::uint64_t acquired = list.acquisitions.bump();
    PlatformBuffer& b = hit.node->buffer;
    b.resetForWrite();
    // Most callers keep one order, and a store the hit can skip is worth a compare.
    if (ZONEBUF_UNLIKELY(b.byteOrder() != order)) b.setByteOrder(order);
    if (ZONEBUF_UNLIKELY(acquired == list.tickAt)) onTick(cache, list, hit.node, size);
    return hit;
  }

  // A node leaves an idle list: its bytes are no longer poisoned, and a Held
  // lease books it at once.
  template <LeaseKind kKind>
  [[gnu::always_inline]] void tookIdle(Hit& hit) noexcept {
    detail::unpoisonIdle(hit.node);
    if constexpr (kKind == LeaseKind::Held) {
      hit.cache->lost(hit.node->capacity);
      if (hit.cache != &single_) hit.list = &detail::gNoList;
    }
  }

  // A withBuffer lease goes back to the top of the list it came from when
  // that is empty (the common case) and the node is plain: its fastKey still
  // matches its buffer (not moved out, not oversize, orphaned or
  // zeroOnRelease: those carry a key no buffer has).
  // The key is tested first: an orphan's list may be gone with its pool.
  [[gnu::always_inline]] static void releaseHit(const Hit& hit) noexcept {
    detail::PoolNode* n = hit.node;
    if (ZONEBUF_LIKELY(n->buffer.data() == n->fastKey && hit.list->hot.load() == nullptr)) {
      detail::poisonIdle(n);
      hit.list->hot.store(n);
      return;
    }
    // By value, field by field: a Hit passed by address would have to live in memory.
    releaseHitSlow(n, hit.cache, hit.list != &detail::gNoList);
  }
  static void releaseHitSlow(detail::PoolNode* n, detail::LocalCache* cache, bool deferred) noexcept;

  // `li` is the node's slot, known to carry no special bit.
  [[gnu::always_inline]] void releaseNode(detail::PoolNode* n, std::uint32_t li) noexcept {
    detail::LocalCache* cache = localCache();
    if (ZONEBUF_UNLIKELY(cache == nullptr)) return releaseDetached(n);
    // Moved out of the lease (or another buffer moved in): the node no longer owns its block.
    if (ZONEBUF_UNLIKELY(n->buffer.data() != n->data)) return releaseMovedOut(n);
    detail::FreeList& list = cache->lists[li];
    if (ZONEBUF_UNLIKELY(!list.hasRoom() || cache->retained() + n->capacity > cache->releaseLimit))
      return releaseFull(cache, n);
    detail::poisonIdle(n);
    list.push(n);
    cache->gained(n->capacity);
  }

  // Slow paths, out of line (pool_slow_paths.cpp, thread_caches.cpp). Only
  // the throwing one is cold: see ZONEBUF_LIKELY in zonebuf/primitives.hpp.
  [[noreturn]] ZONEBUF_COLD static void throwBadZone(AllocationZone zone);
  detail::LocalCache* attachThread() noexcept;
  detail::PoolNode* refill(detail::LocalCache* cache, std::size_t listIndex);
  detail::PoolNode* acquireOversize(std::size_t size, AllocationZone zone, ByteOrder order);
  detail::PoolNode* acquireDetached(std::size_t size, AllocationZone zone, ByteOrder order);
  void releaseOversize(detail::PoolNode* n) noexcept;
  friend void detail::releaseSpecial(detail::PoolNode* n, std::uint32_t slot) noexcept;
  void releaseDetached(detail::PoolNode* n) noexcept;
  void releaseMovedOut(detail::PoolNode* n) noexcept;
  void releaseFull(detail::LocalCache* cache, detail::PoolNode* n) noexcept;
  // `node` and `size`: the acquisition at the tick (the trace recorder samples it).
  void onTick(detail::LocalCache* cache, detail::FreeList& list, detail::PoolNode* node, std::size_t size) noexcept;

  // Hot state first.
  ThreadingMode mode_;
  bool zeroOnRelease_;
  std::uint64_t id_;
  std::array<ZoneClasses, kZoneCount> zones_;
  std::array<detail::FreeList*, kZoneCount> singleZoneLists_{};  // single_.zoneLists, or nullptrs if MultiThreaded
  detail::LocalCache single_;  // SingleThreaded: the only cache
  PoolConfig config_;
  std::shared_ptr<detail::PoolShared> shared_;  // shared lists and bookkeeping; outlives the pool for exit hooks
};

inline void PooledBuffer::giveBack() noexcept {
  if (node_ == nullptr) return;
  detail::PoolNode* n = std::exchange(node_, nullptr);
  // A SingleThreaded hit goes back to the top of its list as withBuffer's
  // does, if that is empty and the byte cap allows. list_ is tested first
  // (only SingleThreaded hits have one, so the key is never read across
  // threads), the key next (an orphan's list is gone with its pool).
  if (list_ != &detail::gNoList && n->buffer.data() == n->fastKey && list_->hot.load() == nullptr) {
    detail::LocalCache& cache = n->pool->single_;
    if (ZONEBUF_LIKELY(cache.retained() + n->capacity <= cache.releaseLimit)) {
      detail::poisonIdle(n);
      list_->hot.store(n);
      cache.gained(n->capacity);
      return;
    }
  }
  const std::uint32_t slot = n->slot.load(std::memory_order_acquire);
  if (ZONEBUF_LIKELY((slot & detail::kSpecialBits) == 0)) {
    n->pool->releaseNode(n, slot);
  } else {
    detail::releaseSpecial(n, slot);
  }
}

}  // namespace zonebuf
