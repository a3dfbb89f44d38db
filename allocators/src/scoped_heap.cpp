#include "zonebuf/allocators/scoped_heap.hpp"

#include <mimalloc.h>

#include <atomic>

#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace detail {
std::atomic<std::uint32_t> gScopedHeapsAlive{0};
constinit thread_local ScopedHeap* tlsCurrentScopedHeap = nullptr;
}  // namespace detail

namespace {
// Ids start at 1 (0 never names a live scope) and are never reused in
// practice (2^64 natively; 2^32 scopes in wasm32 before wrapping).
std::atomic<std::uintptr_t> gNextId{1};
}  // namespace

ScopedHeap::ScopedHeap()
    : heap_(mi_heap_new()), previous_(detail::tlsCurrentScopedHeap), id_(gNextId.fetch_add(1, std::memory_order_relaxed)) {
  if (heap_ == nullptr) [[unlikely]]
    throw OutOfMemoryError("ScopedHeap could not create a mimalloc heap: the system is out of memory. "
                           "Release buffers you no longer need or use the default Heap zone.");
  detail::gScopedHeapsAlive.fetch_add(1, std::memory_order_relaxed);
  detail::tlsCurrentScopedHeap = this;
}

ScopedHeap::~ScopedHeap() {
  detail::tlsCurrentScopedHeap = previous_;
  detail::gScopedHeapsAlive.fetch_sub(1, std::memory_order_relaxed);
  mi_heap_destroy(static_cast<mi_heap_t*>(heap_));
}

ScopedHeap::Stats ScopedHeap::stats() const {
  Stats s;
  mi_heap_visit_blocks(
      static_cast<const mi_heap_t*>(heap_), true,
      [](const mi_heap_t*, const mi_heap_area_t*, void* block, size_t size, void* arg) {
        if (block != nullptr) {
          auto* st = static_cast<Stats*>(arg);
          ++st->blocks;
          st->bytes += size;
        }
        return true;
      },
      &s);
  return s;
}

}  // namespace zonebuf
