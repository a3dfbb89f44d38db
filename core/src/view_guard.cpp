// The slab of view slots (detail/view_guard.hpp): slabs are allocated and
// never freed; free slots sit on a per-thread list (no synchronisation on the
// common path: a lease that makes a view and ends on one thread) and move to
// and from one shared list in batches.
#include "zonebuf/core/detail/view_guard.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <string>

#include "zonebuf/errors.hpp"

namespace zonebuf::detail {
namespace {

constexpr std::size_t kSlabSlots = 256;
constexpr std::size_t kLocalMax = 2 * kSlabSlots;  // above it, kSlabSlots go to the shared list

struct Slab {
  Slab* next;  // every slab stays reachable (leak checkers) and is never freed
  ViewSlot slots[kSlabSlots];
};

struct SharedSlots {
  std::mutex mutex;
  ViewSlot* free = nullptr;
  std::size_t count = 0;
  Slab* slabs = nullptr;
};

// Never destroyed: buffers destroyed by static destructors still retire slots.
SharedSlots& shared() noexcept {
  static SharedSlots* s = new SharedSlots;
  return *s;
}

// Trivially destructible, so still usable while the thread's destructors run.
thread_local ViewSlot* tFree = nullptr;
thread_local std::size_t tCount = 0;
thread_local bool tExited = false;

#if defined(__EMSCRIPTEN__)
std::atomic<std::uint32_t> gRetirements{0};
static_assert(sizeof gRetirements == sizeof(std::uint32_t));
#endif

// Gives the thread's free slots to the shared list when the thread ends.
struct LocalFlush {
  bool armed = false;
  ~LocalFlush() {
    tExited = true;
    if (tFree == nullptr) return;
    ViewSlot* last = tFree;
    while (last->nextFree != nullptr) last = last->nextFree;
    SharedSlots& s = shared();
    std::lock_guard<std::mutex> lock(s.mutex);
    last->nextFree = s.free;
    s.free = tFree;
    s.count += tCount;
    tFree = nullptr;
    tCount = 0;
  }
};
thread_local LocalFlush tFlush;

// Moves up to `n` slots from the shared list to this thread's, or a new slab.
void refill() noexcept {
  SharedSlots& s = shared();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    for (std::size_t k = 0; k < kSlabSlots && s.free != nullptr; ++k) {
      ViewSlot* slot = s.free;
      s.free = slot->nextFree;
      --s.count;
      slot->nextFree = tFree;
      tFree = slot;
      ++tCount;
    }
    if (tFree != nullptr) return;
  }
  Slab* slab = new (std::nothrow) Slab{};
  if (slab == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    slab->next = s.slabs;
    s.slabs = slab;
  }
  for (ViewSlot& slot : slab->slots) {
    slot.nextFree = tFree;
    tFree = &slot;
  }
  tCount += kSlabSlots;
}

void pushShared(ViewSlot* first, ViewSlot* last, std::size_t n) noexcept {
  SharedSlots& s = shared();
  std::lock_guard<std::mutex> lock(s.mutex);
  last->nextFree = s.free;
  s.free = first;
  s.count += n;
}

}  // namespace

ViewSlot* acquireViewSlot() noexcept {
  if (tFree == nullptr) {
    if (!tExited) tFlush.armed = true;  // first use on this thread registers its destructor
    refill();
    if (tFree == nullptr) return nullptr;
  }
  ViewSlot* slot = tFree;
  tFree = slot->nextFree;
  --tCount;
  slot->nextFree = nullptr;
  return slot;
}

void retireViewSlot(ViewSlot* slot) noexcept {
  std::uint32_t next = static_cast<std::uint32_t>(slot->generation.load(std::memory_order_relaxed)) + 1;
  if (next == 0) next = 1;  // 0 means "unchecked" in a view
  slot->generation.store(ViewGeneration{next}, std::memory_order_relaxed);
#if defined(__EMSCRIPTEN__)
  gRetirements.fetch_add(1, std::memory_order_relaxed);
#endif
  if (tExited) return pushShared(slot, slot, 1);
  slot->nextFree = tFree;
  tFree = slot;
  if (++tCount <= kLocalMax) return;
  // Keep the newest kSlabSlots here, hand the rest over.
  ViewSlot* keepLast = tFree;
  for (std::size_t k = 1; k < kSlabSlots; ++k) keepLast = keepLast->nextFree;
  ViewSlot* first = keepLast->nextFree;
  ViewSlot* last = first;
  const std::size_t moved = tCount - kSlabSlots;
  for (std::size_t k = 1; k < moved; ++k) last = last->nextFree;
  keepLast->nextFree = nullptr;
  tCount = kSlabSlots;
  pushShared(first, last, moved);
}

#if defined(__EMSCRIPTEN__)
const std::uint32_t* viewRetirements() noexcept { return reinterpret_cast<const std::uint32_t*>(&gRetirements); }
#endif

void throwStaleView(const char* op) {
  throw StaleViewError(std::string(op) +
                       " on a view of a buffer that was released (its owning PlatformBuffer was destroyed, "
                       "assigned over or detached, or its pool lease was returned to the pool); keep the owner "
                       "(or the lease) alive while its views are used, or copy the bytes (toByteArray) first");
}

}  // namespace zonebuf::detail
