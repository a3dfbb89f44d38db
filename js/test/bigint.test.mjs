// 64-bit values cross as BigInt, exactly, at every edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

const zb = await loadZonebuf();
const I64 = [-(2n ** 63n), -1n, 0n, 1n, 2n ** 53n + 1n, 2n ** 63n - 1n];
const U64 = [0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];

test('int64 edges round-trip through writeLong/readLong and setLong/getLong', () => {
  const buf = zb.PlatformBuffer.allocate(8 * I64.length, zb.AllocationZone.Direct, zb.ByteOrder.LittleEndian);
  for (const v of I64) buf.writeLong(v);
  I64.forEach((v, i) => assert.equal(buf.dataView().getBigInt64(8 * i, true), v));
  buf.resetForRead();
  for (const v of I64) assert.equal(buf.readLong(), v);
  I64.forEach((v, i) => { buf.setLong(8 * i, v); assert.equal(buf.getLong(8 * i), v); });
  buf.delete();
});

test('uint64 edges round-trip, including values above 2^63', () => {
  const buf = zb.PlatformBuffer.allocate(8 * U64.length, zb.AllocationZone.Heap);
  for (const v of U64) buf.writeUnsignedLong(v);
  U64.forEach((v, i) => assert.equal(buf.dataView().getBigUint64(8 * i, false), v));
  buf.resetForRead();
  for (const v of U64) assert.equal(buf.readUnsignedLong(), v);
  U64.forEach((v, i) => { buf.setUnsignedLong(8 * i, v); assert.equal(buf.getUnsignedLong(8 * i), v); });
  assert.equal(buf.getLong(8 * 4), -1n, 'the same bits read signed');
  buf.delete();
});

test('out-of-range BigInts and plain numbers are InvalidArgumentError', () => {
  const buf = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Heap);
  throwsZb(assert, () => buf.writeLong(2n ** 63n), 'InvalidArgumentError',
    /^writeLong: value 9223372036854775808 is outside the int64 range/);
  throwsZb(assert, () => buf.writeLong(-(2n ** 63n) - 1n), 'InvalidArgumentError', /outside the int64 range/);
  throwsZb(assert, () => buf.writeUnsignedLong(-1n), 'InvalidArgumentError', /^writeUnsignedLong: value -1 is outside the uint64 range/);
  throwsZb(assert, () => buf.writeUnsignedLong(2n ** 64n), 'InvalidArgumentError', /outside the uint64 range/);
  throwsZb(assert, () => buf.setLong(0, 5), 'InvalidArgumentError', /^setLong: expected a BigInt/);
  throwsZb(assert, () => buf.setUnsignedLong(0, 2n ** 64n), 'InvalidArgumentError', /uint64/);
  throwsZb(assert, () => buf.writeLong('1'), 'InvalidArgumentError', /expected a BigInt/);
  assert.equal(buf.position(), 0);
  buf.delete();
});
