// Handing leases to other threads needs the threaded package: the
// single-threaded one says so, and the lease stays usable. (The threaded
// package's own tests: js/test/threads/.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

const zb = await loadZonebuf();
const shared = zb.memory.buffer instanceof SharedArrayBuffer;

test('transfer() and adoptLease() need the threaded package', { skip: shared && 'the threaded package' }, () => {
  const pool = new zb.BufferPool();
  const lease = pool.acquire(64, zb.AllocationZone.Direct);
  lease.writeInt(5);
  throwsZb(assert, () => lease.transfer(), 'InvalidArgumentError',
    /^transfer: this is the single-threaded package, whose memory is not shared; use the threaded package/);
  throwsZb(assert, () => zb.adoptLease({}), 'InvalidArgumentError', /^adoptLease: this is the single-threaded package/);
  assert.equal(lease.position(), 4);
  assert.equal(lease.getInt(0), 5);
  assert.equal(pool.stats().outstandingLeases, 1);
  lease.delete();
  pool.delete();
});
