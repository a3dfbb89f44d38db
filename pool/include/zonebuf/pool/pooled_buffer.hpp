// PooledBuffer: a lease on one pooled buffer (move-only RAII).
//
// Invariants: an active lease refers to exactly one buffer that no other lease
// refers to; it goes back to the pool it came from (the only pool it knows, so
// it cannot be returned to another) when release() is called, when it is
// destroyed, or when another lease is moved into it. After release() or a move
// the lease is empty: buffer(), operator-> and a second release() throw
// InvalidArgumentError. The buffer's capacity is its size class (>= the
// requested size); call setLimit(requested) if the exact bound matters.
#pragma once

#include "zonebuf/primitives.hpp"

#include <utility>

#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/pool/detail/lease_growth.hpp"
#include "zonebuf/pool/detail/lease_release.hpp"

namespace zonebuf {

namespace detail {
// Defined in pool/src/pooled_buffer.cpp.
[[noreturn]] ZONEBUF_COLD void throwEmptyLease(const char* op);
}

class PooledBuffer {
 public:
  PooledBuffer() noexcept = default;
  PooledBuffer(const PooledBuffer&) = delete;
  PooledBuffer& operator=(const PooledBuffer&) = delete;
  PooledBuffer(PooledBuffer&& other) noexcept
      : node_(std::exchange(other.node_, nullptr)), list_(other.list_) {}
  PooledBuffer& operator=(PooledBuffer&& other) noexcept {
    if (this != &other) {
      giveBack();
      node_ = std::exchange(other.node_, nullptr);
      list_ = other.list_;
    }
    return *this;
  }
  [[gnu::always_inline]] ~PooledBuffer() { giveBack(); }

  // True while the lease holds a buffer.
  bool active() const noexcept { return node_ != nullptr; }
  explicit operator bool() const noexcept { return active(); }

  PlatformBuffer& buffer() {
    if (ZONEBUF_UNLIKELY(node_ == nullptr)) detail::throwEmptyLease("buffer()");
    return node_->buffer;
  }
  PlatformBuffer& operator*() { return buffer(); }
  PlatformBuffer* operator->() { return &buffer(); }

  // Returns the buffer to its pool now. Throws InvalidArgumentError if the
  // lease is empty (already released or moved from).
  void release() {
    if (ZONEBUF_UNLIKELY(node_ == nullptr)) detail::throwEmptyLease("release()");
    giveBack();
  }

 private:
  friend class BufferPool;
  friend bool detail::growLeaseInPlace(PooledBuffer& lease, std::size_t size) noexcept;
  explicit PooledBuffer(const detail::Lease& lease) noexcept : node_(lease.node), list_(lease.list) {}
  // The release protocol: detail/pool_node.hpp.
  [[gnu::always_inline]] void giveBack() noexcept {
    if (node_ == nullptr) return;
    detail::releaseLease<detail::LeaseKind::Held>({std::exchange(node_, nullptr), list_});
  }

  detail::PoolNode* node_ = nullptr;
  // The list a SingleThreaded hit came from (see BufferPool::acquireHit);
  // nullptr for every other lease.
  detail::FreeList* list_ = nullptr;
};

}  // namespace zonebuf
