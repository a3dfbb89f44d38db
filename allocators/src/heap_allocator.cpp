#include "zonebuf/allocators/heap_allocator.hpp"

#include <mimalloc.h>

#include <cstdint>
#include <string>

#include "zonebuf/allocators/scoped_heap.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace {

[[noreturn]] ZONEBUF_COLD void throwHeapExhausted(std::size_t size) {
  throw OutOfMemoryError("Heap allocation of " + std::to_string(size) +
                         " bytes failed: mimalloc could not obtain memory from the system. "
                         "Reduce the buffer size, release buffers you no longer need, "
                         "or cap pooled memory with PoolConfig::maxRetainedBytes.");
}

std::size_t atLeastOne(std::size_t size) noexcept { return size == 0 ? 1 : size; }

}  // namespace

Block HeapAllocator::allocateScoped(std::size_t size, AllocationZone zone) {
  ScopedHeap* scope = ScopedHeap::current();
  if (scope == nullptr) {  // alive on another thread only
    void* p = mi_malloc_aligned(atLeastOne(size), kAlignment);
    if (p == nullptr) [[unlikely]] throwHeapExhausted(size);
    return Block{static_cast<std::byte*>(p), size, zone, BlockOwner::Heap, nullptr};
  }
  void* p = mi_heap_malloc_aligned(static_cast<mi_heap_t*>(scope->mimallocHeap()), atLeastOne(size), kAlignment);
  if (p == nullptr) [[unlikely]] throwHeapExhausted(size);
  return Block{static_cast<std::byte*>(p), size, zone, BlockOwner::ScopedHeap, reinterpret_cast<void*>(scope->id())};
}

void* HeapAllocator::allocateAligned(void* misaligned, std::size_t size) {
  if (misaligned != nullptr) mi_free(misaligned);
  void* p = mi_malloc_aligned(atLeastOne(size), kAlignment);
  if (p == nullptr) [[unlikely]] throwHeapExhausted(size);
  return p;
}

void HeapAllocator::releaseScoped(std::byte* data, void* scopeId) noexcept {
  const ScopedHeap* scope = ScopedHeap::current();
  if (scope != nullptr && reinterpret_cast<void*>(scope->id()) == scopeId) mi_free(data);
}

std::size_t HeapAllocator::committedBytes() noexcept {
  std::size_t elapsed = 0, user = 0, sys = 0, rss = 0, peakRss = 0, commit = 0, peakCommit = 0, faults = 0;
  mi_process_info(&elapsed, &user, &sys, &rss, &peakRss, &commit, &peakCommit, &faults);
  return commit;
}

}  // namespace zonebuf
