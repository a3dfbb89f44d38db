// A lease and its release: the mirror of BufferPool::acquireHit. The fast
// release and the conditions it needs (H, K, T, C) are tabled at the top of
// pool_node.hpp; everything else is releaseSlow's one decision tree in
// pool/src/pool_release.cpp. Not for application code.
#pragma once

#include "zonebuf/pool/detail/free_list.hpp"
#include "zonebuf/pool/detail/local_cache.hpp"
#include "zonebuf/pool/detail/pool_node.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf::detail {

// Scoped (withBuffer): a hit leaves the cache's idle-byte books as they are,
// so its node still counts as idle there until the release
// (bookingDeferred); a release that pushes it back where it was then has
// nothing to book and nothing to check against the byte cap (the books never
// went down), and any other release books the acquisition first. While the
// lease lasts the cap is applied as if it were idle: stricter, never looser,
// and only for as long as fn runs. (stats() counts idle buffers in the
// lists: exact either way.)
// Held (a PooledBuffer, which may live long): books at once, and keeps its
// home list only in a SingleThreaded pool: in a MultiThreaded one the lease
// may end on another thread, whose cache is not this one.
enum class LeaseKind { Scoped, Held };

// What an acquisition hands to its release. The home list's owner is the
// acquiring thread's cache.
struct Lease {
  PoolNode* node;
  FreeList* list = nullptr;      // home list (H), or nullptr: no fast release
  bool bookingDeferred = false;  // Scoped idle hit: list->owner still counts the node as idle
};

// The general release, out of line. By value, field by field: a Lease passed
// by address would have to live in memory.
void releaseSlow(PoolNode* node, FreeList* list, bool bookingDeferred) noexcept;

template <LeaseKind kKind>
[[gnu::always_inline]] inline void releaseLease(const Lease& lease) noexcept {
  PoolNode* n = lease.node;
  FreeList* list = lease.list;
  // Every release path starts here: views of the lease's buffer go stale
  // before the node can be handed out again (one predicted branch when the
  // lease made no view).
  BufferAccess::endViews(n->buffer);
  if (ZONEBUF_LIKELY(list != nullptr && n->buffer.data() == n->fastKey && list->hot.load() == nullptr)) {
    if constexpr (kKind == LeaseKind::Scoped) {
      poisonIdle(n);
      list->hot.store(n);
      return;
    } else {
      LocalCache* cache = list->owner;
      if (ZONEBUF_LIKELY(cache->retained() + n->capacity <= cache->retainedCap)) {
        poisonIdle(n);
        list->hot.store(n);
        cache->gained(n->capacity);
        return;
      }
    }
  }
  releaseSlow(n, list, kKind == LeaseKind::Scoped && lease.bookingDeferred);
}

}  // namespace zonebuf::detail
