// FreeList: a LIFO stack of idle nodes of one (zone, class). Not for
// application code.
//
// Invariants:
//  - `hot` is the top when non-null, `slots[0, count)` the rest (no pointer
//    chasing through nodes). withBuffer's hit takes `hot` and its release puts
//    the node back with one store each (no count, no index); push()/pop()
//    treat `hot` as the top too.
//  - count <= cap <= maxCount - 1, so size() <= maxCount and an empty `hot`
//    always has room; `slots` grows on demand (makeRoom), by doubling.
//  - No node is in a list twice, nor in two lists.
//  - `lowWater` is the smallest size() since the last idle-trim epoch (those
//    buffers were never needed), kept exactly without a hit-path store:
//    between two changes of `count` size() is count or count + 1, and it is
//    count right after any acquisition (a take of `hot`, or a pop or miss,
//    which leave `hot` empty); so before `count` changes (and before lowWater
//    is read) syncLowWater() checks whether the list was acquired from since
//    the last such point (`acquisitions` moved) and if so lowers lowWater to
//    count.
//  - Only the owning thread writes a cache's lists (OwnerValue); stats() may
//    read `hot`, `count` and `acquisitions` from another thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>

#include "zonebuf/allocators/detail/owner_value.hpp"
#include "zonebuf/pool/detail/pool_node.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf::detail {

struct LocalCache;

struct alignas(64) FreeList {
  constexpr FreeList() noexcept = default;

  std::uint32_t size() const noexcept { return count.load() + (hot.load() != nullptr ? 1 : 0); }
  bool hasRoom() const noexcept { return hot.load() == nullptr || count.load() < cap; }

  PoolNode* pop() noexcept {
    if (PoolNode* n = hot.load()) {
      hot.store(nullptr);
      lowWater = std::min(lowWater, count.load());
      return n;
    }
    return popBelowHot();
  }
  void push(PoolNode* n) noexcept {
    ZONEBUF_ASSERT(hasRoom(), "FreeList::push needs hasRoom() (or makeRoom())");
    ZONEBUF_ASSERT_EXPENSIVE(!holds(n), "a pooled buffer was released twice");
    if (hot.load() == nullptr) {
      hot.store(n);
      return;
    }
    syncLowWater();
    const std::uint32_t c = count.load();
    slots[c] = n;
    count.store(c + 1);
    ZONEBUF_ASSERT(size() <= maxCount, "a free list grew past its cap");
  }
  // pop() when `hot` is empty.
  PoolNode* popBelowHot() noexcept {
    syncLowWater();
    std::uint32_t c = count.load();
    if (c == 0) return nullptr;
    count.store(--c);
    lowWater = std::min(lowWater, c);
    return slots[c];
  }
  void syncLowWater() noexcept {
    const std::uint64_t a = acquisitions.get();
    if (a != lowWaterSeen) lowWater = std::min(lowWater, count.load());
    lowWaterSeen = a;
  }
  // Starts an idle-trim epoch: nothing below the current size was needed yet.
  void restartLowWater() noexcept {
    lowWater = size();
    lowWaterSeen = acquisitions.get();
  }
  // hasRoom(), growing the array first if it is full but the cap allows (and
  // memory does): slots grow by doubling up to maxCount - 1, so a large cap
  // costs memory only when that many buffers are idle at once. Slow paths only.
  bool makeRoom() noexcept {
    if (hot.load() == nullptr) return true;
    if (count.load() == cap) growSlots();
    return count.load() < cap;
  }
  // A walk of the whole list: for expensive assertions only.
  bool holds(const PoolNode* n) const noexcept {
    if (hot.load() == n) return true;
    return std::find(slots.get(), slots.get() + count.load(), n) != slots.get() + count.load();
  }

  // What the hit path touches first, then the rest; one cache line per list.
  OwnerValue<PoolNode*> hot;
  OwnerCounter<std::uint64_t> acquisitions;  // pooled acquisitions of this class (hits + misses; the size histogram)
  std::uint64_t tickAt = 0;    // `acquisitions` at which this list runs the idle-policy check
  OwnerValue<std::uint32_t> count;
  std::uint32_t cap = 0;       // slots allocated (grown on demand)
  std::unique_ptr<PoolNode*[]> slots;
  std::uint32_t maxCount = 0;  // the configured cap (>= 1 for a cache's or the shared lists)
  std::uint32_t lowWater = 0;
  std::uint64_t lowWaterSeen = 0;  // `acquisitions` when lowWater last looked
  // The cache whose list this is (nullptr for the shared lists): a release
  // that knows the list finds the books on the line it already touches.
  LocalCache* owner = nullptr;

 private:
  void growSlots() noexcept;
};
static_assert(sizeof(FreeList) == 64, "one cache line per list: the hit and its release touch only this one");

}  // namespace zonebuf::detail
