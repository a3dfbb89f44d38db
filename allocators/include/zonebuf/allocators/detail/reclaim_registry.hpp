// The reclaim registry: sources of idle linear-zone memory (the live
// BufferPools) that the linear allocator asks to give it back before it
// throws OutOfMemoryError. The allocators layer cannot see pool/, so pools
// register here; not for application code.
//
// Invariants:
//  - A source is called only between its addReclaimSource() and the return
//    of its removeReclaimSource(): removal waits for a reclaim in progress,
//    so a source may be destroyed as soon as removal returns.
//  - Sources are called one at a time, under the registry's mutex, on the
//    thread whose allocation failed, with no allocator lock held. A source
//    must not register, unregister or allocate linear memory from its
//    callback; a reclaim nested in one (on the same thread) gives nothing.
//  - The source named by the innermost ReclaimOwnCall of the thread is
//    called first and told so (`ownCall`): it is the one whose own call
//    failed, which may touch state that no other thread may.
#pragma once

#include <cstddef>

#include "zonebuf/allocators/allocation_zone.hpp"

namespace zonebuf::detail {

// Frees the idle memory `source` holds in `zone` and returns its byte count.
using ReclaimFn = std::size_t (*)(void* source, AllocationZone zone, bool ownCall) noexcept;

// Throws std::bad_alloc if the registry cannot grow (nothing changes then).
void addReclaimSource(void* source, ReclaimFn fn);
void removeReclaimSource(void* source) noexcept;

struct Reclaimed {
  std::size_t bytes = 0;    // given back
  std::size_t sources = 0;  // sources that gave back anything
};
// Asks every source for its idle memory in `zone` (the calling thread's own
// call's source first).
Reclaimed reclaimIdle(AllocationZone zone) noexcept;

// Marks the calling thread as inside `source`'s own call while it lives.
class ReclaimOwnCall {
 public:
  explicit ReclaimOwnCall(void* source) noexcept;
  ~ReclaimOwnCall();
  ReclaimOwnCall(const ReclaimOwnCall&) = delete;
  ReclaimOwnCall& operator=(const ReclaimOwnCall&) = delete;

 private:
  void* previous_;
};

}  // namespace zonebuf::detail
