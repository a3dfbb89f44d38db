// Timing loop shared by the node benchmark (interop-bench.mjs) and the
// example page: runs `run` in growing batches until `minMs` of wall time has
// passed, after a warm-up, and reports calls per second. `batch`: the first
// batch size (a previous measurement's `calls` skips the growing batches).
const now = () => performance.now();

// The one call of every workload. It sees many functions before any
// measurement (megamorphic), so V8 never inlines a workload into this loop:
// otherwise whichever workload ran while the call site was monomorphic was
// measured inlined, and faster, than the rest (the loop's body is the user's
// non-inlined function, as the figures mean it).
function runBatch(run, n) {
  for (let i = 0; i < n; i++) run();
}
for (let k = 0; k < 8; k++) runBatch(new Function(`return ${k};`), 2);

export function measure(run, { minMs = 200, warmupMs = 30, batch = 1 } = {}) {
  const warmEnd = now() + warmupMs;
  while (now() < warmEnd) runBatch(run, 16);
  for (;;) {
    const start = now();
    runBatch(run, batch);
    const elapsed = now() - start;
    if (elapsed >= minMs) return { callsPerSecond: (batch * 1000) / elapsed, calls: batch, ms: elapsed };
    batch *= elapsed < minMs / 8 ? 4 : 2;
  }
}
