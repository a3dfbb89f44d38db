// A worker_threads thread for the threaded-package tests: it imports the
// package (no module instance: what a worker of an application would do)
// and runs the test's snippets, `async (z, held, data) => ...`, where z is
// the package's exports, held keeps leases between snippets, and data is
// what the test posted (transfer messages among it). Replies { id, value }
// or { id, error: { name, message } }.
import { parentPort, workerData } from 'node:worker_threads';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const z = await import(pathToFileURL(path.join(workerData.packageDir, 'zonebuf.mjs')).href);
// held.gc(): a full collection (for the SharedLease safety net).
v8.setFlagsFromString('--expose-gc');
const held = { gc: vm.runInNewContext('gc') };
const AsyncFunction = (async () => {}).constructor;
parentPort.on('message', async ({ id, code, data }) => {
  try {
    parentPort.postMessage({ id, value: await new AsyncFunction('z', 'held', 'data', code)(z, held, data) });
  } catch (e) {
    parentPort.postMessage({ id, error: { name: e.name, message: e.message } });
  }
});
parentPort.postMessage({ ready: true });
