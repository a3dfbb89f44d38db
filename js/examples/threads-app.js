// The threaded example page (threads.html): a lease goes to a Web Worker
// (threads-worker.js) and back, zero-copy, and a second one is released by
// the worker into this page's pool. Served by serve.mjs, which maps
// /pkg-threads/ to the threaded package and sends the COOP/COEP headers.
import createZonebuf from '/pkg-threads/zonebuf.mjs';

const $ = (id) => document.getElementById(id);
const setState = (state, text) => { document.body.dataset.state = state; $('status').textContent = text; };

function ask(worker, message) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => (e.data.error ? reject(new Error(`worker: ${e.data.error}`)) : resolve(e.data));
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    worker.postMessage(message);
  });
}

async function main() {
  if (!crossOriginIsolated) throw new Error('the page is not cross-origin isolated (COOP/COEP headers missing)');
  const zb = await createZonebuf();
  const pool = new zb.BufferPool();
  const worker = new Worker(new URL('./threads-worker.js', import.meta.url), { type: 'module' });

  const lease = pool.acquire(1024, zb.AllocationZone.Direct);
  const offset = lease.baseOffset();
  lease.writeInt(42);
  lease.writeString('Hello from the page');
  const reply = await ask(worker, { cmd: 'roundTrip', lease: lease.transfer() });
  let senderError = '';
  try { lease.readInt(); } catch (e) { senderError = e.name; }
  const back = zb.adoptLease(reply.lease);
  const workerWrote = back.getInt(reply.wroteAt);
  const sameBytes = back.baseOffset() === offset && reply.offset === offset;
  back.delete();

  const second = pool.acquire(256, zb.AllocationZone.Direct);
  second.writeInt(7);
  const outBefore = pool.stats().outstandingLeases;
  const released = await ask(worker, { cmd: 'readAndRelease', lease: second.transfer() });
  const outAfter = pool.stats().outstandingLeases;
  worker.terminate();

  const result = { read: reply.read, text: reply.text, workerWrote, sameBytes, senderError,
    releasedRead: released.read, outstandingBefore: outBefore, outstandingAfter: outAfter };
  window.zonebufThreads = result;
  $('threads-output').textContent = [
    `worker read getInt(0) = ${result.read}, text "${result.text}" at offset ${reply.offset}`,
    `page read what the worker wrote: ${result.workerWrote} (same bytes: ${result.sameBytes})`,
    `the page's handle after transfer(): ${result.senderError}`,
    `released by the worker: outstanding leases ${outBefore} -> ${outAfter}`,
  ].join('\n');
  pool.delete();
}

main().then(() => setState('done', 'done'), (e) => {
  console.error(e);
  setState('error', `error: ${e.message}`);
});
