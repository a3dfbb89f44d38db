// C++ and JS agree on a buffer's state: operations done in JS (hot.mjs) and
// in C++ (bulk arrays, views, setByteOrder, readString of Latin1) interleave
// on one buffer, through memory growth, and match a model DataView.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf } from './load.mjs';

const zb = await loadZonebuf();

function growMemory() {
  const size = zb.memory.buffer.byteLength;
  const hogs = [];
  while (zb.memory.buffer.byteLength === size) hogs.push(zb.PlatformBuffer.allocate(4 << 20, zb.AllocationZone.Heap));
  return hogs;
}

for (const make of [
  ['PlatformBuffer', () => ({ buf: zb.PlatformBuffer.allocate(256, zb.AllocationZone.Direct), done() {} })],
  ['PooledBuffer', () => {
    const pool = new zb.BufferPool();
    const buf = pool.acquire(256, zb.AllocationZone.Heap);
    return { buf, done() { buf.delete(); pool.delete(); } };
  }],
  ['GrowableBuffer', () => {
    const pool = new zb.BufferPool();
    const buf = new zb.GrowableBuffer(pool, 256).ensureWritable(256);
    return { buf, done() { buf.delete(); pool.delete(); } };
  }],
  ['StreamBuffer (assembled)', () => {
    const pool = new zb.BufferPool();
    const stream = new zb.StreamProcessor(pool);
    for (let i = 0; i < 4; i++) stream.append(pool.acquire(64, zb.AllocationZone.Heap));
    const buf = stream.readBuffer(stream.available());
    return { buf, done() { buf.delete(); stream.delete(); pool.delete(); } };
  }],
]) {
  test(`JS-side and C++-side operations interleave on one ${make[0]}, through growth`, () => {
    const { buf, done } = make[1]();
    const cap = buf.capacity();
    const model = new DataView(new ArrayBuffer(cap));
    let pos = 0;
    buf.writeInt(-7); model.setInt32(pos, -7, false); pos += 4;               // JS
    buf.writeInts(Int32Array.of(1, 2)); model.setInt32(pos, 1); model.setInt32(pos + 4, 2); pos += 8;  // C++
    assert.equal(buf.position(), pos, 'JS sees the position C++ advanced');
    const hogs = growMemory();
    buf.setByteOrder(zb.ByteOrder.LittleEndian);                              // C++
    buf.writeShort(0x1234); model.setInt16(pos, 0x1234, true); pos += 2;     // JS, after growth
    buf.writeLong(-(2n ** 40n)); model.setBigInt64(pos, -(2n ** 40n), true); pos += 8;
    buf.writeString('é'); model.setUint8(pos, 0xc3); model.setUint8(pos + 1, 0xa9); pos += 2;  // JS text
    buf.writeDoubles(Float64Array.of(Math.PI)); model.setFloat64(pos, Math.PI, true); pos += 8;  // C++
    buf.writeFromJsArray(Uint8Array.of(9, 8), 0, 2); model.setUint8(pos, 9); model.setUint8(pos + 1, 8); pos += 2;
    assert.equal(buf.position(), pos);
    assert.deepEqual([...buf.bytes().subarray(0, pos)], [...new Uint8Array(model.buffer, 0, pos)]);
    buf.resetForRead();                                                       // JS
    assert.equal(buf.limit(), pos);
    assert.equal(buf.getInt(0), 0xf9ffffff | 0, 'little-endian view of -7 written big-endian');
    buf.setByteOrder(zb.ByteOrder.BigEndian);
    assert.equal(buf.readInt(), -7);                                          // JS
    assert.deepEqual([...buf.readInts(2)], [1, 2]);                           // C++
    buf.setByteOrder(zb.ByteOrder.LittleEndian);
    assert.equal(buf.readShort(), 0x1234);
    const view = buf.readBytes(8);                                            // C++ view
    assert.equal(view.readLong(), -(2n ** 40n), 'the view (JS) reads what JS wrote');
    assert.equal(buf.readString(2, zb.Charset.Latin1), 'Ã©');                // C++ decode
    assert.equal(buf.readDouble(), Math.PI);
    const slice = buf.slice();                                                // C++ view of [position, limit)
    assert.equal(slice.remaining(), 2);
    slice.writeByte(1);                                                       // JS on the view
    assert.equal(buf.getByte(buf.position()), 1, 'the view writes the same bytes');
    assert.equal(buf.remaining(), 2);
    buf.setLimit(buf.position() + 1);                                         // JS
    assert.throws(() => buf.readShort(), zb.BufferUnderflowError);
    assert.equal(buf.toByteArray().length, 1);                                // JS
    for (const h of [...hogs, view, slice]) h.delete();
    done();
  });
}

test('write(src) between buffers moves both positions, as C++ would', () => {
  const src = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Heap);
  const dst = zb.LinearBuffer.allocate(16);
  src.writeBytes(Uint8Array.of(1, 2, 3, 4));
  src.resetForRead();
  src.readByte();
  dst.writeByte(9);
  dst.write(src);
  assert.deepEqual([src.position(), dst.position()], [4, 4]);
  assert.deepEqual([...dst.bytes().subarray(0, 4)], [9, 2, 3, 4]);
  src.position(0);
  assert.throws(() => zb.PlatformBuffer.allocate(2, zb.AllocationZone.Heap).write(src), zb.BufferOverflowError);
  assert.equal(src.position(), 0, 'a failed write moves neither buffer');
  src.delete();
  dst.delete();
});

test('write(src) from an overlapping view copies as memmove does', () => {
  const buf = zb.LinearBuffer.allocate(16);
  buf.bytes().set([...Array(16).keys()]);
  const view = zb.LinearBuffer.viewOf(buf);
  view.setLimit(8);
  buf.position(4);
  buf.write(view);
  assert.deepEqual([...buf.bytes()], [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
  assert.deepEqual([buf.position(), view.position()], [12, 8]);
  view.delete();
  buf.delete();
});
