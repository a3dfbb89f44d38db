// LinearMemoryAllocator.configure/stats and BufferPool with withBuffer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

test('LinearMemoryAllocator: configure before first use, stats after', async () => {
  const zb = await loadZonebuf();
  throwsZb(assert, () => zb.LinearMemoryAllocator.configure(0), 'InvalidArgumentError');
  throwsZb(assert, () => zb.LinearMemoryAllocator.configure(-1, 4), 'InvalidArgumentError', /initialSizeMB -1/);
  zb.LinearMemoryAllocator.configure(4, 64);
  const buf = zb.PlatformBuffer.allocate(1000, zb.AllocationZone.Direct);
  const s = zb.LinearMemoryAllocator.stats();
  assert.equal(s.initialSizeMB, 4);
  assert.equal(s.maxSizeMB, 64);
  assert.ok(s.used >= 1000);
  assert.equal(s.allocations, 1);
  assert.deepEqual(zb.LinearMemoryAllocator.stats(zb.AllocationZone.Direct).used, s.used);
  throwsZb(assert, () => zb.LinearMemoryAllocator.configure(8), 'InvalidArgumentError');
  throwsZb(assert, () => zb.PlatformBuffer.allocate(65 << 20, zb.AllocationZone.Direct), 'OutOfMemoryError',
    /configure/);
  buf.delete();
  assert.equal(zb.LinearMemoryAllocator.stats().used, 0);
});

test('BufferPool.withBuffer leases a buffer and returns the callback result', async () => {
  const zb = await loadZonebuf();
  const pool = new zb.BufferPool();
  for (const zone of [zb.AllocationZone.Heap, zb.AllocationZone.Direct]) {
    const out = pool.withBuffer(1024, zone, (buf) => {
      assert.ok(buf.capacity() >= 1024);
      assert.equal(buf.zone(), zone);
      buf.writeInt(42);
      return buf.dataView().getInt32(0, false);
    });
    assert.equal(out, 42);
    const again = pool.withBuffer(1000, zone, zb.ByteOrder.LittleEndian, (buf) => {
      assert.equal(buf.byteOrder(), zb.ByteOrder.LittleEndian);
      return buf.position();
    });
    assert.equal(again, 0, 'a recycled buffer comes back reset');
  }
  const s = pool.stats();
  assert.equal(s.acquisitions, 4);
  assert.equal(s.hits, 2);
  assert.equal(s.outstandingLeases, 0);
  pool.delete();
});

test('withBuffer releases the lease when the callback throws; errors cross', async () => {
  const zb = await loadZonebuf();
  const pool = new zb.BufferPool({ zeroOnRelease: true });
  assert.equal(pool.config().zeroOnRelease, true);
  assert.throws(() => pool.withBuffer(64, zb.AllocationZone.Heap, (buf) => { buf.writeInt(1); throw new Error('boom'); }),
    /boom/);
  assert.equal(pool.stats().outstandingLeases, 0);
  throwsZb(assert, () => pool.withBuffer(16, zb.AllocationZone.Heap, (buf) => { for (;;) buf.writeLong(1n); }),
    'BufferOverflowError');
  throwsZb(assert, () => pool.withBuffer(16, zb.AllocationZone.Heap), 'InvalidArgumentError', /callback/);
  throwsZb(assert, () => pool.withBuffer(-1, zb.AllocationZone.Heap, () => 0), 'InvalidArgumentError', /size -1/);
  const lease = pool.acquire(32, zb.AllocationZone.Direct);
  assert.equal(lease.active(), true);
  lease.release();
  assert.equal(lease.active(), false);
  throwsZb(assert, () => lease.readInt(), 'InvalidArgumentError');
  lease.delete();
  pool.trim();
  pool.clear();
  pool.delete();
  throwsZb(assert, () => new zb.BufferPool('{"maxRetainedBytes": -5}'), 'InvalidArgumentError');
});
