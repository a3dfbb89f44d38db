// keep(value): the value is used, and memory may have been read and written,
// as far as the optimiser knows — benchmark::DoNotOptimize for a pointer or
// an integer, without its cost under Emscripten.
//
// Why not DoNotOptimize there: Google Benchmark compiles it for Emscripten as
// an out-of-line call (UseCharPointer). In the threaded WASM build exceptions
// are Emscripten's JS-based ones (Emscripten 3.1.6 cannot catch wasm
// exceptions under -pthread), so a call that may throw inside a scope with a
// destructor — withBuffer's fn, a lease's lifetime, a PlatformBuffer's — runs
// through a JS trampoline (invoke_*): ~20 ns per call, charged to whichever
// side of a comparison has the destructor. clang's WebAssembly backend takes
// this empty asm statement, which costs nothing and clobbers memory like
// DoNotOptimize's native form.
#pragma once

#include <benchmark/benchmark.h>

#include <type_traits>

namespace zonebuf::bench {

template <class T>
[[gnu::always_inline]] inline void keep(T value) {
  static_assert(std::is_pointer_v<T> || std::is_integral_v<T>, "keep() takes a pointer or an integer");
#if defined(__EMSCRIPTEN__)
  asm volatile("" : : "r"(value) : "memory");
#else
  benchmark::DoNotOptimize(value);
#endif
}

}  // namespace zonebuf::bench
