// StreamProcessor from JS: leases in, fields across chunk boundaries, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

function leaseWith(zb, pool, bytes) {
  const lease = pool.acquire(bytes.length + 1, zb.AllocationZone.Heap);
  for (const b of bytes) lease.writeUnsignedByte(b);
  lease.resetForRead();
  return lease;
}

test('StreamProcessor reads fields that cross chunk boundaries', async () => {
  const zb = await loadZonebuf();
  const pool = new zb.BufferPool();
  const s = new zb.StreamProcessor(pool);
  const a = leaseWith(zb, pool, [0x00, 0x01, 0x02]);
  s.append(a);
  assert.equal(a.active(), false, 'append moves the lease');
  const b = leaseWith(zb, pool, [0x03, 0x04, 0x0a, 0x41]);
  s.append(b);
  assert.equal(s.available(), 7);
  assert.equal(s.peekInt(1), 0x01020304);
  assert.equal(s.indexOfByte(0x0a, 0), 5);
  assert.equal(s.indexOfByte(0x99, 0), -1);
  assert.equal(s.indexOfString('\nA'), 5);
  assert.equal(s.readUnsignedByte(), 0);
  assert.equal(s.readInt(), 0x01020304);
  s.skip(1);
  assert.equal(s.readString(1), 'A');
  assert.equal(s.available(), 0);
  assert.equal(JSON.parse(s.statsJson()).chunksReleased, 2);
  assert.equal(JSON.parse(pool.statsJson()).outstandingLeases, 0);
  a.delete();
  b.delete();
  s.delete();
  pool.delete();
});

test('StreamProcessor errors consume nothing', async () => {
  const zb = await loadZonebuf();
  const pool = new zb.BufferPool();
  const s = new zb.StreamProcessor(pool, zb.ByteOrder.LittleEndian);
  const a = leaseWith(zb, pool, [0x01, 0x02]);
  s.append(a);
  throwsZb(assert, () => s.readInt(), 'BufferUnderflowError', /readInt needs 4 bytes but only 2/);
  throwsZb(assert, () => s.skip(3), 'BufferUnderflowError');
  throwsZb(assert, () => s.skip(-1), 'InvalidArgumentError');
  assert.equal(s.available(), 2);
  assert.equal(s.readShort(), 0x0201);
  a.delete();
  s.delete();
  pool.delete();
});
