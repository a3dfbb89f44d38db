// Every PlatformBuffer binding, in both byte orders and all zones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf } from './load.mjs';

const zb = await loadZonebuf();
const ZONES = ['Heap', 'Direct', 'SharedMemory'];

// [name, sample value, DataView getter, byte width]
const ELEMENTS = [
  ['Byte', -128, 'getInt8', 1], ['UnsignedByte', 255, 'getUint8', 1],
  ['Short', -32768, 'getInt16', 2], ['UnsignedShort', 65535, 'getUint16', 2],
  ['Int', -(2 ** 31), 'getInt32', 4], ['UnsignedInt', 2 ** 32 - 1, 'getUint32', 4],
  ['Long', -(2n ** 63n), 'getBigInt64', 8], ['UnsignedLong', 2n ** 64n - 1n, 'getBigUint64', 8],
  ['Float', 1.5, 'getFloat32', 4], ['Double', -Math.E, 'getFloat64', 8],
];

test('cursor: capacity, position, limit, remaining, resetForRead/resetForWrite', () => {
  const buf = zb.PlatformBuffer.allocate(32);
  assert.equal(buf.zone(), zb.AllocationZone.Heap);
  assert.equal(buf.byteOrder(), zb.ByteOrder.BigEndian);
  assert.equal(buf.ownsMemory(), true);
  assert.deepEqual([buf.capacity(), buf.position(), buf.limit(), buf.remaining()], [32, 0, 32, 32]);
  buf.writeInt(1);
  buf.writeShort(2);
  assert.equal(buf.position(), 6);
  buf.resetForRead();
  assert.deepEqual([buf.position(), buf.limit(), buf.hasRemaining()], [0, 6, true]);
  buf.position(6);
  assert.equal(buf.hasRemaining(), false);
  buf.setLimit(4);
  assert.deepEqual([buf.position(), buf.limit()], [4, 4]);
  buf.resetForWrite();
  assert.deepEqual([buf.position(), buf.limit()], [0, 32]);
  buf.delete();
});

for (const zone of ZONES) {
  for (const order of ['BigEndian', 'LittleEndian']) {
    test(`relative and absolute read/write of every type (${zone}, ${order})`, () => {
      const buf = zb.PlatformBuffer.allocate(128, zb.AllocationZone[zone], zb.ByteOrder[order]);
      assert.equal(buf.byteOrder(), zb.ByteOrder[order]);
      const little = order === 'LittleEndian';
      let offset = 0;
      for (const [name, value, getter, width] of ELEMENTS) {
        buf[`write${name}`](value);
        assert.equal(buf.dataView()[getter](offset, little), value, `write${name} bytes`);
        buf[`set${name}`](100, value);
        assert.equal(buf[`get${name}`](100), value, `get/set${name}`);
        offset += width;
      }
      assert.equal(buf.position(), offset);
      buf.resetForRead();
      for (const [name, value] of ELEMENTS) assert.equal(buf[`read${name}`](), value, `read${name}`);
      buf.setByteOrder(zb.ByteOrder[little ? 'BigEndian' : 'LittleEndian']);
      assert.equal(buf.getUnsignedShort(2), 0x0080, 'setByteOrder swaps later reads');
      buf.delete();
    });
  }
}

test('floats: rounding is fine, infinities and NaN pass through', () => {
  const buf = zb.PlatformBuffer.allocate(16);
  buf.writeFloat(0.1);
  buf.writeFloat(Infinity);
  buf.writeFloat(NaN);
  buf.resetForRead();
  assert.equal(buf.readFloat(), Math.fround(0.1));
  assert.equal(buf.readFloat(), Infinity);
  assert.ok(Number.isNaN(buf.readFloat()));
  buf.delete();
});

test('bulk typed arrays round-trip in buffer order', () => {
  const buf = zb.PlatformBuffer.allocate(256, zb.AllocationZone.Direct);
  const arrays = {
    Short: Int16Array.of(-1, 2, 300), Int: Int32Array.of(-7, 2 ** 30), Long: BigInt64Array.of(-1n, 2n ** 40n),
    Float: Float32Array.of(0.5, -2), Double: Float64Array.of(Math.PI, -0),
  };
  for (const [name, a] of Object.entries(arrays)) buf[`write${name}s`](a);
  assert.equal(buf.dataView().getInt16(0, false), -1);
  buf.resetForRead();
  for (const [name, a] of Object.entries(arrays)) {
    const out = buf[`read${name}s`](a.length);
    assert.equal(out.constructor, a.constructor);
    assert.deepEqual([...out], [...a]);
  }
  buf.delete();
});

