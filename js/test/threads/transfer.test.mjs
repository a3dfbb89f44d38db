// The threaded package: a pool lease handed to a worker_threads thread with
// transfer() / adoptLease(), used there zero-copy over the shared memory,
// passed back or released into its pool; every misuse is a typed error that
// changes nothing (the lease stays where it was, its bytes and cursor too).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadZonebuf, packageDir, throwsZb } from '../load.mjs';
import { startWorker, workerError } from './threads-support.mjs';

const zb = await loadZonebuf();
// The package's own adoptLease (a SharedLease, as in a worker), for this thread.
const { adoptLease: adoptShared } = await import(pathToFileURL(path.join(packageDir, 'zonebuf.mjs')).href);
const { run, stop } = await startWorker();
after(stop);
const pool = new zb.BufferPool();
const { Direct, Heap } = zb.AllocationZone;

// The bytes at msg's offset, read straight from the shared memory (no lease).
const rawBytes = (msg, n = msg.capacity) => new Uint8Array(zb.memory.buffer, msg.offset, n).slice();
const outstanding = () => pool.stats().outstandingLeases;

test('the threaded package has shared memory', () => {
  assert.ok(zb.memory.buffer instanceof SharedArrayBuffer);
});

test('a worker reads what the main thread wrote, and the main thread reads what the worker wrote, zero-copy', async () => {
  const lease = pool.acquire(256, Direct);
  const offset = lease.baseOffset();
  for (let i = 0; i < 8; i++) lease.writeInt(i * 1000003);
  lease.writeString('from main');
  const capacity = lease.capacity();
  const msg = lease.transfer();
  assert.equal(msg.offset, offset);
  assert.equal(msg.capacity, capacity);
  // The worker sees the bytes in place and the cursor the lease had.
  const seen = await run(`
    const l = held.l = z.adoptLease(data.msg);
    const at = l.position();
    l.position(0);
    const ints = Array.from({ length: 8 }, () => l.readInt());
    const text = new TextDecoder().decode(l.readByteArray(9));
    // The worker's writes, after the main thread's.
    l.writeDouble(2.5);
    l.writeLong(-7n);
    l.writeUnsignedShort(0xbeef);
    return { at, ints, text, offset: l.baseOffset(), shared: l.bytes().buffer instanceof SharedArrayBuffer };
  `, { msg });
  assert.deepEqual(seen.ints, Array.from({ length: 8 }, (_, i) => i * 1000003));
  assert.equal(seen.text, 'from main');
  assert.equal(seen.at, 41);
  assert.equal(seen.offset, offset);
  assert.ok(seen.shared);
  // Before the lease comes back, the worker's bytes are already in this
  // thread's memory at the same address: nothing was copied.
  const raw = new DataView(zb.memory.buffer, offset, 64);
  assert.equal(raw.getFloat64(41, false), 2.5);
  assert.equal(raw.getBigInt64(49, false), -7n);
  assert.equal(raw.getUint16(57, false), 0xbeef);
  // Passed back with its cursor, it is a PooledBuffer of this module again.
  const back = zb.adoptLease(await run('return held.l.transfer();'));
  assert.ok(back instanceof zb.PooledBuffer);
  assert.equal(back.baseOffset(), offset);
  assert.equal(back.position(), 59);
  back.resetForRead();
  for (let i = 0; i < 8; i++) assert.equal(back.readInt(), i * 1000003);
  back.position(41);
  assert.equal(back.readDouble(), 2.5);
  assert.equal(back.readLong(), -7n);
  assert.equal(back.readUnsignedShort(), 0xbeef);
  back.delete();
});

test('a release in the worker returns the lease to the pool', async () => {
  const before = pool.stats();
  const lease = pool.acquire(1000, Direct);
  const offset = lease.baseOffset();
  assert.equal(outstanding(), before.outstandingLeases + 1);
  const msg = lease.transfer();
  await run('const l = z.adoptLease(data.msg); l.writeInt(5); l.release(); return l.active();', { msg });
  // The pool's next call reclaims it: no lease out, the buffer idle again,
  // and the next acquisition of its class gets the same bytes.
  const after = pool.stats();
  assert.equal(after.outstandingLeases, before.outstandingLeases);
  assert.equal(after.pooledNow, before.pooledNow + 1);
  const again = pool.acquire(1000, Direct);
  assert.equal(again.baseOffset(), offset);
  assert.equal(again.position(), 0);
  again.delete();
});

