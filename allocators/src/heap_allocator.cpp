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

}  // namespace

void* HeapAllocator::allocateAligned(ScopedHeap* scope, void* misaligned, std::size_t size) {
  if (misaligned != nullptr) mi_free(misaligned);
  const std::size_t n = size == 0 ? 1 : size;
  void* p = scope != nullptr ? mi_heap_malloc_aligned(static_cast<mi_heap_t*>(scope->mimallocHeap()), n, kAlignment)
                             : mi_malloc_aligned(n, kAlignment);
  if (p == nullptr) [[unlikely]] throwHeapExhausted(size);
  return p;
}

std::size_t HeapAllocator::committedBytes() noexcept {
  std::size_t elapsed = 0, user = 0, sys = 0, rss = 0, peakRss = 0, commit = 0, peakCommit = 0, faults = 0;
  mi_process_info(&elapsed, &user, &sys, &rss, &peakRss, &commit, &peakCommit, &faults);
  return commit;
}

}  // namespace zonebuf
