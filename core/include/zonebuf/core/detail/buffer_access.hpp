// BufferAccess: what the pool, NativeData and the stream layer may do to a
// PlatformBuffer that application code may not — take or read its block, make
// a checked view of part of it, grow it where it lies, end its views when a
// lease goes back.
// Invariant: these keep PlatformBuffer's own (platform_buffer.hpp); endViews
// is the one release the pool makes without destroying the buffer.
// Include platform_buffer.hpp, not this file.
#pragma once

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

// Narrow, explicit access to a buffer's block for the layers that manage
// memory (pool, NativeData, stream). Not for application code.
class BufferAccess {
 public:
  static Block block(const PlatformBuffer& b) noexcept { return b.ownedBlock(); }
  static Block detach(PlatformBuffer& b) noexcept { return b.detachBlock(); }
  // A checked view of [p, p + n) (inside b's bytes) in `order`, e.g. a stream's.
  static PlatformBuffer viewAt(const PlatformBuffer& b, const std::byte* p, std::size_t n, ByteOrder order) noexcept {
    PlatformBuffer v = b.viewAt(p, n);
    v.setByteOrder(order);
    return v;
  }
  // A checked view's slot and the generation it was made at; nullptr and 0
  // for anything else (owners, wrap() views, checks compiled out). The JS
  // package checks its views from JS with them.
  static const detail::ViewSlot* viewSlot(const PlatformBuffer& b) noexcept {
    return b.viewGen_ != ViewGeneration{} ? static_cast<const detail::ViewSlot*>(b.ownerState_) : nullptr;
  }
  static ViewGeneration viewGeneration(const PlatformBuffer& b) noexcept { return b.viewGen_; }
  // Grows an owning buffer's capacity to newCapacity where its block lies
  // (extendBlock: a linear block with free bytes after it). Position, limit,
  // bytes and views are untouched: the bytes did not move and the owner was
  // not released, so its views stay valid. False, nothing changed, when the
  // block cannot grow there (Heap, a view, another block after it).
  static bool extendInPlace(PlatformBuffer& b, std::size_t newCapacity) noexcept {
    if (newCapacity <= b.capacity_) return true;
    Block block = b.ownedBlock();
    if (newCapacity > PlatformBuffer::kMaxSize || !extendBlock(block, newCapacity)) return false;
    b.capacity_ = block.size;
    return true;
  }
  // The pool takes a lease back: the views of its buffer go stale.
  static void endViews(PlatformBuffer& b) noexcept {
    if (b.guard_ != nullptr) [[unlikely]] b.retireGuard();
  }
};

}  // namespace zonebuf
