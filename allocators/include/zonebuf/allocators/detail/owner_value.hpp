// Single-writer values: state that one owner thread writes and that stats()
// may read from any thread. The linear arena's ThreadArena counters and the
// pool's per-thread lists and counters are all of this kind.
//
// Invariants:
//  - Only the owner writes, always with a load and a store, never with a
//    read-modify-write: the hot paths stay plain moves.
//  - Natively the value is a relaxed atomic: a plain load/store on x86 and
//    ARM, and visible to TSan, so a cross-thread read is no data race.
//  - In WebAssembly every atomic access is sequentially consistent, so each
//    store would be a full fence in V8 (the pool's threaded hit cycle
//    measured 3.4x slower that way); there the value is plain, and a read
//    from another thread while the owner works may see a stale value.
//  - OwnerCounter::sub never takes a counter below zero (asserted).
#pragma once

#include <atomic>
#include <cstddef>

#include <zonebuf/primitives.hpp>

namespace zonebuf::detail {

template <class T>
class OwnerValue {
 public:
  constexpr OwnerValue() noexcept = default;
  constexpr explicit OwnerValue(T v) noexcept : value_(v) {}
#if defined(__EMSCRIPTEN__)
  [[gnu::always_inline]] T load() const noexcept { return value_; }
  [[gnu::always_inline]] void store(T v) noexcept { value_ = v; }

 private:
  T value_{};
#else
  [[gnu::always_inline]] T load() const noexcept { return value_.load(std::memory_order_relaxed); }
  [[gnu::always_inline]] void store(T v) noexcept { value_.store(v, std::memory_order_relaxed); }

 private:
  std::atomic<T> value_{};
#endif
};

// An unsigned count or byte total kept by its owner thread.
template <class T = std::size_t>
class OwnerCounter {
 public:
  // Returns the new value from a register (natively the value is atomic: a
  // reload would have to wait for the store).
  [[gnu::always_inline]] T add(T n = 1) noexcept {
    const T v = value_.load() + n;
    value_.store(v);
    return v;
  }
  [[gnu::always_inline]] void sub(T n) noexcept {
    const T v = value_.load();
    ZONEBUF_ASSERT(n <= v, "a counter would go below zero: more released than was taken");
    value_.store(v - n);
  }
  [[gnu::always_inline]] void set(T n) noexcept { value_.store(n); }
  [[gnu::always_inline]] T get() const noexcept { return value_.load(); }

 private:
  OwnerValue<T> value_;
};

}  // namespace zonebuf::detail
