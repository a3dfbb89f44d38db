// PoolShared: the part of a BufferPool that slow paths share, and that outlives
// the pool while a thread-exit hook still holds it (shared_ptr). It holds the
// pool's config (the one copy: the threading mode, caps and idle policy are
// read from it). Everything else in it is guarded by `mutex` in MultiThreaded
// mode (lock() is a no-op in SingleThreaded mode); `alive` turns false exactly
// once, in ~BufferPool, after which hooks only free their own cache record.
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

#include "leak_detector.hpp"
#include "trace_recorder.hpp"
#include "zonebuf/pool/detail/free_list.hpp"
#include "zonebuf/pool/detail/local_cache.hpp"
#include "zonebuf/pool/detail/pool_node.hpp"
#include "zonebuf/pool/detail/zone_classes.hpp"
#include "zonebuf/pool/pool_config.hpp"
#include "zonebuf/pool/pool_stats.hpp"

namespace zonebuf::detail {

struct PoolShared {
  struct Book {
    std::uint64_t live = 0;
    std::uint64_t peakLive = 0;
    std::uint64_t misses = 0;
    // Sticky: a node was ever filed in this class (made by a miss or grown
    // into it). Without one the class has no acquisitions and nothing idle,
    // and stats() reads none of its lists.
    bool hadNode = false;
  };

  PoolShared(PoolConfig config, const ZoneTable& zones, std::size_t listCount);

  bool multiThreaded() const noexcept { return config.threading == ThreadingMode::MultiThreaded; }
  std::unique_lock<std::mutex> lock() {
    return multiThreaded() ? std::unique_lock<std::mutex>(mutex) : std::unique_lock<std::mutex>();
  }
  std::size_t listCount() const noexcept { return book.size(); }

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
  // freeChain, then, if the chain held Direct/SharedMemory buffers, gives the
  // linear arena's free pages back to the system (LinearMemoryAllocator::trim):
  // for trim() and the idle policy, not for release paths.
  static void freeChainAndTrim(PoolNode* doomed) noexcept;

  // `retained` goes down by what a caller takes out of `lists`.
  void took(std::size_t bytes) noexcept {
    ZONEBUF_ASSERT(bytes <= retained, "the shared lists gave out more bytes than they held");
    retained -= bytes;
  }

  const PoolConfig config;
  const std::uint64_t tickPeriod;             // acquisitions of one class between idle-policy checks
  std::mutex mutex;
  bool alive = true;
  std::vector<Book> book;                     // by flat list index
  std::unique_ptr<FreeList[]> lists;          // MultiThreaded shared lists
  std::size_t retained = 0;                   // idle bytes in `lists`
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
  std::unique_ptr<TraceRecorder> trace;  // config.trace, made here; closed by ~BufferPool
  std::unique_ptr<LeakDetector> leaks;   // config.leakDetection unless disabled
};

// Sets each list's cap, by zone, over the flat index of `zones`.
void setCaps(FreeList* lists, const ZoneTable& zones, const std::array<std::uint32_t, kZoneCount>& capOfZone) noexcept;
// Sets a cache's caps, zone lists and idle-policy countdown.
void initCache(LocalCache& cache, const ZoneTable& zones, const std::array<std::uint32_t, kZoneCount>& capOfZone,
               std::size_t retainedCap, std::uint64_t tickPeriod) noexcept;
// Lists count in 32 bits; a larger cap could never be reached anyway.
std::uint32_t clamp32(std::size_t v) noexcept;
// The idle policy's clock and period (pool_idle_policy.cpp).
std::uint64_t nowMillis() noexcept;
std::uint64_t tickPeriodOf(const PoolConfig& config) noexcept;

}  // namespace zonebuf::detail
