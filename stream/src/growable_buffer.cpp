// GrowableBuffer: growth in place where the zone allows it, else by moving
// to a larger pooled lease.
#include "zonebuf/stream/growable_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace zonebuf {

GrowableBuffer::GrowableBuffer(BufferPool& pool, std::size_t initialCapacity, AllocationZone zone, ByteOrder order)
    : pool_(&pool), initialCapacity_(std::max<std::size_t>(initialCapacity, 1)), zone_(zone), order_(order) {}

PlatformBuffer& GrowableBuffer::buffer() {
  if (!lease_.active()) lease_ = pool_->acquire(initialCapacity_, zone_, order_);
  return lease_.buffer();
}

PlatformBuffer& GrowableBuffer::ensureWritable(std::size_t n) {
  // Without a lease yet, the first one is sized for n: no move to follow.
  if (!lease_.active()) lease_ = pool_->acquire(std::max(initialCapacity_, n), zone_, order_);
  PlatformBuffer& b = lease_.buffer();
  const std::size_t used = b.position();
  if (b.capacity() - used >= n) {
    if (b.limit() - used < n) b.setLimit(b.capacity());
    return b;
  }
  if (n > PlatformBuffer::kMaxSize - used) [[unlikely]] {
    throw InvalidArgumentError("GrowableBuffer::ensureWritable(" + std::to_string(n) + ") with " +
                               std::to_string(used) + " bytes written exceeds PlatformBuffer::kMaxSize");
  }
  const std::size_t doubled = b.capacity() > PlatformBuffer::kMaxSize / 2 ? PlatformBuffer::kMaxSize : b.capacity() * 2;
  const std::size_t want = std::max(used + n, doubled);
  // A linear block with free bytes after it grows where it lies: no copy,
  // and the lease (with every view of it) stays as it is.
  if (zone_ != AllocationZone::Heap && detail::growLeaseInPlace(lease_, want)) {
    b.setLimit(b.capacity());
    ++growInPlaceCount_;
    return b;
  }
  PooledBuffer bigger = pool_->acquire(want, zone_, order_);  // may throw: nothing changed
  PlatformBuffer& nb = bigger.buffer();
  if (used != 0) std::memcpy(nb.data(), b.data(), used);
  nb.position(used);
  lease_ = std::move(bigger);  // the old lease goes back to the pool here
  ++growCount_;
  bytesMoved_ += used;
  return lease_.buffer();
}

GrowableBuffer& GrowableBuffer::write(std::span<const std::byte> bytes) {
  ensureWritable(bytes.size()).writeBytes(bytes);
  return *this;
}

PooledBuffer GrowableBuffer::take() {
  if (lease_.active()) lease_.buffer().resetForRead();
  return std::move(lease_);
}

void GrowableBuffer::clear() noexcept {
  if (lease_.active()) lease_.buffer().resetForWrite();
}

}  // namespace zonebuf
