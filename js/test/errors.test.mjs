// C++ errors reach JS with their type name and message, JS arguments are
// never truncated, and a failed call changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

const zb = await loadZonebuf();

// position, limit and the bytes of a buffer, to check that nothing changed.
function snapshot(buf) {
  return { position: buf.position(), limit: buf.limit(), bytes: [...buf.bytes()] };
}

function unchanged(buf, fn, name, pattern) {
  const before = snapshot(buf);
  throwsZb(assert, fn, name, pattern);
  assert.deepEqual(snapshot(buf), before, 'a failed call changes nothing');
}

test('error classes: instanceof and name', () => {
  const buf = zb.PlatformBuffer.allocate(2, zb.AllocationZone.Direct);
  try {
    buf.writeInt(1);
    assert.fail('expected an overflow');
  } catch (e) {
    assert.ok(e instanceof zb.BufferOverflowError);
    assert.ok(e instanceof zb.ZonebufError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'BufferOverflowError');
    assert.equal(e.message,
      'writeInt needs 4 bytes but only 2 remain (position 0, limit 2); ' +
      'allocate a larger buffer or check remaining() before writing');
  }
  buf.delete();
});

test('underflow, overflow and bad index carry C++ type and message', () => {
  const buf = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Direct);
  buf.writeInt(7);
  unchanged(buf, () => buf.writeLong(1n), 'BufferOverflowError', /^writeLong needs 8 bytes but only 4 remain/);
  unchanged(buf, () => buf.writeString('hello'), 'BufferOverflowError', /^writeString needs 5 bytes/);
  unchanged(buf, () => buf.writeBytes(new Uint8Array(5)), 'BufferOverflowError', /^writeBytes needs 5 bytes/);
  unchanged(buf, () => buf.writeInts(new Int32Array(2)), 'BufferOverflowError', /^writeInts needs 2 x 4 bytes/);
  buf.resetForRead();
  unchanged(buf, () => buf.readLong(), 'BufferUnderflowError', /^readLong needs 8 bytes but only 4 remain/);
  unchanged(buf, () => buf.readString(5), 'BufferUnderflowError', /^readString needs 5 bytes/);
  unchanged(buf, () => buf.readByteArray(5), 'BufferUnderflowError', /^readByteArray needs 5 bytes/);
  unchanged(buf, () => buf.readInts(2), 'BufferUnderflowError', /^readInts needs 2 x 4 bytes/);
  unchanged(buf, () => buf.getInt(2), 'InvalidArgumentError', /^getInt\(index 2\) needs 4 bytes inside the limit 4/);
  unchanged(buf, () => buf.setShort(3, 1), 'InvalidArgumentError', /^setShort\(index 3\)/);
  unchanged(buf, () => buf.position(5), 'InvalidArgumentError', /^position\(5\) is beyond the limit 4/);
  unchanged(buf, () => buf.setLimit(9), 'InvalidArgumentError', /^setLimit\(9\) is beyond the capacity 8/);
  buf.delete();
});

test('out-of-range and non-integer numbers are errors, never truncated', () => {
  const buf = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Heap);
  const cases = [
    ['writeByte', [300], /^writeByte: value 300 is outside the range \[-128, 127\]/],
    ['writeByte', [-129], /outside the range \[-128, 127\]/],
    ['writeUnsignedByte', [256], /outside the range \[0, 255\]/],
    ['writeUnsignedByte', [-1], /outside the range \[0, 255\]/],
    ['writeShort', [32768], /outside the range \[-32768, 32767\]/],
    ['writeUnsignedShort', [65536], /outside the range \[0, 65535\]/],
    ['writeInt', [2 ** 31], /^writeInt: value 2147483648 is outside the range \[-2147483648, 2147483647\]/],
    ['writeUnsignedInt', [2 ** 32], /outside the range \[0, 4294967295\]/],
    ['writeInt', [1.5], /^writeInt: value 1.5 is not a whole number/],
    ['writeInt', [NaN], /value nan is not a whole number/i],
    ['writeInt', [Infinity], /value inf is outside the range/i],
    ['setByte', [0, 128], /^setByte: value 128 is outside/],
    ['setInt', [-1, 0], /^setInt: index -1 is outside the range \[0, 4294967295\]/],
    ['getInt', [0.5], /^getInt: index 0.5 is not a whole number/],
    ['position', [-1], /^position: position -1 is outside/],
    ['readString', [-3], /^readString: byteCount -3 is outside/],
    ['writeFloat', [1e39], /^writeFloat: value 1e\+39 is outside the float range \[-3.4028234663852886e\+38, 3.4028234663852886e\+38\]/],
    ['setFloat', [0, -1e39], /^setFloat: value -1e\+39 is outside the float range/],
  ];
  for (const [method, args, pattern] of cases) {
    unchanged(buf, () => buf[method](...args), 'InvalidArgumentError', pattern);
  }
  buf.delete();
});

