// Checked views from JS: bytes() and dataView() refuse a deleted handle, a
// released lease and a view whose owner or lease was released (StaleViewError
// from C++), and work on a live view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

const zb = await loadZonebuf();
const stale = /^(bytes|dataView) on a view of a buffer that was released/;

test('bytes()/dataView() of a live view see the owner\'s bytes', () => {
  const owner = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Direct);
  owner.writeInt(42);
  owner.resetForRead();
  const view = owner.slice();
  assert.equal(view.dataView().getInt32(0, false), 42);
  assert.equal(view.bytes()[3], 42);
  view.delete();
  owner.delete();
});

test('bytes()/dataView() refuse a deleted handle and a released lease', () => {
  const buf = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Heap);
  buf.delete();
  assert.throws(() => buf.bytes(), zb.ObjectDeletedError);
  assert.throws(() => buf.dataView(), zb.ObjectDeletedError);
  const pool = new zb.BufferPool();
  const lease = pool.acquire(16, zb.AllocationZone.Direct);
  lease.release();
  assert.throws(() => lease.bytes(), zb.InvalidArgumentError);
  assert.throws(() => lease.dataView(), zb.InvalidArgumentError);
  lease.delete();
  pool.delete();
});

test('bytes()/dataView() of a view whose owner was deleted: StaleViewError', () => {
  const owner = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Direct);
  const view = owner.slice();
  view.bytes();  // made while live: the next call must still check
  owner.delete();
  throwsZb(assert, () => view.bytes(), 'StaleViewError', stale);
  throwsZb(assert, () => view.dataView(), 'StaleViewError', stale);
  assert.ok(new zb.StaleViewError('x') instanceof zb.ZonebufError);
  view.delete();
});

test('the issue\'s probe from JS: a view of a released lease whose memory is reused', () => {
  const pool = new zb.BufferPool();
  const lease = pool.acquire(1024, zb.AllocationZone.Heap);
  lease.writeInt(42);
  lease.resetForRead();
  const view = lease.slice();
  lease.release();
  const again = pool.acquire(1024, zb.AllocationZone.Heap);
  again.writeInt(-606348325);
  throwsZb(assert, () => view.bytes(), 'StaleViewError', stale);
  throwsZb(assert, () => view.dataView(), 'StaleViewError', stale);
  assert.equal(again.position(), 4);
  view.delete();
  again.delete();
  lease.delete();
  pool.delete();
});
