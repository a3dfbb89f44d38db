// The linear allocator's cold paths: configuration, thread arenas, spans,
// growth, foreign releases and statistics. The hot paths are inline in
// linear_memory_allocator.hpp.
#include "zonebuf/allocators/linear_memory_allocator.hpp"

#include <algorithm>
#include <string>

#include "linear_arena_internal.hpp"
#include "linear_reclaim.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace detail {

ThreadArena gEmptyArena;
constinit thread_local ThreadArena* tlsArena[kArenaCount] = {
    &gEmptyArena,
#ifndef __EMSCRIPTEN__
    &gEmptyArena,
#endif
};

LinearGlobal& linearGlobal() noexcept {
  static LinearGlobal* g = new LinearGlobal;
  return *g;
}

namespace {

constexpr std::size_t kMB = std::size_t{1} << 20;

// Abandons this thread's arenas when it exits, for the next new thread to adopt.
struct ArenaExitGuard {
  bool armed = false;
  ~ArenaExitGuard() {
    LinearGlobal& g = linearGlobal();
    std::lock_guard lock(g.mutex);
    for (unsigned i = 0; i < kArenaCount; ++i) {
      if (tlsArena[i] == &gEmptyArena) continue;
      g.arenas[i].abandoned.push_back(tlsArena[i]);
      tlsArena[i] = &gEmptyArena;
    }
  }
};
thread_local ArenaExitGuard tlsExitGuard;

std::size_t mbCeil(std::size_t bytes) { return bytes / kMB + (bytes % kMB != 0); }

[[noreturn, gnu::cold]] void throwExceeded(LinearGlobal& g, GlobalArena& ga, std::size_t size, AllocationZone zone,
                                           const std::string& why) {
  std::size_t used = 0;
  for (const ThreadArena* a : ga.arenas) used += a->used.get();
  const std::size_t suggested = std::max(g.maxSizeMB * 2, g.maxSizeMB + mbCeil(size) + 1);
  throw OutOfMemoryError(
      "LinearBuffer allocation of " + std::to_string(size) + " bytes exceeded the " + std::to_string(g.maxSizeMB) +
      "MB linear-memory arena (zone " + std::string(zoneName(zone)) + ": " + std::to_string(ga.reserved / kMB) +
      "MB reserved in " + std::to_string(ga.chunks.size()) + " chunk(s), " + describeInUse(used) +
      (why.empty() ? "" : "; " + why) +
      "). Call LinearMemoryAllocator::configure(initialSizeMB = N, maxSizeMB = " + std::to_string(suggested) +
      ") at startup with a larger value, or use AllocationZone::Heap for high-frequency allocation.");
}

// Cuts [top, end) into whole class blocks on the free lists (every remainder is
// a multiple of 64, so nothing is lost), leaving the arena without a span.
void retireCurrentSpan(ThreadArena* a) noexcept {
  while (a->top != a->end) {
    const auto rest = static_cast<std::size_t>(a->end - a->top);
    const unsigned cls = std::min(largestClassWithin(rest), kClassCount - 1);
    auto* node = reinterpret_cast<FreeNode*>(a->top);
    setNext(node, a->freeLists[cls]);
    a->freeLists[cls] = node;
    a->freeListBytes.add(classSize(cls));
    a->top += classSize(cls);
  }
  a->top = a->end = nullptr;
  a->currentSpan = -1;
}

// A span of at least minBytes (at most wantBytes when carved fresh). Throws
// OutOfMemoryError with nothing changed if the ceiling forbids it.
Span acquireSpan(unsigned idx, std::size_t minBytes, std::size_t wantBytes, std::size_t request,
                 AllocationZone zone) {
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  GlobalArena& ga = g.arenas[idx];
  if (Span reused; takeFreeSpan(ga, minBytes, wantBytes, reused)) return reused;
  const std::size_t maxBytes = g.maxSizeMB * kMB;
  if (static_cast<std::size_t>(ga.chunkEnd - ga.chunkTop) < minBytes) {
    const std::size_t room = maxBytes - ga.reserved;
    // The first chunk is initialSizeMB (or the first request, if larger);
    // later ones double the arena, within the ceiling.
    const std::size_t grow = std::max(mbCeil(minBytes) * kMB,
                                      ga.chunks.empty() ? g.initialSizeMB * kMB : std::min(ga.reserved, room));
    if (grow > room) throwExceeded(g, ga, request, zone, "");
    ga.chunks.reserve(ga.chunks.size() + 1);
    ga.freeSpans.reserve(ga.freeSpans.size() + 1);
    const std::size_t fileOffset = ga.reserved;
    std::string why;
    std::byte* base = mapChunk(ga, idx, grow, fileOffset, why);
    if (base == nullptr) throwExceeded(g, ga, request, zone, why);
    if (ga.chunkEnd - ga.chunkTop >= static_cast<std::ptrdiff_t>(kLinearAlignment))
      ga.freeSpans.push_back(Span{ga.chunkTop, ga.chunkEnd});
    ga.chunks.push_back(Chunk{base, grow, fileOffset});
    ga.reserved += grow;
    ga.chunkTop = base;
    ga.chunkEnd = base + grow;
  }
  const Span s = takeFrom(ga.chunkTop, ga.chunkEnd, wantBytes);
  ga.carved += static_cast<std::size_t>(s.end - s.begin);
  return s;
}

}  // namespace