test('bytes: writeBytes, readBytes (view), readByteArray (copy), toByteArray, slice, write(src)', () => {
  const buf = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Direct);
  buf.writeBytes(Uint8Array.of(1, 2, 3, 4, 5, 6));
  buf.resetForRead();
  const view = buf.readBytes(2);
  assert.equal(view.ownsMemory(), false);
  assert.equal(view.baseOffset(), buf.baseOffset());
  assert.deepEqual([...view.toByteArray()], [1, 2]);
  const copy = buf.readByteArray(2);
  assert.ok(copy instanceof Uint8Array);
  assert.deepEqual([...copy], [3, 4]);
  assert.deepEqual([...buf.toByteArray()], [5, 6]);
  assert.equal(buf.position(), 4, 'toByteArray leaves the position');
  const slice = buf.slice();
  assert.equal(slice.capacity(), 2);
  assert.equal(slice.baseOffset(), buf.baseOffset() + 4);
  const dst = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Heap);
  dst.write(buf);
  assert.equal(buf.remaining(), 0);
  dst.resetForRead();
  assert.deepEqual([...dst.toByteArray()], [5, 6]);
  copy[0] = 99;
  assert.equal(buf.getByte(2), 3, 'readByteArray is a copy');
  for (const b of [view, slice, dst, buf]) b.delete();
});

test('writeString/readString in every charset', () => {
  const buf = zb.PlatformBuffer.allocate(64, zb.AllocationZone.Direct);
  assert.equal(buf.writeString('héllo'), 6);
  assert.equal(buf.writeString('hé', zb.Charset.Utf16LittleEndian), 4);
  assert.equal(buf.writeString('hé', zb.Charset.Latin1, zb.TextPolicy.Strict), 2);
  buf.resetForRead();
  assert.equal(buf.readString(6), 'héllo');
  assert.equal(buf.readString(4, zb.Charset.Utf16LittleEndian), 'hé');
  assert.equal(buf.readString(2, zb.Charset.Latin1, zb.TextPolicy.Strict), 'hé');
  buf.delete();
});

test('JS-array copies: writeFromJsArray/readToJsArray with Int8Array and Uint8Array', () => {
  for (const zone of ZONES) {
    const buf = zb.PlatformBuffer.allocate(16, zb.AllocationZone[zone]);
    buf.writeFromJsArray(Uint8Array.of(9, 200, 7, 6), 1, 2);
    buf.writeFromJsArray(Int8Array.of(-1, -128), 0, 2);
    assert.equal(buf.position(), 4);
    assert.deepEqual([...buf.bytes().subarray(0, 4)], [200, 7, 255, 128]);
    buf.resetForRead();
    const u = new Uint8Array(6);
    buf.readToJsArray(u, 2, 2);
    assert.deepEqual([...u], [0, 0, 200, 7, 0, 0]);
    const s = new Int8Array(2);
    buf.readToJsArray(s, 0, 2);
    assert.deepEqual([...s], [-1, -128]);
    assert.equal(buf.position(), 4);
    buf.delete();
  }
});

test('LinearBuffer: allocate, from, viewOf and its C++ JS-array members', () => {
  const lb = zb.LinearBuffer.allocate(32);
  assert.equal(lb.zone(), zb.AllocationZone.Direct);
  assert.equal(lb.baseOffset() % 64, 0, 'linear blocks are cache-line aligned');
  lb.writeFromJsArray(Uint8Array.of(1, 2, 3), 0, 3);
  lb.resetForRead();
  const out = new Int8Array(3);
  lb.readToJsArray(out, 0, 3);
  assert.deepEqual([...out], [1, 2, 3]);
  const shared = zb.LinearBuffer.allocate(8, zb.AllocationZone.SharedMemory, zb.ByteOrder.LittleEndian);
  shared.writeInt(1);
  assert.equal(shared.dataView().getInt32(0, true), 1);
  const direct = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Direct);
  const base = direct.baseOffset();
  const taken = zb.LinearBuffer.from(direct);
  assert.equal(taken.baseOffset(), base);
  assert.equal(direct.capacity(), 0, 'from() takes the buffer over');
  const view = zb.LinearBuffer.viewOf(taken);
  assert.equal(view.baseOffset(), base);
  assert.equal(view.ownsMemory(), false);
  for (const b of [lb, shared, direct, taken, view]) b.delete();
});
