// Timing loop shared by the node benchmark (interop-bench.mjs) and the
// example page: runs `run` in growing batches until `minMs` of wall time has
// passed, after a warm-up, and reports calls per second. `batch`: the first
// batch size (a previous measurement's `calls` skips the growing batches).
const now = () => performance.now();

export function measure(run, { minMs = 200, warmupMs = 30, batch = 1 } = {}) {
  const warmEnd = now() + warmupMs;
  while (now() < warmEnd) run();
  for (;;) {
    const start = now();
    for (let i = 0; i < batch; i++) run();
    const elapsed = now() - start;
    if (elapsed >= minMs) return { callsPerSecond: (batch * 1000) / elapsed, calls: batch, ms: elapsed };
    batch *= elapsed < minMs / 8 ? 4 : 2;
  }
}
