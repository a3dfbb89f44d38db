// ScopedHeap: a GC-style region of the Heap zone. While a ScopedHeap is the
// innermost one on its thread, every Heap allocation on that thread comes
// from its own mimalloc heap (mi_heap_new), and the whole region is returned
// at once when it ends (mi_heap_destroy).
//
// Contract for buffers that outlive their ScopedHeap: this is the caller's
// contract, not checked in any build. Their destructor is a safe no-op (a
// release only frees memory while its ScopedHeap is the innermost one on the
// releasing thread, identified by a never-reused scope id), but their bytes
// are gone: reading or writing them after the scope ends is use-after-free.
// Releases on another thread, or while a nested ScopedHeap is innermost, are
// also no-ops; that memory comes back when the scope ends.
// Not movable; must end on the thread that created it; scopes nest (LIFO).
// Invariant: detail::gScopedHeapsAlive counts the ScopedHeaps alive on all
// threads; a thread's own scope is counted before it becomes current(), so
// while the count reads 0 no scope is current on the reading thread and a
// Heap allocation skips the thread-local lookup.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace zonebuf {

class ScopedHeap;

namespace detail {
extern std::atomic<std::uint32_t> gScopedHeapsAlive;
// The innermost ScopedHeap of the calling thread (constant-initialised, so
// reading it is a plain thread-local load with no initialisation guard).
extern constinit thread_local ScopedHeap* tlsCurrentScopedHeap;
}  // namespace detail

class ScopedHeap {
 public:
  ScopedHeap();
  ~ScopedHeap();
  ScopedHeap(const ScopedHeap&) = delete;
  ScopedHeap& operator=(const ScopedHeap&) = delete;

  struct Stats {
    std::size_t blocks = 0;  // live blocks in this region (mimalloc heap visiting)
    std::size_t bytes = 0;   // their usable bytes
  };
  Stats stats() const;

  // The innermost ScopedHeap on the calling thread, or nullptr.
  static ScopedHeap* current() noexcept { return detail::tlsCurrentScopedHeap; }
  // False only if no ScopedHeap is alive on any thread (then current() is
  // null): one relaxed load.
  static bool anyAlive() noexcept { return detail::gScopedHeapsAlive.load(std::memory_order_relaxed) != 0; }

  void* mimallocHeap() const noexcept { return heap_; }
  std::uintptr_t id() const noexcept { return id_; }

 private:
  void* heap_;
  ScopedHeap* previous_;
  std::uintptr_t id_;
};

}  // namespace zonebuf
