#include "zonebuf/allocators/heap_allocator.hpp"

#include <mimalloc.h>

#include <cstdint>
#include <string>

#include "zonebuf/allocators/scoped_heap.hpp"
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
  const std::size_t n = size == 0 ? 1 : size;
  if (ScopedHeap* scope = ScopedHeap::current()) [[unlikely]] {
    void* p = mi_heap_malloc_aligned(static_cast<mi_heap_t*>(scope->mimallocHeap()), n, kAlignment);
    if (p == nullptr) [[unlikely]] throwHeapExhausted(size);
    return Block{static_cast<std::byte*>(p), size, zone, BlockOwner::ScopedHeap,
                 reinterpret_cast<void*>(scope->id())};
  }
  void* p = mi_malloc_aligned(n, kAlignment);
  if (p == nullptr) [[unlikely]] throwHeapExhausted(size);
  return Block{static_cast<std::byte*>(p), size, zone, BlockOwner::Heap, nullptr};
}

void HeapAllocator::release(const Block& block) noexcept { mi_free(block.data); }

void HeapAllocator::releaseScoped(const Block& block) noexcept {
  const ScopedHeap* scope = ScopedHeap::current();
  if (scope != nullptr && reinterpret_cast<void*>(scope->id()) == block.ownerState) mi_free(block.data);
}

std::size_t HeapAllocator::committedBytes() noexcept {
  std::size_t elapsed = 0, user = 0, sys = 0, rss = 0, peakRss = 0, commit = 0, peakCommit = 0, faults = 0;
  mi_process_info(&elapsed, &user, &sys, &rss, &peakRss, &commit, &peakCommit, &faults);
  return commit;
}

}  // namespace zonebuf
