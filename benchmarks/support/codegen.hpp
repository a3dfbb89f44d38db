// Controls over what the compiler may do to a baseline's hot loop.
//
// A "scalar" baseline must stay one load/store per element so it measures the
// physical limit of per-element code, whatever the optimiser would like to do
// with it. Kernels live in [[gnu::noinline]] functions so each
// hot loop can be found by name in objdump / wasm-dis output (see
// docs/benchmarks.md); one call per 256 elements costs nothing measurable.
#pragma once

#if defined(__clang__)
// clang: per-loop pragma; the function attribute is a no-op.
#define ZB_SCALAR_FUNCTION
#define ZB_SCALAR_LOOP _Pragma("clang loop vectorize(disable) interleave(disable)")
#elif defined(__GNUC__)
// g++ 12 has no per-loop "novector" pragma, so the whole kernel is compiled
// without the loop and SLP vectorisers.
#define ZB_SCALAR_FUNCTION __attribute__((optimize("no-tree-vectorize", "no-tree-slp-vectorize")))
#define ZB_SCALAR_LOOP
#else
#define ZB_SCALAR_FUNCTION
#define ZB_SCALAR_LOOP
#endif
