// MultiThreaded mode: each thread's cache for each pool it uses, and the
// thread-exit hook that hands the cache back.
//
// A thread keeps one Entry per pool: the pool's id (never reused), a weak
// reference to the pool's shared part and the cache it owns. At thread exit
// the hook locks the shared part; if the pool is still alive the cache's
// buffers go to the shared lists (under the caps) and its counters to the
// pool's totals. A pool destroyed first has already freed the cache's buffers
// (under the same lock) and marked itself dead, so the hook only frees the
// cache record: it never touches a destroyed pool.
#include <algorithm>
#include <array>

#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

namespace {

using detail::LocalCache;
using detail::PoolShared;

struct ThreadRegistry {
  struct Entry {
    std::uint64_t poolId;
    std::weak_ptr<PoolShared> shared;
    std::unique_ptr<LocalCache> cache;
  };
  std::vector<Entry> entries;
  ~ThreadRegistry();
};

// Set when this thread's registry is being destroyed: later pool use on the
// thread (from other thread_local destructors) goes through the shared lists.
constinit thread_local bool tExiting = false;
thread_local ThreadRegistry tRegistry;

void handBack(ThreadRegistry::Entry& entry) noexcept {
  if (std::shared_ptr<PoolShared> shared = entry.shared.lock()) {
    detail::PoolNode* doomed = nullptr;
    {
      auto lock = shared->lock();
      if (shared->alive) shared->absorbCache(entry.cache.get(), doomed);
    }
    PoolShared::freeChain(doomed);
  }
  entry.cache.reset();
}

ThreadRegistry::~ThreadRegistry() {
  tExiting = true;
  detail::tThreadSlot = {};
  for (Entry& e : entries) handBack(e);
}

}  // namespace

LocalCache* BufferPool::findThreadCache() noexcept {
  if (detail::tThreadSlot.poolId == id_) return detail::tThreadSlot.cache;
  if (tExiting) return nullptr;
  for (ThreadRegistry::Entry& e : tRegistry.entries)
    if (e.poolId == id_) return e.cache.get();
  return nullptr;
}

LocalCache* BufferPool::attachThread() noexcept {
  if (tExiting) return nullptr;
  try {
    ThreadRegistry& reg = tRegistry;
    for (ThreadRegistry::Entry& e : reg.entries) {
      if (e.poolId == id_) {
        detail::tThreadSlot = {id_, e.cache.get()};
        return e.cache.get();
      }
    }
    // Records of destroyed pools (their buffers are already freed).
    std::erase_if(reg.entries, [](const ThreadRegistry::Entry& e) { return e.shared.expired(); });
    reg.entries.reserve(reg.entries.size() + 1);
    auto cache = std::make_unique<LocalCache>(shared_->listCount());
    const PoolConfig& c = shared_->config;
    std::array<std::uint32_t, kZoneCount> caps{};
    caps.fill(detail::clamp32(c.threadCacheCount));
    detail::initCache(*cache, zones_, caps, c.threadCacheBytes, shared_->tickPeriod);
    {
      auto lock = shared_->lock();
      shared_->caches.push_back(cache.get());
      cache->seenTrimRequest = shared_->trimRequests.load(std::memory_order_relaxed);
    }
    LocalCache* raw = cache.get();
    reg.entries.push_back({id_, shared_, std::move(cache)});
    detail::tThreadSlot = {id_, raw};
    return raw;
  } catch (...) {
    return nullptr;  // no cache: this thread uses the shared lists under the lock
  }
}

}  // namespace zonebuf
