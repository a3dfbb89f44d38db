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
//
// keepCall(fn): fn stays a call of its own in the WASM build too. Binaryen's
// -O3 link pass runs after clang and knows nothing of [[gnu::noinline]]: it
// inlines every function that has one caller, so of two cycles written the
// same way, one with a single caller (the mimalloc baseline) was measured
// inlined into its loop and one with two (the Heap cycle) as a call — a
// WebAssembly call (~1.3 ns) charged to one side only. A function whose
// address is taken counts as used globally and is then inlined only if its
// body has no calls or is at most 2 nodes (binaryen's
// --always-inline-max-function-size); a cycle calls an allocator, so it is
// neither. Natively this is DoNotOptimize on the pointer: the call was
// already out of line.
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

template <class R, class... Args>
[[gnu::always_inline]] inline void keepCall(R (*fn)(Args...)) {
  keep(fn);
}

}  // namespace zonebuf::bench
