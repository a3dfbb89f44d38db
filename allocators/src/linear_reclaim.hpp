// Private to the linear allocator: what its failure path does before it
// throws OutOfMemoryError (linear_reclaim.cpp). Cold paths only.
//
// Invariants: a retry's message describes the drain that preceded it (the
// bytes in use before it, and how many of them were idle in pools) exactly
// while a RetryAfterReclaim lives on the thread; spans move only from the
// calling thread's arena to GlobalArena::freeSpans (carved drops by what
// moved), only when that makes room for the request, and never while a
// Scope is live on that arena.
#pragma once

#include <cstddef>
#include <string>

#include "zonebuf/allocators/allocation_zone.hpp"

namespace zonebuf::detail {

// After an allocation of `size` in `zone` failed: asks the registered pools
// for their idle memory in the zone, then gives the calling thread's wholly
// free spans back to the global arena (merged with free neighbours) if that
// makes room for the request. True if anything was given back (a retry may
// succeed); false, having changed nothing, if the request could never fit
// or nothing was idle. No lock held.
bool reclaimForRetry(std::size_t size, AllocationZone zone);

// While it lives, the calling thread's OutOfMemoryError messages describe
// the drain reclaimForRetry just did.
class RetryAfterReclaim {
 public:
  RetryAfterReclaim() = default;
  ~RetryAfterReclaim();
  RetryAfterReclaim(const RetryAfterReclaim&) = delete;
  RetryAfterReclaim& operator=(const RetryAfterReclaim&) = delete;
};

// "N bytes in use" for the message; during a retry, N from before the drain
// and how many of them were idle in pools.
std::string describeInUse(std::size_t usedNow);

}  // namespace zonebuf::detail