test('a worker passes a lease on to another worker, which releases it', async () => {
  const second = await startWorker();
  try {
    const lease = pool.acquire(64, Direct);
    lease.writeInt(1);
    const onward = await run('const l = z.adoptLease(data.msg); l.writeInt(2); return l.transfer();',
      { msg: lease.transfer() });
    const seen = await second.run('const l = z.adoptLease(data.onward); const r = [l.getInt(0), l.getInt(4), ' +
      'l.position()]; l.release(); return r;', { onward });
    assert.deepEqual(seen, [1, 2, 8]);
    assert.equal(outstanding(), 0);
  } finally {
    await second.stop();
  }
});

test('a SharedLease the worker forgets goes back to the pool (the safety net)', async () => {
  const lease = pool.acquire(64, Direct);
  const msg = lease.transfer();
  await run(`
    (() => { z.adoptLease(data.msg).writeInt(1); })();
    for (let i = 0; i < 10; i++) { held.gc(); await new Promise((r) => setTimeout(r, 10)); }
  `, { msg });
  assert.equal(outstanding(), 0);
  // Reclaimed: the slot is free, the message spent.
  throwsZb(assert, () => zb.adoptLease(msg), 'LeaseTransferError', /stale or forged/);
});

test('Heap leases travel too (every zone lives in linear memory)', async () => {
  const lease = pool.acquire(64, Heap, zb.ByteOrder.LittleEndian);
  lease.writeInt(0x01020304);
  const msg = lease.transfer();
  const bytes = await run('const l = z.adoptLease(data.msg); const b = Array.from(l.bytes().subarray(0, 4)); ' +
    'const v = l.getInt(0); l.release(); return { b, v, };', { msg });
  assert.deepEqual(bytes, { b: [4, 3, 2, 1], v: 0x01020304 });
});

test("the sender's handle is empty after transfer(): typed errors, the message still good", async () => {
  const lease = pool.acquire(64, Direct);
  lease.writeInt(99);
  const msg = lease.transfer();
  const bytes = rawBytes(msg);
  for (const use of [() => lease.writeInt(1), () => lease.readInt(), () => lease.position(), () => lease.bytes(),
    () => lease.release(), () => lease.transfer()]) {
    throwsZb(assert, use, 'InvalidArgumentError', /empty lease: it was already released or moved from/);
  }
  assert.deepEqual(rawBytes(msg), bytes, 'no byte changed');
  assert.equal(lease.active(), false);
  // The failed uses moved nothing: the worker adopts the lease as sent.
  assert.deepEqual(await run('const l = z.adoptLease(data.msg); const r = [l.position(), l.getInt(0)]; ' +
    'l.release(); return r;', { msg }), [4, 99]);
  lease.delete();
});

test('adopting twice is a LeaseTransferError; the first adopter keeps the lease', async () => {
  const lease = pool.acquire(64, Direct);
  lease.writeShort(7);
  const msg = lease.transfer();
  assert.equal(await run('held.twice = z.adoptLease(data.msg); return held.twice.position();', { msg }), 2);
  const again = await workerError(run, 'z.adoptLease(data.msg);', { msg });
  assert.equal(again.name, 'LeaseTransferError');
  assert.match(again.message, /^adoptLease: this lease was already adopted/);
  // In this thread as well.
  throwsZb(assert, () => zb.adoptLease(msg), 'LeaseTransferError', /already adopted/);
  assert.deepEqual(await run('const l = held.twice; const r = [l.position(), l.getShort(0), l.active()]; ' +
    'l.release(); return r;'), [2, 7, true]);
  // Released: the message is spent for good.
  throwsZb(assert, () => zb.adoptLease(msg), 'LeaseTransferError', /already released by the thread that adopted it/);
  assert.equal(outstanding(), 0);
});

test('a forged or stale message is a LeaseTransferError and changes nothing', async () => {
  const lease = pool.acquire(64, Direct);
  lease.writeInt(1234);
  const msg = lease.transfer();
  const bytes = rawBytes(msg);
  for (const forged of [{ ...msg, check: msg.check + 1 }, { ...msg, check: 0 }, { ...msg, slot: msg.slot + 1 }]) {
    throwsZb(assert, () => zb.adoptLease(forged), 'LeaseTransferError', /the message is stale or forged/);
    const e = await workerError(run, 'z.adoptLease(data.forged);', { forged });
    assert.equal(e.name, 'LeaseTransferError');
    assert.match(e.message, /stale or forged/);
  }
  for (const forged of [{ ...msg, offset: msg.offset + 8 }, { ...msg, capacity: msg.capacity * 2 }]) {
    throwsZb(assert, () => zb.adoptLease(forged), 'LeaseTransferError', /the message is forged: slot \d+ holds 64 bytes/);
  }
  assert.deepEqual(rawBytes(msg), bytes);
  // The true message still adopts, with the cursor as sent.
  const adopted = zb.adoptLease(msg);
  assert.equal(adopted.position(), 4);
  assert.equal(adopted.getInt(0), 1234);
  // Stale: the lease was adopted (and is held here now).
  throwsZb(assert, () => zb.adoptLease(msg), 'LeaseTransferError', /stale or forged/);
  // Passed on to the worker and back: the first message stays stale.
  const second = adopted.transfer();
  assert.notEqual(second.check, msg.check);
  const third = await run('return z.adoptLease(data.second).transfer();', { second });
  throwsZb(assert, () => zb.adoptLease(second), 'LeaseTransferError', /stale or forged/);
  const e = await workerError(run, 'z.adoptLease(data.msg);', { msg });
  assert.equal(e.name, 'LeaseTransferError');
  const last = zb.adoptLease(third);
  assert.equal(last.getInt(0), 1234);
  last.delete();
});

