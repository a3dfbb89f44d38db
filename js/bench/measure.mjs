// Timing loop shared by the node benchmark (interop-bench.mjs) and the
// example page: runs `run` in growing batches until `minMs` of wall time has
// passed, after a warm-up, and reports calls per second. `batch`: the first
// batch size (a previous measurement's `calls` skips the growing batches).
// `arg`: what run() is called with. A workload reaches its buffer (and a
// baseline its DataView) through this parameter, as a user's function
// would: an object the loop closes over is a compile-time constant to
// TurboFan when only one closure of that code exists (its map checks and the
// DataView's length fold away), and not when several do (the page's zones),
// so closed-over objects measured the baseline's loop and zonebuf's
// differently.
const now = () => performance.now();

// The one call of every workload. It sees many functions before any
// measurement (megamorphic), so V8 never inlines a workload into this loop:
// otherwise whichever workload ran while the call site was monomorphic was
// measured inlined, and faster, than the rest (the loop's body is the user's
// non-inlined function, as the figures mean it).
function runBatch(run, arg, n) {
  for (let i = 0; i < n; i++) run(arg);
}
for (let k = 0; k < 8; k++) runBatch(new Function('a', `return ${k};`), undefined, 2);

export function measure(run, { minMs = 200, warmupMs = 30, batch = 1, arg } = {}) {
  const warmEnd = now() + warmupMs;
  while (now() < warmEnd) runBatch(run, arg, 16);
  for (;;) {
    const start = now();
    runBatch(run, arg, batch);
    const elapsed = now() - start;
    if (elapsed >= minMs) return { callsPerSecond: (batch * 1000) / elapsed, calls: batch, ms: elapsed };
    batch *= elapsed < minMs / 8 ? 4 : 2;
  }
}
