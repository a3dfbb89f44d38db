// Handle lifecycle: Symbol.dispose on buffers, leases and pools, and the
// FinalizationRegistry safety net that frees (and counts) what JS forgot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadZonebuf, packageDir } from './load.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const zb = await loadZonebuf();

test('Symbol.dispose deletes buffers, leases and pools, and is idempotent', () => {
  assert.equal(typeof Symbol.dispose, 'symbol');
  const buf = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Direct);
  const linear = zb.LinearBuffer.allocate(8);
  const pool = new zb.BufferPool();
  const lease = pool.acquire(32, zb.AllocationZone.Heap);
  for (const h of [buf, linear, lease, pool]) {
    assert.equal(typeof h[Symbol.dispose], 'function');
    h[Symbol.dispose]();
    assert.equal(h.isDeleted(), true);
    h[Symbol.dispose]();  // a second disposal does nothing
  }
});

test('clone() is refused: one handle per C++ object', () => {
  const buf = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Direct);
  assert.throws(() => buf.clone(), (e) => e instanceof zb.InvalidArgumentError &&
    /^clone: a PlatformBuffer cannot be shared between handles/.test(e.message));
  buf.delete();
});

test('a released lease keeps the empty-lease error; disposing it after release works', () => {
  const pool = new zb.BufferPool();
  const lease = pool.acquire(16, zb.AllocationZone.Direct);
  lease.writeInt(5);
  lease.release();
  assert.throws(() => lease.readInt(), (e) => e.name === 'InvalidArgumentError' && /empty|released|lease/.test(e.message));
  assert.throws(() => lease.bytes(), zb.InvalidArgumentError);
  lease[Symbol.dispose]();
  assert.equal(pool.stats().outstandingLeases, 0);
  pool.delete();
});

async function collect() {
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('forgotten handles are freed by the FinalizationRegistry and counted', async () => {
  const before = zb.leaks();
  const usedBefore = zb.LinearMemoryAllocator.stats().used;
  (() => {
    for (let i = 0; i < 20; i++) zb.PlatformBuffer.allocate(4096, zb.AllocationZone.Direct).writeInt(i);
  })();
  assert.ok(zb.LinearMemoryAllocator.stats().used >= usedBefore + 20 * 4096);
  await collect();
  const after = zb.leaks();
  assert.equal(after.freed - before.freed, 20);
  assert.equal((after.byClass.PlatformBuffer ?? 0) - (before.byClass.PlatformBuffer ?? 0), 20);
  assert.equal(zb.LinearMemoryAllocator.stats().used, usedBefore, 'their memory is back');
  // Deleted handles are not counted (they left the registry).
  (() => { zb.PlatformBuffer.allocate(64, zb.AllocationZone.Heap).delete(); })();
  await collect();
  assert.equal(zb.leaks().freed, after.freed);
});

test('trackLeaks: the creation stack reaches onLeak', async () => {
  const { default: createZonebuf } = await import(`${new URL(`file://${packageDir}/zonebuf.mjs`)}`);
  const leaks = [];
  const tracked = await createZonebuf({ trackLeaks: true, onLeak: (leak) => leaks.push(leak) });
  (function forgetALease() {
    const pool = new tracked.BufferPool();
    pool.acquire(64, tracked.AllocationZone.Heap);
  })();
  await collect();
  assert.ok(leaks.length >= 1);
  const lease = leaks.find((l) => l.className === 'PooledBuffer');
  assert.ok(lease, 'the lease was reported');
  assert.match(lease.stack, /forgetALease/);
  assert.ok(tracked.leaks().freed >= 1);
});
