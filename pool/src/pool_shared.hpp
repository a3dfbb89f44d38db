// PoolShared: the part of a BufferPool that slow paths share, and that outlives
// the pool while a thread-exit hook still holds it (shared_ptr). Everything in
// it is guarded by `mutex` in MultiThreaded mode (lock() is a no-op in
// SingleThreaded mode); `alive` turns false exactly once, in ~BufferPool, after
// which hooks only free their own cache record.
//
// Node life cycle: created on a miss (link, live++), idle in a list (poisoned),
// leased, and finally retired (unlink, live--) and deleted outside the lock by
// freeChain(). Only idle nodes are poisoned; retireIdle() unpoisons first.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "trace_recorder.hpp"
#include "zonebuf/pool/detail/pool_node.hpp"
#include "zonebuf/pool/pool_config.hpp"

namespace zonebuf::detail {

struct PoolShared {
  struct Book {
    std::uint64_t live = 0;
    std::uint64_t peakLive = 0;
    std::uint64_t misses = 0;
  };

  PoolShared(ThreadingMode mode, std::vector<std::size_t> classSize, std::vector<std::uint32_t> classCap,
             std::size_t maxRetainedBytes);

  std::unique_lock<std::mutex> lock() {
    return mode == ThreadingMode::MultiThreaded ? std::unique_lock<std::mutex>(mutex) : std::unique_lock<std::mutex>();
  }
  std::size_t listCount() const noexcept { return classSize.size(); }

  void link(PoolNode* n) noexcept;
  // A new pooled node (a miss) joins the books.
  void adoptNew(PoolNode* n) noexcept;
  // Takes a node out of the books and onto `doomed` (to be freed by freeChain).
  void retire(PoolNode* n, PoolNode*& doomed) noexcept;
  void retireIdle(PoolNode* n, PoolNode*& doomed) noexcept {
    unpoisonIdle(n);
    retire(n, doomed);
  }
  // An idle (poisoned) node into the shared list if the caps allow, else retired.
  void stash(PoolNode* n, PoolNode*& doomed) noexcept;
  // Retires every node of `list` (all idle); returns the bytes they held.
  std::size_t retireList(FreeList& list, PoolNode*& doomed) noexcept;
  // Retires the nodes no one needed during the last epoch (the low-water mark).
  std::size_t retireLowWater(FreeList& list, PoolNode*& doomed) noexcept;
  // Moves a departing thread's cache into the shared lists and its counters
  // into `retired`, and forgets it.
  void absorbCache(LocalCache* cache, PoolNode*& doomed) noexcept;

  static void freeChain(PoolNode* doomed) noexcept;

  std::mutex mutex;
  const ThreadingMode mode;
  bool alive = true;
  const std::vector<std::size_t> classSize;   // by flat list index
  std::vector<AllocationZone> classZone;      // by flat list index
  std::array<std::size_t, kZoneCount> zoneBase{};        // first flat list index of each zone
  std::array<std::size_t, kZoneCount> zoneClassCount{};
  std::vector<std::uint32_t> threadCaps;      // MultiThreaded: per-thread list caps
  std::size_t threadCacheBytes = 0;
  std::uint64_t tickPeriod = 0;               // acquisitions of one class between idle-policy checks
  std::uint64_t idleOps = 0;
  std::uint64_t idleMillis = 0;
  std::unique_ptr<FreeList[]> lists;          // MultiThreaded shared lists
  std::size_t retained = 0;                   // idle bytes in `lists`
  const std::size_t maxRetained;
  std::vector<Book> book;
  std::uint64_t liveTotal = 0;
  std::uint64_t peakLiveTotal = 0;
  std::array<std::uint64_t, kZoneCount> oversize{};
  std::array<std::array<std::uint64_t, PoolZoneStats::kOversizeBuckets>, kZoneCount> oversizeHistogram{};
  std::uint64_t oversizeOutstanding = 0;
  std::uint64_t trimmed = 0;
  LocalCache retired;                 // counters of exited threads, detached and oversize operations
  std::vector<LocalCache*> caches;    // MultiThreaded: caches of threads that use the pool
  PoolNode registry;                  // sentinel of the list of every live node
  std::atomic<std::uint64_t> trimRequests{0};
  PoolStats baseline;                 // clear(): statistics restart from here
  std::unique_ptr<TraceRecorder> trace;  // PoolConfig::trace; closed by ~BufferPool
};

// Sets a cache's caps and idle-policy countdown.
// releaseLimit 0 (zeroOnRelease) sends every release through releaseFull,
// which zeroes the bytes, so the hit path needs no zeroing test.
void initCache(LocalCache& cache, const std::vector<std::uint32_t>& caps, const std::array<std::size_t, kZoneCount>& zoneBase,
               std::size_t retainedCap, bool zeroOnRelease, std::uint64_t tickPeriod) noexcept;
std::uint64_t nowMillis() noexcept;

}  // namespace zonebuf::detail
