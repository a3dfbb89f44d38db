// Growing a lease in place (detail/lease_growth.hpp): the block grows where
// it lies, then the books move the node to the class its new capacity is.
#include <algorithm>

#include "pool_shared.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

using detail::PoolNode;

bool detail::growLeaseInPlace(PooledBuffer& lease, std::size_t size) noexcept {
  PoolNode* n = lease.node_;
  if (n == nullptr) return false;
  if (size <= n->buffer.capacity()) return true;
  // An orphan's pool is gone: there are no books to move it in.
  if ((n->slot.load(std::memory_order_acquire) & kOrphanBit) != 0) return false;
  if (!n->pool->growInPlace(n, size)) return false;
  // The lease's home list was its old class's: its release now takes the
  // general path, which files the node by its slot.
  lease.list_ = nullptr;
  return true;
}

bool BufferPool::growInPlace(PoolNode* n, std::size_t size) noexcept {
  // Moved out of its lease: the node does not describe the buffer it holds.
  if (n->buffer.data() != n->data) return false;
  const auto z = static_cast<std::size_t>(n->zone);
  const detail::ZoneClasses& zc = zones_[z];
  const std::size_t ci = zc.classes.find(size);
  const bool toOversize = ci == SizeClasses::kNone;
  const std::size_t target = toOversize ? size : zc.classes.sizeOf(ci);
  if (!BufferAccess::extendInPlace(n->buffer, target)) return false;
  // Nothing below can fail: the books follow the block.
  const std::size_t grownBy = target - n->capacity;
  const bool wasOversize = n->oversize();
  n->capacity = target;
  if (!wasOversize) {
    auto lock = shared_->lock();
    detail::PoolShared& s = *shared_;
    detail::PoolShared::Book& from = s.book[n->listIndex()];
    ZONEBUF_ASSERT(from.live > 0, "a leased node is live in its class");
    from.live--;
    std::uint32_t slot = toOversize ? detail::kOversizeBit : static_cast<std::uint32_t>(zc.base + ci);
    if (toOversize) {
      s.liveTotal--;
      s.oversizeOutstanding++;
    } else {
      detail::PoolShared::Book& to = s.book[slot];
      to.peakLive = std::max(to.peakLive, ++to.live);
      to.hadNode = true;
    }
    // The sampling bits stay (their releases are recorded); a CAS because
    // ~BufferPool may set kOrphanBit from another thread.
    std::uint32_t was = n->slot.load(std::memory_order_relaxed);
    while (!n->slot.compare_exchange_weak(was, (was & (detail::kSpecialBits & ~detail::kOversizeBit)) | slot,
                                          std::memory_order_relaxed)) {
    }
  }
  if (detail::LeakDetector* leaks = shared_->leaks.get()) {
    if (wasOversize || toOversize) leaks->oversizeGrew(wasOversize ? grownBy : target);
    if ((n->slot.load(std::memory_order_relaxed) & detail::kLeakBit) != 0) leaks->onGrow(n);
  }
  return true;
}

}  // namespace zonebuf
