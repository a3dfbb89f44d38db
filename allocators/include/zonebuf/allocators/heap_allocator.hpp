// HeapAllocator: the Heap zone, backed by a private (non-overriding) build of
// mimalloc. Blocks come from the calling thread's mimalloc heap (or from the
// innermost ScopedHeap, if one is active) and may be released from any
// thread.
//
// Invariants: every block is 16-byte aligned (every scalar and a 128-bit SIMD
// vector), including zero-byte ones, which still get a unique pointer.
// The hot path is inline and is what a mi_malloc/mi_free pair is: one call
// each way, plus a load of ScopedHeap's live count (no thread-local lookup
// unless some ScopedHeap is alive) and two tests on the pointer; inside a
// ScopedHeap, one thread-local load more and mi_heap_malloc. It calls
// mi_malloc (not mi_malloc_aligned, an extra layer) and relies on mimalloc's
// size classes being multiples of 16 from 16 bytes up; when they are not (a
// mimalloc built with padding, as under ASan) the pointer test fails and the
// cold path allocates aligned instead. Only these three mimalloc functions
// are declared here; its headers stay private to the library.
#pragma once

#include <cstddef>
#include <cstdint>

#include "zonebuf/allocators/block.hpp"
#include "zonebuf/allocators/scoped_heap.hpp"
#include "zonebuf/primitives.hpp"

extern "C" {
typedef struct mi_heap_s mi_heap_t;
[[gnu::malloc, gnu::alloc_size(1)]] void* mi_malloc(std::size_t size) noexcept;
[[gnu::malloc, gnu::alloc_size(2)]] void* mi_heap_malloc(mi_heap_t* heap, std::size_t size) noexcept;
void mi_free(void* p) noexcept;
}

namespace zonebuf {

class HeapAllocator {
 public:
  static constexpr std::size_t kAlignment = 16;

  // Throws OutOfMemoryError (with the size and a hint) when mimalloc fails.
  [[gnu::always_inline]] static Block allocate(std::size_t size, AllocationZone zone = AllocationZone::Heap) {
    if (ScopedHeap::anyAlive()) [[unlikely]] {
      if (ScopedHeap* scope = ScopedHeap::current()) return allocateIn(*scope, size, zone);
    }
    void* p = mi_malloc(size < kAlignment ? kAlignment : size);
    if (misalignedOrNull(p)) [[unlikely]] p = allocateAligned(nullptr, p, size);
    return Block{static_cast<std::byte*>(p), size, zone, BlockOwner::Heap, nullptr};
  }
  [[gnu::always_inline]] static void release(const Block& block) noexcept { mi_free(block.data); }
  // A block owned by a ScopedHeap: freed only while that scope is innermost
  // on this thread, else a no-op (the scope's end reclaims it).
  [[gnu::always_inline]] static void releaseScoped(const Block& block) noexcept {
    const ScopedHeap* scope = ScopedHeap::current();
    if (scope != nullptr && reinterpret_cast<void*>(scope->id()) == block.ownerState) mi_free(block.data);
  }
  // Bytes mimalloc currently has committed from the system (all heaps).
  static std::size_t committedBytes() noexcept;

 private:
  [[gnu::always_inline]] static bool misalignedOrNull(const void* p) noexcept {
    return (reinterpret_cast<std::uintptr_t>(p) & (kAlignment - 1)) != 0 || p == nullptr;
  }
  [[gnu::always_inline]] static Block allocateIn(ScopedHeap& scope, std::size_t size, AllocationZone zone) {
    void* p = mi_heap_malloc(static_cast<mi_heap_t*>(scope.mimallocHeap()), size < kAlignment ? kAlignment : size);
    if (misalignedOrNull(p)) [[unlikely]] p = allocateAligned(&scope, p, size);
    return Block{static_cast<std::byte*>(p), size, zone, BlockOwner::ScopedHeap, reinterpret_cast<void*>(scope.id())};
  }
  // Cold: mi_malloc / mi_heap_malloc returned null or a pointer off the
  // alignment; frees it and allocates aligned (from `scope`'s heap if not
  // null), or throws OutOfMemoryError.
  ZONEBUF_NOINLINE static void* allocateAligned(ScopedHeap* scope, void* misaligned, std::size_t size);
};

}  // namespace zonebuf
