// Explicit resource management (TypeScript >= 5.2): `using` deletes buffers,
// leases and pools at the end of their block. Compiled by tools/lib/cmd-js.sh
// and run with node; exits non-zero if a handle outlives its block.
import createZonebuf, { type PlatformBuffer, type PooledBuffer, type BufferPool } from 'zonebuf';

const zb = await createZonebuf();
let buffer: PlatformBuffer | undefined;
let lease: PooledBuffer | undefined;
let pool: BufferPool | undefined;
{
  using buf = zb.PlatformBuffer.allocate(64, zb.AllocationZone.Direct);
  using p = new zb.BufferPool();
  using l = p.acquire(128, zb.AllocationZone.Heap);
  buf.writeInt(42);
  l.writeString('leased');
  buffer = buf;
  lease = l;
  pool = p;
  if (buf.isDeleted() || l.isDeleted() || p.isDeleted()) throw new Error('deleted too early');
}
if (!buffer.isDeleted() || !lease.isDeleted() || !pool.isDeleted()) throw new Error('`using` did not delete');
console.log('using: buffer, lease and pool deleted at the end of their block');