ThreadArena* ensureArena(unsigned idx) {
  ThreadArena* a = tlsArena[idx];
  if (a != &gEmptyArena) return a;
  tlsExitGuard.armed = true;  // first use constructs it, so it runs at thread exit
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  GlobalArena& ga = g.arenas[idx];
  if (!ga.abandoned.empty()) {
    a = ga.abandoned.back();
    ga.abandoned.pop_back();
  } else {
    ga.arenas.reserve(ga.arenas.size() + 1);
    a = new ThreadArena;
    a->arenaIndex = idx;
    ga.arenas.push_back(a);
  }
  tlsArena[idx] = a;
  return a;
}

void drainRemote(ThreadArena* a) noexcept {
  if (a->remote.load(std::memory_order_relaxed) == nullptr) return;
  RemoteNode* n = a->remote.exchange(nullptr, std::memory_order_acquire);
  std::size_t bytes = 0;
  for (RemoteNode* m = n; m != nullptr; m = m->next) bytes += classSize(sizeClassOf(m->size));  // headers addressable
  // Before releaseLocal lowers `used`, so a concurrent stats() never sees
  // remoteBytes > used.
  a->remoteBytes.fetch_sub(bytes, std::memory_order_relaxed);
  while (n != nullptr) {
    RemoteNode* next = n->next;
    releaseLocal(a, reinterpret_cast<std::byte*>(n), n->size);
    n = next;
  }
}

}  // namespace detail

using namespace detail;

LinearMemoryAllocator::SlowGrant LinearMemoryAllocator::allocateSlow(std::size_t size, AllocationZone zone) {
  const auto grant = [](const Block& b) {
    ZONEBUF_ASSERT(b.owner == BlockOwner::Linear, "the arena hands out linear blocks");
    return SlowGrant{b.data, static_cast<ThreadArena*>(b.ownerState)};
  };
  try {
    return grant(allocateFromArena(size, zone));
  } catch (const OutOfMemoryError&) {
    // Before failing, the pools' idle memory and this thread's free spans go back (linear_reclaim.cpp).
    if (!reclaimForRetry(size, zone)) throw;
  }
  const RetryAfterReclaim retry;
  return grant(allocateFromArena(size, zone));
}

Block LinearMemoryAllocator::allocateFromArena(std::size_t size, AllocationZone zone) {
  const unsigned idx = arenaIndexOf(zone);
  LinearGlobal& g = linearGlobal();
  if (size > kMaxClassSize) [[unlikely]] {
    std::lock_guard lock(g.mutex);
    throwExceeded(g, g.arenas[idx], size, zone, "");
  }
  ThreadArena* a = ensureArena(idx);
  drainRemote(a);
  Block out;
  if (tryServe(a, size, zone, out)) return out;  // remote frees may have made room
  const std::size_t rs = classSize(sizeClassOf(size));
  a->spans.reserve(a->spans.size() + 1);  // so that nothing can throw after the span is taken
  std::size_t spanBytes;
  {
    std::lock_guard lock(g.mutex);
    spanBytes = g.spanBytes();
  }
  if (rs > spanBytes / LinearGlobal::kOwnSpanFraction) {
    // A dedicated span, so a large block does not retire the current span.
    const Span s = acquireSpan(idx, rs, rs, size, zone);
    asanPoison(s.begin, static_cast<std::size_t>(s.end - s.begin));
    a->spans.push_back(s);
    return handOut(a, s.begin, size, rs, zone);
  }
  const Span s = acquireSpan(idx, rs, spanBytes, size, zone);
  asanPoison(s.begin, static_cast<std::size_t>(s.end - s.begin));  // handOut unpoisons what it hands out
  retireCurrentSpan(a);
  a->spans.push_back(s);
  a->currentSpan = static_cast<std::ptrdiff_t>(a->spans.size() - 1);
  a->top = s.begin + rs;
  a->end = s.end;
  return handOut(a, s.begin, size, rs, zone);
}

