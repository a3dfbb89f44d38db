// LocalCache: the lists and counters one thread owns (the pool's own instance
// in SingleThreaded mode), and the per-thread lookup of it. Not for
// application code.
//
// Invariants:
//  - Only the owner writes; the lists' counters are OwnerValues, so stats()
//    may read them from another thread.
//  - The byte cap is checked against retained() = releasedBytes -
//    acquiredBytes, two counters that only grow (acquire and release touch
//    different ones): the idle bytes plus those of withBuffer leases whose
//    acquisition deferred its booking (Lease::bookingDeferred), so never
//    less, and never below zero (asserted).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/pool/detail/free_list.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf::detail {

struct LocalCache {
  explicit LocalCache(std::size_t listCount)
      : lists(std::make_unique<FreeList[]>(listCount)) {}

  std::size_t retained() const noexcept { return releasedBytes - acquiredBytes; }
  void gained(std::size_t bytes) noexcept { releasedBytes += bytes; }
  void lost(std::size_t bytes) noexcept {
    ZONEBUF_ASSERT(bytes <= retained(), "a cache booked more bytes out than it held");
    acquiredBytes += bytes;
  }

  std::unique_ptr<FreeList[]> lists;     // by flat (zone, class) index
  std::array<FreeList*, kZoneCount> zoneLists{};  // each zone's first list: the hit path indexes by class
  std::size_t releasedBytes = 0;         // bytes that went into `lists`
  std::size_t acquiredBytes = 0;         // bytes that left `lists`
  std::size_t retainedCap = 0;           // most idle bytes this cache keeps
  std::uint64_t opsSinceEpoch = 0;
  std::uint64_t epochStartMillis = 0;
  std::uint64_t seenTrimRequest = 0;  // MultiThreaded: trim() generations handled
};

// Per-thread fast lookup of this thread's cache for the pool it used last.
// Pool ids are never reused, so a stale entry can never match a live pool.
struct ThreadSlot {
  std::uint64_t poolId = 0;
  LocalCache* cache = nullptr;
};
inline constinit thread_local ThreadSlot tThreadSlot{};

}  // namespace zonebuf::detail
