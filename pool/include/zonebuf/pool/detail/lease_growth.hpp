// Growing a leased buffer where its bytes lie: the entry point the stream
// layer's GrowableBuffer uses (defined in pool/src/pool_growth.cpp). Not for
// application code.
//
// Invariant: a grown lease is, from the growth on, a lease of the size class
// its new capacity is (or an oversize lease, when it is larger than every
// class): the pool's books move it at once, so every statistic is exact at
// any moment and its release is the release of such a lease. Acquisition
// counts and the histogram stay with the class it was acquired from (they
// count requests).
#pragma once

#include <cstddef>

namespace zonebuf {
class PooledBuffer;
namespace detail {

// Grows the lease's buffer to the capacity acquire(size) would give (its size
// class, or exactly `size` above the largest class) without moving a byte,
// when the zone's allocator can extend its block where it lies
// (LinearMemoryAllocator::tryExtend: Direct and SharedMemory, on the block's
// owning thread). Position, limit, bytes and views of the buffer are
// untouched. True if the buffer's capacity is now >= size; false, with
// nothing changed, for an empty, orphaned or moved-out lease, a Heap buffer
// and a block that cannot grow there.
bool growLeaseInPlace(PooledBuffer& lease, std::size_t size) noexcept;

}  // namespace detail
}  // namespace zonebuf
