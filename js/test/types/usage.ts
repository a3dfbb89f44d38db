// Compile-only check of zonebuf.d.ts (run by tools/zonebuf test js when tsc
// is installed): the README example and each part of the API, typed strictly.
import createZonebuf, { BufferOverflowError, ObjectDeletedError, type PooledBuffer } from 'zonebuf';

const zb = await createZonebuf({ trackLeaks: true, onLeak: (leak) => console.log(leak.className, leak.stack) });
const buf = zb.PlatformBuffer.allocate(1024, zb.AllocationZone.Direct);
buf.writeInt(42);
const written: number = buf.writeString('Hello from WASM');
const view = new DataView(zb.memory.buffer, buf.baseOffset(), 1024);
const answer: number = view.getInt32(0, false);
const big: bigint = buf.getLong(0);
buf.setUnsignedLong(8, 2n ** 64n - 1n);
buf.writeFromJsArray(new Uint8Array(4), 0, 4);
buf.readToJsArray(new Int8Array(4), 0, 0);
const ints: Int32Array = buf.readInts(0);
const bytes: Uint8Array = buf.bytes();
const lb = zb.LinearBuffer.allocate(64, zb.AllocationZone.SharedMemory, zb.ByteOrder.LittleEndian);
zb.LinearMemoryAllocator.configure(16, 1024);
const used: number = zb.LinearMemoryAllocator.stats().used;
const pool = new zb.BufferPool({ zeroOnRelease: true });
const n: number = pool.withBuffer(128, zb.AllocationZone.Heap, (b: PooledBuffer) => b.capacity());
try {
  buf.writeLong(1n);
} catch (e) {
  if (e instanceof BufferOverflowError) console.log(e.message);
}
console.log(written, answer, big, ints, bytes, used, n, pool.stats().hits);
lb.delete();
try {
  lb.delete();
} catch (e) {
  if (e instanceof ObjectDeletedError) console.log(e.message);
}
const freed: number = zb.leaks().freed;
console.log(freed);
pool.delete();
buf.delete();
