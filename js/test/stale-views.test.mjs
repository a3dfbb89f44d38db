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

// The JS hot paths read linear memory without calling C++: a view that went
// stale through any release (the owner deleted, a lease released or deleted,
// withBuffer ending) must still refuse each of them, and change nothing.
const staleOp = (op) => new RegExp(`^${op} on a view of a buffer that was released`);

function liveViewOfLease(pool) {
  const lease = pool.acquire(64, zb.AllocationZone.Direct);
  for (let i = 0; i < 8; i++) lease.writeInt(i + 1);
  lease.resetForRead();
  const view = lease.slice();
  assert.equal(view.readInt(), 1);  // bound by the JS paths while live
  return { lease, view };
}

const HOT_CALLS = [
  ['readInt', (v) => v.readInt()],
  ['getInt', (v) => v.getInt(0)],
  ['writeInt', (v) => v.writeInt(7)],
  ['setInt', (v) => v.setInt(0, 7)],
  ['readLong', (v) => v.readLong()],
  ['readDouble', (v) => v.readDouble()],
  ['readByte', (v) => v.readByte()],
  ['readByteArray', (v) => v.readByteArray(4)],
  ['readToJsArray', (v) => v.readToJsArray(new Uint8Array(4), 0, 4)],
  ['writeFromJsArray', (v) => v.writeFromJsArray(new Uint8Array(4), 0, 4)],
  ['toByteArray', (v) => v.toByteArray()],
  ['readString', (v) => v.readString(4)],
  ['writeString', (v) => v.writeString('ab')],
  ['bytes', (v) => v.bytes()],
  ['dataView', (v) => v.dataView()],
];

const RELEASES = [
  ['lease.release()', (lease) => lease.release()],
  ['lease.delete()', (lease) => lease.delete()],
];

for (const [how, release] of RELEASES) {
  for (const [op, call] of HOT_CALLS) {
    test(`${op} on a view after ${how}: StaleViewError from the JS path, nothing changed`, () => {
      const pool = new zb.BufferPool();
      const { lease, view } = liveViewOfLease(pool);
      release(lease);
      // The memory is reused at once: a read that slipped through would see this.
      const again = pool.acquire(64, zb.AllocationZone.Direct);
      for (let i = 0; i < 8; i++) again.writeInt(-606348325);
      const [position, limit] = [view.position(), view.limit()];
      throwsZb(assert, () => call(view), 'StaleViewError', staleOp(op));
      assert.equal(view.position(), position);
      assert.equal(view.limit(), limit);
      assert.equal(position, 4, 'the read made through JS before the release reached C++');
      assert.equal(again.position(), 32);
      view.delete();
      again.delete();
      if (how !== 'lease.delete()') lease.delete();
      pool.delete();
    });
  }
}

test('a view stale through withBuffer and an owner deleted: every hot path refuses', () => {
  const pool = new zb.BufferPool();
  let view;
  pool.withBuffer(64, zb.AllocationZone.Direct, (lease) => {
    lease.writeInt(5);
    lease.resetForRead();
    view = lease.slice();
    assert.equal(view.getInt(0), 5);
  });
  throwsZb(assert, () => view.getInt(0), 'StaleViewError', staleOp('getInt'));
  throwsZb(assert, () => view.readInt(), 'StaleViewError', staleOp('readInt'));
  view.delete();

  const owner = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Heap);
  owner.writeInt(9);
  owner.resetForRead();
  const a = owner.slice();
  const b = a.slice();  // a view of a view shares its owner's check
  assert.equal(b.readInt(), 9);
  owner.delete();
  throwsZb(assert, () => a.readInt(), 'StaleViewError', staleOp('readInt'));
  throwsZb(assert, () => b.getInt(0), 'StaleViewError', staleOp('getInt'));
  // As a source: write(src) refuses the stale view and changes neither side.
  const dst = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Heap);
  assert.throws(() => dst.write(a), zb.StaleViewError);
  assert.equal(dst.position(), 0);
  a.delete();
  b.delete();
  dst.delete();
  pool.delete();
});

test('views of a live owner stay on the JS paths across other releases', () => {
  const pool = new zb.BufferPool();
  const owner = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Direct);
  owner.writeInt(11);
  owner.resetForRead();
  const view = owner.slice();
  assert.equal(view.getInt(0), 11);
  // Other buffers' views go stale meanwhile: this one must not.
  const { lease, view: other } = liveViewOfLease(pool);
  lease.release();
  throwsZb(assert, () => other.readInt(), 'StaleViewError', staleOp('readInt'));
  assert.equal(view.readInt(), 11);
  assert.equal(view.bytes()[3], 11);
  other.delete();
  lease.delete();
  view.delete();
  owner.delete();
  pool.delete();
});
