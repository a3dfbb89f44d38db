// The idle policy: every tickPeriod acquisitions of a class, a cache checks
// whether an idle-trim epoch ended (idleTrimOperations, idleTrimMillis) or a
// MultiThreaded trim() asked for its buffers, and gives back to the
// allocators what it did not need.
#include <algorithm>
#include <chrono>

#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

namespace detail {

// Each class counts its own acquisitions (the hit path already bumps that
// counter, so a shared countdown would cost a second read-modify-write) and
// runs the idle-policy check every this many of them. Steps of at most 1024
// keep a period from running long when traffic spreads over many classes;
// time-based trimming and MultiThreaded trim requests are noticed at checks.
// Tracing samples at checks too, so they come at least every sampleEvery
// acquisitions of a class.
std::uint64_t tickPeriodOf(const PoolConfig& c) noexcept {
  const bool anyPolicy = c.idleTrimOperations != 0 || c.idleTrimMillis != 0 || c.threading == ThreadingMode::MultiThreaded;
  std::uint64_t period = std::uint64_t{1} << 62;
  if (anyPolicy) period = c.idleTrimOperations != 0 ? std::min<std::uint64_t>(c.idleTrimOperations, 1024) : 1024;
  if (c.trace.enabled()) period = std::min<std::uint64_t>(period, c.trace.sampleEvery);
  // Leak detection samples at checks too (every one of them at Paranoid).
  if (c.leakDetection.level == LeakDetectionLevel::Paranoid) return 1;
  return c.leakDetection.enabled() ? std::min<std::uint64_t>(period, c.leakDetection.sampleEvery) : period;
}

std::uint64_t nowMillis() noexcept {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

}  // namespace detail

void BufferPool::onTick(detail::LocalCache* cache, detail::FreeList& list, detail::PoolNode* node,
                        std::size_t size) noexcept {
  detail::PoolShared& s = *shared_;
  if (s.trace) s.trace->onTick(node, size);
  if (s.leaks && s.leaks->sampleTick()) recordLeak(node, ZONEBUF_LEAK_CALLER());
  const PoolConfig& c = s.config;
  list.tickAt += s.tickPeriod;
  cache->opsSinceEpoch += s.tickPeriod;
  bool trimAll = false;
  if (s.multiThreaded()) {
    const std::uint64_t request = s.trimRequests.load(std::memory_order_relaxed);
    trimAll = request != cache->seenTrimRequest;
    cache->seenTrimRequest = request;
  }
  bool epoch = c.idleTrimOperations != 0 && cache->opsSinceEpoch >= c.idleTrimOperations;
  std::uint64_t now = 0;
  if (c.idleTrimMillis != 0) {
    now = detail::nowMillis();
    epoch = epoch || now - cache->epochStartMillis >= c.idleTrimMillis;
  }
  if (!epoch && !trimAll) return;
  detail::PoolNode* doomed = nullptr;
  {
    auto lock = s.lock();
    for (std::size_t i = 0; i < s.listCount(); ++i) {
      cache->lost(trimAll ? s.retireList(cache->lists[i], doomed) : s.retireLowWater(cache->lists[i], doomed));
      if (epoch && s.multiThreaded()) s.took(s.retireLowWater(s.lists[i], doomed));
    }
  }
  if (epoch) {
    cache->opsSinceEpoch = 0;
    cache->epochStartMillis = now != 0 ? now : detail::nowMillis();
  }
  detail::PoolShared::freeChainAndTrim(doomed);
}

}  // namespace zonebuf