test('allocation arguments: negative, fractional and huge sizes, wrong zone or order', () => {
  throwsZb(assert, () => zb.PlatformBuffer.allocate(-1, zb.AllocationZone.Heap), 'InvalidArgumentError',
    /^PlatformBuffer.allocate: size -1 is outside the range \[0, 4294967295\]/);
  throwsZb(assert, () => zb.PlatformBuffer.allocate(1.5, zb.AllocationZone.Direct), 'InvalidArgumentError',
    /size 1.5 is not a whole number/);
  throwsZb(assert, () => zb.PlatformBuffer.allocate(2 ** 40, zb.AllocationZone.Heap), 'InvalidArgumentError',
    /size 1099511627776 is outside/);
  throwsZb(assert, () => zb.PlatformBuffer.allocate(8, 1), 'InvalidArgumentError',
    /^PlatformBuffer.allocate: expected a zb.AllocationZone value \(Heap, Direct or SharedMemory\); got a number/);
  throwsZb(assert, () => zb.PlatformBuffer.allocate(8, zb.AllocationZone.Heap, 'big'), 'InvalidArgumentError',
    /expected a zb.ByteOrder value/);
  throwsZb(assert, () => zb.LinearBuffer.allocate(8, zb.AllocationZone.Heap), 'InvalidArgumentError', /Heap/);
  throwsZb(assert, () => zb.PlatformBuffer.allocate(2 ** 31 - 1, zb.AllocationZone.Direct), 'OutOfMemoryError',
    /LinearMemoryAllocator::configure/);
});

test('JS-array copies are bounds-checked on both sides', () => {
  const buf = zb.PlatformBuffer.allocate(4, zb.AllocationZone.Direct);
  const src = new Uint8Array(8);
  unchanged(buf, () => buf.writeFromJsArray(src, 0, 5), 'BufferOverflowError', /^writeFromJsArray needs 5 bytes/);
  unchanged(buf, () => buf.writeFromJsArray(src, 6, 3), 'InvalidArgumentError',
    /^writeFromJsArray: source range \[6, 6 \+ 3\) is outside the array of length 8/);
  unchanged(buf, () => buf.writeFromJsArray([1, 2], 0, 2), 'InvalidArgumentError', /expected an Int8Array or a Uint8Array/);
  unchanged(buf, () => buf.writeFromJsArray(new Uint16Array(2), 0, 2), 'InvalidArgumentError', /Int8Array/);
  buf.position(2);
  buf.resetForRead();
  unchanged(buf, () => buf.readToJsArray(new Int8Array(8), 0, 3), 'BufferUnderflowError', /^readToJsArray needs 3 bytes but only 2 remain/);
  unchanged(buf, () => buf.readToJsArray(new Int8Array(1), 0, 2), 'InvalidArgumentError', /destination range \[0, 0 \+ 2\)/);
  unchanged(buf, () => buf.readToJsArray(new Uint8Array(2), -1, 1), 'InvalidArgumentError', /dstOffset -1/);
  unchanged(buf, () => buf.writeInts(new Uint32Array(1)), 'InvalidArgumentError', /^writeInts: expected a Int32Array/);
  buf.delete();
});

test('write(src) from the buffer itself is InvalidArgumentError; from a view of its bytes it copies', () => {
  for (const zone of [zb.AllocationZone.Heap, zb.AllocationZone.Direct]) {
    const buf = zb.PlatformBuffer.allocate(16, zone);
    for (let i = 1; i <= 8; i++) buf.writeByte(i);
    buf.resetForRead();
    unchanged(buf, () => buf.write(buf), 'InvalidArgumentError',
      /^write\(PlatformBuffer&\): the source is this buffer itself; .*slice\(i, n\)/);
    const head = buf.slice(0, 2);
    buf.setLimit(16);
    buf.position(8);
    buf.write(head);
    assert.equal(buf.position(), 10);
    assert.deepEqual([buf.getByte(8), buf.getByte(9)], [1, 2]);
    head.delete();
    buf.delete();
  }
});

test('strict text decoding reports MalformedTextError', () => {
  const buf = zb.PlatformBuffer.allocate(4, zb.AllocationZone.Heap);
  buf.writeBytes(Uint8Array.of(0x61, 0xff));
  buf.resetForRead();
  unchanged(buf, () => buf.readString(2, zb.Charset.Utf8, zb.TextPolicy.Strict), 'MalformedTextError');
  assert.equal(buf.readString(2), 'a\uFFFD', 'lenient decoding replaces');
  buf.delete();
});

test('delete twice and use after delete are ObjectDeletedError, naming the method', () => {
  const buf = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Direct);
  buf.delete();
  const deleted = (fn, op) => throwsZb(assert, fn, 'ObjectDeletedError', new RegExp(`^${op}: this PlatformBuffer was already deleted`));
  deleted(() => buf.delete(), 'delete');
  deleted(() => buf.readInt(), 'readInt');
  deleted(() => buf.writeInt(1), 'writeInt');
  deleted(() => buf.position(), 'position');
  deleted(() => buf.zone(), 'zone');
  deleted(() => buf.readString(0), 'readString');
  deleted(() => buf.slice(), 'slice');
  assert.throws(() => buf.bytes(), zb.ObjectDeletedError);
  assert.throws(() => buf.writeString('x'), zb.InvalidArgumentError, 'an ObjectDeletedError is an InvalidArgumentError');
  const other = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Heap);
  throwsZb(assert, () => other.write(buf), 'ObjectDeletedError', /^write: this PlatformBuffer was already deleted/);
  assert.equal(other.position(), 0);
  other.delete();
  const pool = new zb.BufferPool();
  const lease = pool.acquire(16, zb.AllocationZone.Heap);
  lease.delete();
  throwsZb(assert, () => lease.readInt(), 'ObjectDeletedError', /^readInt: this PooledBuffer was already deleted/);
  throwsZb(assert, () => lease.release(), 'ObjectDeletedError', /^release: this PooledBuffer/);
  pool.delete();
  throwsZb(assert, () => pool.acquire(8, zb.AllocationZone.Heap), 'ObjectDeletedError', /^acquire: this BufferPool/);
  throwsZb(assert, () => pool.delete(), 'ObjectDeletedError', /^delete: this BufferPool/);
});
