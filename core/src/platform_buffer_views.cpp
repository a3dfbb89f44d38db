// PlatformBuffer's checked views (detail/view_guard.hpp): making one, and
// what releasing an owner does to them.
#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

PlatformBuffer PlatformBuffer::viewAt(const std::byte* p, std::size_t n) const noexcept {
  PlatformBuffer v(const_cast<std::byte*>(p), n, zone_, order_, BlockOwner::None, nullptr);
  if constexpr (!kCheckedViews) return v;
  if (viewGen_ != ViewGeneration{}) {  // a view of a checked view inherits its guard
    v.ownerState_ = ownerState_;  // a checked view's slot
    v.viewGen_ = viewGen_;
    return v;
  }
  if (owner_ == BlockOwner::None) return v;  // wrap()-ed memory, or a view of it: unchecked
  // Const callers on several threads may race to give the owner its slot:
  // the first to publish it wins, the others recycle theirs.
  detail::ViewSlot* slot = __atomic_load_n(&guard_, __ATOMIC_ACQUIRE);
  if (slot == nullptr) {
    detail::ViewSlot* mine = detail::acquireViewSlot();
    if (mine == nullptr) return v;  // no memory for a slab: unchecked rather than failing
    if (__atomic_compare_exchange_n(&guard_, &slot, mine, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      slot = mine;
    } else {
      detail::retireViewSlot(mine);
    }
  }
  v.ownerState_ = slot;  // where a view keeps its slot (platform_buffer.hpp)
  v.viewGen_ = slot->generation.load(std::memory_order_relaxed);
  return v;
}

}  // namespace zonebuf
