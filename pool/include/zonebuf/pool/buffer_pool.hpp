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
// - When a linear zone runs out, every live pool gives back its idle buffers
//   in that zone before the allocation fails (pool_drain.cpp).
// - Destroying a pool frees every idle buffer, flushes nothing into freed
//   memory, reports leases still out (OutstandingLeases) and orphans them:
//   they stay usable and free their own memory when they end.
// A pool is neither copyable nor movable (leases point at it).
#pragma once

#include "zonebuf/primitives.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/pool/detail/lease_release.hpp"
#include "zonebuf/pool/detail/local_cache.hpp"
#include "zonebuf/pool/detail/zone_classes.hpp"
#include "zonebuf/pool/pool_config.hpp"
#include "zonebuf/pool/pool_stats.hpp"
#include "zonebuf/pool/pooled_buffer.hpp"
#include "zonebuf/pool/size_classes.hpp"

namespace zonebuf {

namespace detail {
struct PoolShared;
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
  // zone cannot supply a new buffer even after a linear zone drained the idle
  // pools (nothing but the drained idle buffers changes then).
  [[gnu::always_inline]] PooledBuffer acquire(std::size_t size, AllocationZone zone = AllocationZone::Heap,
                                              ByteOrder order = ByteOrder::BigEndian) {
    return PooledBuffer(acquireHit<detail::LeaseKind::Held>(size, zone, order));
  }

  // Leases a buffer, calls fn(PlatformBuffer&) and returns its result; the
  // buffer goes back on every exit path, exceptions included.
  template <class Fn>
  [[gnu::always_inline]] decltype(auto) withBuffer(std::size_t size, AllocationZone zone, Fn&& fn) {
    return withBuffer(size, zone, ByteOrder::BigEndian, std::forward<Fn>(fn));
  }
  template <class Fn>
  [[gnu::always_inline]] decltype(auto) withBuffer(std::size_t size, AllocationZone zone, ByteOrder order, Fn&& fn) {
    ScopedLease lease(acquireHit<detail::LeaseKind::Scoped>(size, zone, order));
    return std::invoke(std::forward<Fn>(fn), lease.lease.node->buffer);
  }

  PoolStats stats() const;
  // Frees idle buffers: the shared lists and the calling thread's cache now;
  // other threads' caches at their next idle-policy check (MultiThreaded).
  void trim();
  // trim(), then restarts the statistics (acquisitions, hits, misses, oversize,
  // histograms, peaks); live and outstanding counts carry on.
  void clear();

  const PoolConfig& config() const noexcept;
  const SizeClasses& classes(AllocationZone zone) const noexcept {
    return zones_[static_cast<std::size_t>(zone)].classes;
  }

 private:
  friend void detail::releaseSlow(detail::PoolNode* node, detail::FreeList* list, bool bookingDeferred) noexcept;
  friend bool detail::growLeaseInPlace(PooledBuffer& lease, std::size_t size) noexcept;

  // MultiThreaded: the calling thread's cache (nullptr while it exits).
  [[gnu::always_inline]] detail::LocalCache* threadCache() noexcept {
    const detail::ThreadSlot& slot = detail::tThreadSlot;
    if (ZONEBUF_LIKELY(slot.poolId == id_)) return slot.cache;
    return attachThread();
  }

  // withBuffer's lease. It never leaves the calling thread and knows the list
  // its node came from, so its release can skip the lookups. It does not
  // refer to the pool: fn may destroy it (the node is then an orphan).
  struct ScopedLease {
    explicit ScopedLease(detail::Lease l) noexcept : lease(l) {}
    ScopedLease(const ScopedLease&) = delete;
    ScopedLease& operator=(const ScopedLease&) = delete;
    [[gnu::always_inline]] ~ScopedLease() { detail::releaseLease<detail::LeaseKind::Scoped>(lease); }
    detail::Lease lease;
  };

  // Acquisition, one decision tree: oversize -> cache -> hot slot -> list ->
  // refill. Its mirror is detail::releaseLease (lease_release.hpp), and the
  // lease kinds are explained there.
  template <detail::LeaseKind kKind>
  [[gnu::always_inline]] detail::Lease acquireHit(std::size_t size, AllocationZone zone, ByteOrder order) {
    const std::size_t z = static_cast<std::size_t>(zone);
    if (ZONEBUF_UNLIKELY(z >= static_cast<std::size_t>(kZoneCount))) throwBadZone(zone);
    const detail::ZoneClasses& zc = zones_[z];
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
    detail::Lease lease{list.hot.load(), &list};
    if (ZONEBUF_LIKELY(lease.node != nullptr)) {
      list.hot.store(nullptr);
      tookIdle<kKind>(cache, lease);
    } else if ((lease.node = list.popBelowHot()) != nullptr) {
      tookIdle<kKind>(cache, lease);
    } else {
      lease.node = refill(cache, z, ci);
      lease.list = nullptr;  // a new node: its release books it
    }
    // Counted once the acquisition can no longer fail (a refill may throw).
    const std::uint64_t acquired = list.acquisitions.add();
    PlatformBuffer& b = lease.node->buffer;
    b.resetForWrite();
    // Most callers keep one order, and a store the hit can skip is worth a compare.
    if (ZONEBUF_UNLIKELY(b.byteOrder() != order)) b.setByteOrder(order);
    if (ZONEBUF_UNLIKELY(acquired == list.tickAt)) onTick(cache, list, lease.node, size);
    return lease;
  }

