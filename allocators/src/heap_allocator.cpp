#include "zonebuf/allocators/heap_allocator.hpp"

#include <mimalloc.h>

#include <string>

#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace {

[[noreturn, gnu::cold]] void throwHeapExhausted(std::size_t size) {
  throw OutOfMemoryError("Heap allocation of " + std::to_string(size) +
                         " bytes failed: mimalloc could not obtain memory from the system. "
                         "Reduce the buffer size, release buffers you no longer need, "
                         "or cap pooled memory with PoolConfig::maxRetainedBytes.");
}

}  // namespace

Block HeapAllocator::allocate(std::size_t size, AllocationZone zone) {
  // A zero-byte buffer still gets a unique, valid pointer so that views over it
  // compare and hash like any other.
  void* p = mi_malloc_aligned(size == 0 ? 1 : size, kAlignment);
  if (p == nullptr) [[unlikely]] throwHeapExhausted(size);
  return Block{static_cast<std::byte*>(p), size, zone, BlockOwner::Heap, nullptr};
}

void HeapAllocator::release(const Block& block) noexcept { mi_free(block.data); }

}  // namespace zonebuf
