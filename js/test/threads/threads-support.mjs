// Starting a test worker (worker-rpc.mjs) and running snippets in it.
import { Worker } from 'node:worker_threads';
import { packageDir } from '../load.mjs';

export async function startWorker() {
  const worker = new Worker(new URL('./worker-rpc.mjs', import.meta.url), { workerData: { packageDir } });
  let nextId = 1;
  const pending = new Map();
  worker.on('message', (m) => {
    if (m.ready) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p.reject(Object.assign(new Error(m.error.message), { zbName: m.error.name }));
    else p.resolve(m.value);
  });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // run(code, data): the snippet's value; rejects with the worker's error
  // (its name in zbName).
  const run = (code, data = {}) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, code, data });
  });
  return { run, stop: () => worker.terminate() };
}

// The error a snippet threw in the worker, as { name, message }.
export async function workerError(run, code, data) {
  try {
    await run(code, data);
  } catch (e) {
    return { name: e.zbName, message: e.message };
  }
  throw new Error('the snippet did not throw');
}