  // A node leaves an idle list: its bytes are no longer poisoned; a Scoped
  // lease defers the booking to its release, a Held one books at once.
  template <detail::LeaseKind kKind>
  [[gnu::always_inline]] void tookIdle(detail::LocalCache* cache, detail::Lease& lease) noexcept {
    detail::unpoisonIdle(lease.node);
    if constexpr (kKind == detail::LeaseKind::Held) {
      cache->lost(lease.node->capacity);
      if (cache != &single_) lease.list = nullptr;
    } else {
      lease.bookingDeferred = true;
    }
  }

  // Acquisition's slow paths, out of line (pool_acquire.cpp,
  // thread_caches.cpp, pool_idle_policy.cpp). Only the throwing one is cold:
  // see ZONEBUF_LIKELY in zonebuf/primitives.hpp.
  [[noreturn]] ZONEBUF_COLD static void throwBadZone(AllocationZone zone);
  detail::LocalCache* attachThread() noexcept;
  detail::PoolNode* refill(detail::LocalCache* cache, std::size_t zone, std::size_t classIndex);
  // Never inlined: leak detection names their caller (the acquiring function).
  ZONEBUF_NOINLINE detail::PoolNode* acquireOversize(std::size_t size, AllocationZone zone, ByteOrder order);
  detail::PoolNode* acquireDetached(std::size_t size, AllocationZone zone, ByteOrder order);
  // `node` and `size`: the acquisition at the tick (the trace recorder and
  // the leak detector sample it).
  ZONEBUF_NOINLINE void onTick(detail::LocalCache* cache, detail::FreeList& list, detail::PoolNode* node,
                               std::size_t size) noexcept;

  // Leak detection (leak_hooks.cpp). A lease's clock (its class, or its
  // zone's oversize requests) and its reading (the caller holds the lock);
  // a sampled lease's record; the recorded leases by site, and with the
  // unsampled ones of a stats() snapshot.
  std::uint32_t leakClockOf(const detail::PoolNode* n) const noexcept;
  std::uint64_t leakClock(std::uint32_t clock) const noexcept;
  void recordLeak(detail::PoolNode* n, const void* caller) noexcept;
  LeakReport leakSites() const;
  LeakReport leakSitesAtExit() const noexcept;  // takes the lock; empty if out of memory
  LeakReport leakReport(const PoolStats& s) const;

  // Release's slow paths: the branches of detail::releaseSlow (pool_release.cpp).
  detail::LocalCache* releasingCache() noexcept;
  void releasePooled(detail::PoolNode* n) noexcept;
  void releaseOversize(detail::PoolNode* n) noexcept;
  void releaseDetached(detail::PoolNode* n) noexcept;
  void releaseMovedOut(detail::PoolNode* n) noexcept;
  void releaseOverCap(detail::LocalCache* cache, detail::PoolNode* n) noexcept;

  bool multiThreaded() const noexcept;

  // detail::growLeaseInPlace's work on a live, non-orphaned node (pool_growth.cpp).
  bool growInPlace(detail::PoolNode* n, std::size_t size) noexcept;

  // The pool as a source of the allocators' reclaim registry (pool_drain.cpp).
  void registerForReclaim();
  void unregisterForReclaim() noexcept;
  static std::size_t drainForReclaim(void* pool, AllocationZone zone, bool ownCall) noexcept;
  std::size_t drainZone(AllocationZone zone, bool ownCall) noexcept;
  // MultiThreaded: the calling thread's cache if it has one; never attaches.
  detail::LocalCache* findThreadCache() noexcept;

  // Hot state first.
  std::uint64_t id_;
  detail::ZoneTable zones_;  // the only class table
  // single_.zoneLists when the pool is SingleThreaded, else nullptrs: the
  // hit path's one load (the mode itself is config().threading).
  std::array<detail::FreeList*, kZoneCount> singleZoneLists_{};
  detail::LocalCache single_;  // SingleThreaded: the only cache
  // The config, shared lists and bookkeeping; outlives the pool for exit hooks.
  std::shared_ptr<detail::PoolShared> shared_;
};

}  // namespace zonebuf
