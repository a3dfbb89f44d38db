#!/usr/bin/env node
// JS interop benchmark: reading a Direct buffer through a DataView (zero
// copy) vs readToJsArray (copy) vs a pure-JS DataView over an ArrayBuffer,
// and writeFromJsArray vs Uint8Array.set, at 1 KiB and 64 KiB; and the hot
// paths (W1, a mixed record, copies, views, text) at 1 KiB against DataView,
// Uint8Array.set, TextEncoder.encodeInto and TextDecoder.decode.
//
// Prints Google-Benchmark-shaped JSON on stdout so tools/bench-report can
// merge it: {"context": {...}, "benchmarks": [{"name", "run_type":
// "iteration", "iterations", "real_time", "cpu_time", "time_unit": "ns",
// "items_per_second", "bytes_per_second", "ratio_to_baseline", "baseline"}]}
// real_time/cpu_time are wall nanoseconds per run() call (JS has no CPU
// clock); each figure is the median of short slices, each workload's right
// after its baseline's (runWorkloads). Usage: node js/bench/interop-bench.mjs [--package DIR] [--min-ms N]
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure } from './measure.mjs';
import { hotPathWorkloads, readWriteWorkloads, runWorkloads } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const packageDir = path.resolve(option('--package', process.env.ZONEBUF_JS_DIR ?? path.join(here, '../../build/wasm/js')));
const minMs = Number(option('--min-ms', 200));

const { default: createZonebuf } = await import(pathToFileURL(path.join(packageDir, 'zonebuf.mjs')).href);
const zb = await createZonebuf();

const results = [];
for (const size of [1024, 65536]) results.push(...runWorkloads(readWriteWorkloads(zb, size), measure, { minMs }));
results.push(...runWorkloads(hotPathWorkloads(zb), measure, { minMs }));

const benchmarks = results.map((r) => {
  const nsPerCall = (r.ms * 1e6) / r.iterations;
  const entry = {
    name: r.name, run_name: r.name, run_type: 'iteration', repetitions: 1, repetition_index: 0, threads: 1,
    iterations: r.iterations, real_time: nsPerCall, cpu_time: nsPerCall, time_unit: 'ns',
    items_per_second: r.itemsPerSecond, group: r.group, baseline: Boolean(r.baseline),
    ratio_to_baseline: r.ratioToBaseline,
  };
  if (r.bytesPerSecond !== undefined) entry.bytes_per_second = r.bytesPerSecond;
  return entry;
});
const context = {
  date: new Date().toISOString(), host_name: os.hostname(), executable: 'node js/bench/interop-bench.mjs',
  num_cpus: os.cpus().length, library_build_type: 'release', node_version: process.version,
  zonebuf_package: packageDir, min_time_ms: minMs,
};
process.stdout.write(`${JSON.stringify({ context, benchmarks }, null, 2)}\n`);
