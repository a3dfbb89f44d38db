// GrowableBuffer: an output buffer of unknown final size, kept in a pooled
// lease that moves to a larger size class when it runs out of room.
//
// Invariants:
//   - The bytes written so far are [0, position()) of buffer(); limit() ==
//     capacity() after every growth.
//   - Growing (ensureWritable with too little room) asks for
//     max(position + n, 2 x capacity) bytes, rounded up by the pool to a
//     size class, in one of two ways:
//     - In place (Direct and SharedMemory): when the lease's block can
//       extend where it lies (LinearMemoryAllocator::tryExtend: it ends at
//       its thread's bump top, or at the chunk's uncarved top, with room),
//       the capacity grows and nothing moves: same lease, same data(),
//       position, byte order and bytes kept, and every view of the buffer
//       (slice, readBytes, duplicate, NativeData, a PlatformBuffer& held
//       across the call) stays valid. growInPlaceCount() counts these.
//     - Otherwise by a move: a lease of that size, [0, position) copied into
//       it, position and byte order kept, the old lease given back to the
//       pool at once. Every view of the old buffer is then invalid: it
//       points into a buffer the pool may hand to someone else (a view made
//       by the buffer's calls throws StaleViewError on use). growCount()
//       and bytesMoved() count these.
//     Which one happens depends on what else the arena holds, so code that
//     must work either way keeps offsets, not views.
//   - A failed growth (OutOfMemoryError, InvalidArgumentError) changes nothing.
//   - Above the zone's largest size class the pool serves leases unpooled
//     (counted as oversize in its stats); a lease that grew in place past it
//     is unpooled too (freed at release), but no oversize request was made.
#pragma once

#include <cstddef>
#include <cstdint>

#include "zonebuf/pool/buffer_pool.hpp"

namespace zonebuf {

class GrowableBuffer {
 public:
  explicit GrowableBuffer(BufferPool& pool, std::size_t initialCapacity = 256,
                          AllocationZone zone = AllocationZone::Heap, ByteOrder order = ByteOrder::BigEndian);

  // The current buffer (acquires the initial lease if there is none).
  PlatformBuffer& buffer();
  // Makes room for n more bytes at the position; returns buffer().
  PlatformBuffer& ensureWritable(std::size_t n);
  // ensureWritable(bytes.size()), then writes them.
  GrowableBuffer& write(std::span<const std::byte> bytes);
  std::size_t size() const noexcept { return lease_.active() ? node().position() : 0; }
  std::size_t capacity() const noexcept { return lease_.active() ? node().capacity() : 0; }
  // Growths by a move to a new lease (views of the old buffer are invalid).
  std::uint64_t growCount() const noexcept { return growCount_; }
  // Growths in place (nothing moved, views still valid).
  std::uint64_t growInPlaceCount() const noexcept { return growInPlaceCount_; }
  std::uint64_t bytesMoved() const noexcept { return bytesMoved_; }
  // Hands the lease out, flipped for reading ([0, size)); the next use takes
  // a new lease of initialCapacity.
  PooledBuffer take();
  // Forgets the content and keeps the lease.
  void clear() noexcept;

 private:
  const PlatformBuffer& node() const noexcept { return const_cast<PooledBuffer&>(lease_).buffer(); }

  BufferPool* pool_;
  std::size_t initialCapacity_;
  AllocationZone zone_;
  ByteOrder order_;
  PooledBuffer lease_;
  std::uint64_t growCount_ = 0;
  std::uint64_t growInPlaceCount_ = 0;
  std::uint64_t bytesMoved_ = 0;
};

}  // namespace zonebuf