test('anything that is not a transfer message is an InvalidArgumentError', async () => {
  const lease = pool.acquire(64, Direct);
  const msg = lease.transfer();
  const cases = [
    [null, /got null/], [42, /got number/], [{}, /its memory is not a shared WebAssembly.Memory/],
    [{ ...msg, memory: new WebAssembly.Memory({ initial: 1 }) }, /not a shared WebAssembly.Memory/],
    [{ ...msg, slot: -1 }, /its slot is not an unsigned 32-bit integer/],
    [{ ...msg, slot: 1e6 }, /its slot 1000000 is not below the table's \d+ slots/],
    [{ ...msg, table: msg.table + 4 }, /there is no lease table at address/],
    [{ ...msg, table: 2 ** 31 }, /there is no lease table at address/],
  ];
  for (const [bad, pattern] of cases) {
    throwsZb(assert, () => zb.adoptLease(bad), 'InvalidArgumentError', pattern);
    throwsZb(assert, () => adoptShared(bad), 'InvalidArgumentError', pattern);
  }
  // Another instance's lease: its own thread adopts it, or the package's adoptLease.
  const other = await loadZonebuf();
  const foreign = new other.BufferPool().acquire(16, other.AllocationZone.Direct);
  foreign.writeInt(21);
  const fmsg = foreign.transfer();
  throwsZb(assert, () => zb.adoptLease(fmsg), 'InvalidArgumentError', /^adoptLease: the message holds a lease of another module instance/);
  const shared = adoptShared(fmsg);
  assert.equal(shared.getInt(0), 21);
  other.adoptLease(shared.transfer()).delete();
  const e = await workerError(run, 'z.adoptLease(null);');
  assert.equal(e.name, 'InvalidArgumentError');
  const l = zb.adoptLease(msg);
  l.delete();
});

test('a SharedLease checks like a buffer: typed errors, nothing changed', async () => {
  const lease = pool.acquire(16, Direct);
  const capacity = lease.capacity();
  lease.setLimit(8);
  lease.writeInt(-1);
  lease.setInt(4, 0x0a0b0c0d);
  const msg = lease.transfer();
  const result = await run(`
    const l = z.adoptLease(data.msg);
    const errors = [];
    const attempt = (f) => { try { f(); errors.push(null); } catch (e) { errors.push([e.name, e.message]); } };
    attempt(() => l.readLong());
    attempt(() => l.writeLong(1n));
    attempt(() => l.writeInt(2 ** 31));
    attempt(() => l.getInt(5));
    attempt(() => l.setShort(-1, 0));
    attempt(() => l.readInt({}));
    attempt(() => l.position(9));
    attempt(() => l.setLimit(data.capacity + 1));
    attempt(() => l.writeBytes(new Uint8Array(5)));
    attempt(() => l.readByteArray(5));
    const state = [l.position(), l.limit(), l.getInt(0), Array.from(l.bytes().subarray(4, 8))];
    l.release();
    attempt(() => l.readInt());
    attempt(() => l.bytes());
    attempt(() => l.release());
    attempt(() => l.transfer());
    return { errors, state };
  `, { msg, capacity });
  const expect = [
    ['BufferUnderflowError', /^readLong needs 8 bytes but only 4 remain \(position 4, limit 8\)/],
    ['BufferOverflowError', /^writeLong needs 8 bytes but only 4 remain/],
    ['InvalidArgumentError', /^writeInt: 2147483648 is not a valid Int value/],
    ['InvalidArgumentError', /^getInt\(index 5\) needs 4 bytes inside the limit 8/],
    ['InvalidArgumentError', /^setShort\(index -1\)/],
    ['InvalidArgumentError', /no per-call order/],
    ['InvalidArgumentError', /^position\(9\) is outside \[0, limit 8\]/],
    ['InvalidArgumentError', new RegExp(`^setLimit\\(${capacity + 1}\\) is outside \\[0, capacity ${capacity}\\]`)],
    ['BufferOverflowError', /^writeBytes needs 5 bytes but only 4 remain/],
    ['BufferUnderflowError', /^readByteArray needs 5 bytes but only 4 remain/],
    ['LeaseTransferError', /^readInt: this SharedLease was passed on with transfer\(\) or released/],
    ['LeaseTransferError', /^bytes: this SharedLease was passed on/],
    ['LeaseTransferError', /^release: this SharedLease was passed on/],
    ['LeaseTransferError', /^transfer: this SharedLease was passed on/],
  ];
  assert.equal(result.errors.length, expect.length);
  expect.forEach(([n, pattern], i) => {
    assert.ok(result.errors[i], `case ${i} threw`);
    assert.equal(result.errors[i][0], n, `case ${i}: ${result.errors[i][1]}`);
    assert.match(result.errors[i][1], pattern);
  });
  // Nothing the failed calls did moved the cursor or touched the bytes.
  assert.deepEqual(result.state, [4, 8, -1, [10, 11, 12, 13]]);
  assert.equal(outstanding(), 0, 'the lease went back');
});

test('views of a lease go stale when it is transferred', () => {
  const lease = pool.acquire(64, Direct);
  lease.writeInt(5);
  lease.resetForRead();
  const view = lease.slice();
  assert.equal(view.readInt(), 5);
  const msg = lease.transfer();
  throwsZb(assert, () => view.readInt(), 'StaleViewError');
  zb.adoptLease(msg).delete();
  view.delete();
});

test('a full table is an OutOfMemoryError; the lease stays with its handle', () => {
  const { slots } = zb.__zbTransferTable();
  const messages = [];
  for (let i = 0; i < slots; i++) messages.push(pool.acquire(16, Heap).transfer());
  const lease = pool.acquire(16, Heap);
  lease.writeInt(3);
  throwsZb(assert, () => lease.transfer(), 'OutOfMemoryError',
    new RegExp(`^PooledBuffer.transfer: ${slots} leases are already in transit`));
  assert.equal(lease.position(), 4);
  assert.equal(lease.getInt(0), 3);
  for (const m of messages) zb.adoptLease(m).delete();
  // Room again.
  zb.adoptLease(lease.transfer()).delete();
  lease.delete();
  assert.equal(outstanding(), 0);
});

test('after memory grows, existing buffers and their views keep working from JS, here and in the worker', async () => {
  const lease = pool.acquire(64, Direct);
  lease.writeInt(0x11223344);
  const oldView = lease.dataView();
  const oldBytes = lease.bytes();
  const msg0 = lease.transfer();
  await run('held.g = z.adoptLease(data.msg0);', { msg0 });
  const sizeBefore = zb.memory.buffer.byteLength;
  // Until a buffer lies beyond the old end of the memory (bounded: 1 GiB).
  const hogs = [];
  while (hogs.length < 256 && !(hogs.at(-1)?.baseOffset() >= sizeBefore)) {
    hogs.push(zb.PlatformBuffer.allocate(4 << 20, Heap));
  }
  assert.ok(zb.memory.buffer.byteLength > sizeBefore, 'the memory grew');
  // A shared memory detaches nothing: the old views still see the bytes.
  assert.equal(oldBytes.length, 64);
  assert.equal(oldView.getInt32(0, false), 0x11223344);
  // A buffer beyond the old end: the JS paths see the new, longer memory.
  const high = zb.PlatformBuffer.allocate(64, Direct);
  const far = hogs.at(-1);
  assert.ok(far.baseOffset() >= sizeBefore, 'the last hog lies beyond the old memory');
  far.writeInt(77);
  far.writeFromJsArray(new Uint8Array([1, 2, 3]), 0, 3);
  far.resetForRead();
  assert.equal(far.readInt(), 77);
  assert.deepEqual(Array.from(far.readByteArray(3)), [1, 2, 3]);
  high.writeInt(8);
  // The worker's lease (adopted before the growth) still works.
  assert.deepEqual(await run('held.g.writeInt(9); return [held.g.getInt(0), held.g.getInt(4)];'), [0x11223344, 9]);
  const back = zb.adoptLease(await run('return held.g.transfer();'));
  assert.equal(back.getInt(4), 9);
  // A lease beyond the worker's first view of the memory.
  const farPool = new zb.BufferPool();
  const farLease = farPool.acquire(32 << 20, Heap);
  farLease.writeInt(31);
  assert.ok(farLease.baseOffset() > sizeBefore);
  const msg1 = farLease.transfer();
  assert.equal(await run('const l = z.adoptLease(data.msg1); const v = l.getInt(0); l.writeInt(32); ' +
    'l.release(); return v;', { msg1 }), 31);
  assert.equal(farPool.stats().outstandingLeases, 0);
  farPool.delete();
  back.delete();
  high.delete();
  for (const h of hogs) h.delete();
});
