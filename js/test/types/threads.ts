// Compile-only check of the threaded package's API in zonebuf.d.ts: a lease
// handed to a worker and back, and what the worker side sees.
import createZonebuf, { adoptLease, LeaseTransferError, type LeaseMessage, type SharedLease } from 'zonebuf';

const zb = await createZonebuf();
const pool = new zb.BufferPool();
const lease = pool.acquire(1024, zb.AllocationZone.Direct);
lease.writeInt(42);
const message: LeaseMessage = lease.transfer();
const where: [number, number] = [message.offset, message.capacity];

// In a worker (no module instance):
function work(msg: LeaseMessage): LeaseMessage {
  const shared: SharedLease = adoptLease(msg);
  const v: number = shared.getInt(0);
  const big: bigint = shared.readLong();
  shared.writeInt(v + 1);
  shared.setLimit(shared.position());
  const view: DataView = shared.dataView();
  const copy: Uint8Array = shared.readByteArray(0);
  console.log(big, view.byteLength, copy.length, shared.isLittleEndian());
  return shared.transfer();
}

const back = zb.adoptLease(work(message));
const again: number = back.getInt(4);
try {
  zb.adoptLease(message);
} catch (e) {
  if (e instanceof LeaseTransferError || e instanceof zb.LeaseTransferError) console.log(e.message);
}
{
  using released = adoptLease(back.transfer());
  released.writeByte(1);
}
console.log(where, again);
