// Checked views: how a view (slice, readBytes, duplicate, NativeData, a
// StreamBuffer) tells that the buffer it views was released.
//
// Invariants:
//   - A ViewSlot lives in a process-wide slab that is never freed, so a view
//     may read its slot after the buffer it came from is long gone.
//   - An owning PlatformBuffer gets a slot the first time it makes a view
//     (owners that never make one have none and pay nothing) and keeps it
//     while it owns its block; moving the owner moves the slot with it.
//   - Releasing the block (destructor, move-assignment over the owner,
//     detach, the pool taking its lease back) advances the slot's generation
//     and recycles the slot. A slot's generation is never 0.
//   - A checked view holds {slot, generation at its creation}; it is stale
//     iff the two differ. (It keeps the slot where an owner keeps its block
//     owner's state, PlatformBuffer::ownerState_.) A view of a view inherits
//     its parent's pair; a view of wrap()-ed caller memory (or of a view of
//     it) holds generation 0 and is never checked.
//   - ZONEBUF_CHECKED_VIEWS=0 (CMake option ZONEBUF_CHECKED_VIEWS=OFF) makes no
//     view checked; PlatformBuffer's layout is the same either way.
// Thread-safety: only the slot's holder (the owner) advances its generation;
// views on any thread read it relaxed. A release that happens-before an
// access (through whatever synchronisation handed the view over) is seen by
// it (read-write coherence); a release racing with an access is a data race on
// the bytes themselves, which no check can make safe.
#pragma once

#include <atomic>
#include <cstdint>

#include "zonebuf/primitives.hpp"

#ifndef ZONEBUF_CHECKED_VIEWS
#define ZONEBUF_CHECKED_VIEWS 1
#endif

namespace zonebuf {

inline constexpr bool kCheckedViews = ZONEBUF_CHECKED_VIEWS != 0;

// A slot generation as a view holds it; 0: not a checked view. An enum, not
// an integer: a store of a value through a buffer (detail::storeValue writes
// std::uint32_t) then cannot alias it, so a caller's loop keeps it in a
// register (and the per-access compare's load out of the loop).
enum class ViewGeneration : std::uint32_t {};

namespace detail {

struct ViewSlot {
  std::atomic<ViewGeneration> generation{ViewGeneration{1}};
  ViewSlot* nextFree = nullptr;  // while recycled only (the free lists')
};

// A recycled slot, or a new one; nullptr only when no memory is left for a
// new slab (the view is then unchecked rather than the call failing).
ViewSlot* acquireViewSlot() noexcept;
// Advances the generation (every view of the slot is stale from now on) and
// recycles the slot. Called by the slot's holder only.
void retireViewSlot(ViewSlot* slot) noexcept;

// The per-access compare of a buffer's slot pointer and generation `g` (its
// viewGen_; 0: not a checked view, and `slot` is then never dereferenced).
// Under TSan a relaxed atomic load behind the test of g. Otherwise one plain
// load, of the enum type (which no value stored through a buffer can alias),
// that runs whatever g is: of the slot's word for a checked view, of g itself
// otherwise (equal: never stale). Such a load, from an address a caller's
// loop does not change, is hoisted out of a loop that makes no opaque call
// with no proof that it may be read early. A load behind `g != 0 &&` is not:
// it leaves the loop only if the loop is unswitched on g, and clang stops
// unswitching when its size budget is spent (after unswitching on the byte
// order it kept the check in a big-endian read loop: a slot load per value
// in WebAssembly, for owners too). clang checks once before the loop, which
// owners and views then share; g++ turns the load back into a branch on g
// and unswitches on it (an owner's copy of the loop checks nothing, a
// view's loads the slot once before it). `slot` is read whatever g is, so it
// comes from memory no const call writes (PlatformBuffer::stale()). Not an
// atomic load: g++ treats one as a barrier to the caller's loop, which then
// stores the position on every op and is not unswitched on the byte order
// (W1 through a view ran at 0.4x). The word is reloaded after any opaque
// call, which is where a release could happen. In a correct program the load
// never races with the store: a live view's slot is written only when its
// owner is released, which must not overlap the view's use (nor may stale()).
[[gnu::always_inline]] inline bool viewIsStale(const void* slot, const ViewGeneration& g) noexcept {
#if defined(ZONEBUF_HAS_TSAN)
  return g != ViewGeneration{} &&
         static_cast<const ViewSlot*>(slot)->generation.load(std::memory_order_relaxed) != g;
#else
  const ViewGeneration* word =
      g != ViewGeneration{} ? reinterpret_cast<const ViewGeneration*>(&static_cast<const ViewSlot*>(slot)->generation)
                            : &g;
  return *word != g;
#endif
}

#if defined(__EMSCRIPTEN__)
// How many slots were retired so far (wrapping). The JS package reads the word
// after each call into C++ and, when it moved, drops the JS-side state of its
// views that went stale, so its hot paths (which read linear memory without
// calling C++) never touch their bytes (js/src/hot.mjs).
const std::uint32_t* viewRetirements() noexcept;
#endif

// "readInt on a view of a buffer that was released ..."; `op` is the method.
[[noreturn, gnu::cold]] void throwStaleView(const char* op);

static_assert(sizeof(std::atomic<ViewGeneration>) == sizeof(ViewGeneration) &&
              std::atomic<ViewGeneration>::is_always_lock_free);

}  // namespace detail
}  // namespace zonebuf