void LinearMemoryAllocator::releaseForeign(ThreadArena* a, std::byte* data, std::size_t size) noexcept {
  if (a == nullptr) return;
  // Counted before the push, so the owner's drain never subtracts first.
  a->remoteBytes.fetch_add(classSize(sizeClassOf(size)), std::memory_order_relaxed);
  auto* node = reinterpret_cast<RemoteNode*>(data);
  // The header stays addressable until the owner drains it (the owner's
  // releaseLocal then poisons the whole block); the rest is nobody's now.
  const std::size_t rs = classSize(sizeClassOf(size));
  asanUnpoison(node, sizeof(RemoteNode));
  asanPoison(data + sizeof(RemoteNode), rs - sizeof(RemoteNode));
  node->size = size;
  node->next = a->remote.load(std::memory_order_relaxed);
  while (!a->remote.compare_exchange_weak(node->next, node, std::memory_order_release, std::memory_order_relaxed)) {
  }
  a->remoteFrees.fetch_add(1, std::memory_order_relaxed);
}

void LinearMemoryAllocator::configure(std::size_t initialSizeMB, std::size_t maxSizeMB) {
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  const std::string call = "LinearMemoryAllocator::configure(initialSizeMB = " + std::to_string(initialSizeMB) +
                           ", maxSizeMB = " + std::to_string(maxSizeMB) + ")";
  const std::string fix = "call it at startup before any LinearBuffer allocation";
  const std::string range = " with 1 <= initialSizeMB <= maxSizeMB <= " + std::to_string(kCeilingLimitMB);
  if (g.reservedAny()) {
    throw InvalidArgumentError(call + " was called after the first LinearBuffer allocation, when the arena (" +
                               std::to_string(g.initialSizeMB) + "MB initial, " + std::to_string(g.maxSizeMB) +
                               "MB max) is already reserved; " + fix + ".");
  }
  if (initialSizeMB == 0) throw InvalidArgumentError(call + ": initialSizeMB must be at least 1; " + fix + range + ".");
  if (initialSizeMB > maxSizeMB)
    throw InvalidArgumentError(call + ": initialSizeMB exceeds maxSizeMB; " + fix + range + ".");
  if (maxSizeMB > kCeilingLimitMB)
    throw InvalidArgumentError(call + ": maxSizeMB exceeds " + std::to_string(kCeilingLimitMB) +
                               "MB, the most this platform can address; " + fix + range + ".");
  g.initialSizeMB = initialSizeMB;
  g.maxSizeMB = maxSizeMB;
}

namespace {
void addStats(LinearMemoryStats& s, const GlobalArena& ga) {
  s.reserved += ga.reserved;
  s.resident += residentBytes(ga);
  s.released += ga.released;
  s.carved += ga.carved;
  s.chunks += ga.chunks.size();
  s.threadArenas += ga.arenas.size();
  for (const ThreadArena* a : ga.arenas) {
    // Remotely released blocks are free but not drained yet: report them so.
    const std::size_t remote = a->remoteBytes.load(std::memory_order_relaxed);
    const std::size_t used = a->used.get();
    s.used += used > remote ? used - remote : 0;
    s.freeListBytes += remote;
    s.peak += a->peak.get();
    s.freeListBytes += a->freeListBytes.get();
    s.allocations += a->allocations.get();
    s.reuses += a->reuses.get();
    s.remoteFrees += a->remoteFrees.load(std::memory_order_relaxed);
    s.scopeOverruns += a->scopeOverruns.get();
    s.extensions += a->extensions.get();
  }
}
}  // namespace

LinearMemoryStats LinearMemoryAllocator::stats() {
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  LinearMemoryStats s;
  for (const GlobalArena& ga : g.arenas) addStats(s, ga);
  s.initialSizeMB = g.initialSizeMB;
  s.maxSizeMB = g.maxSizeMB;
  return s;
}

LinearMemoryStats LinearMemoryAllocator::stats(AllocationZone zone) {
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  LinearMemoryStats s;
  addStats(s, g.arenas[arenaIndexOf(zone)]);
  s.initialSizeMB = g.initialSizeMB;
  s.maxSizeMB = g.maxSizeMB;
  return s;
}

SharedMemoryHandle LinearMemoryAllocator::sharedMemoryHandle(const void* p) {
#ifndef __EMSCRIPTEN__
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  const GlobalArena& ga = g.arenas[arenaIndexOf(AllocationZone::SharedMemory)];
  const auto* b = static_cast<const std::byte*>(p);
  for (const Chunk& c : ga.chunks) {
    if (b >= c.base && b < c.base + c.size)
      return SharedMemoryHandle{ga.fd, c.fileOffset + static_cast<std::size_t>(b - c.base)};
  }
  throw InvalidArgumentError(
      "sharedMemoryHandle: the address is not inside the SharedMemory arena; pass a byte of a buffer "
      "allocated with AllocationZone::SharedMemory");
#else
  (void)p;
  throw InvalidArgumentError(
      "sharedMemoryHandle: WebAssembly has no file descriptors; SharedMemory lives in linear memory, so "
      "share the buffer's baseOffset() with the other thread or with JavaScript instead");
#endif
}

}  // namespace zonebuf
