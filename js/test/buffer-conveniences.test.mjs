// PlatformBuffer's parsing conveniences from JS (docs/stream.md): search and
// compare, cursor conveniences, per-call byte order, medium/n-byte numbers,
// varints, lines, length-prefixed strings, hex dumps. Each against the C++
// semantics; each error path with its type, message and nothing changed; and
// JS hot-path writes interleaved with these C++ calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

const zb = await loadZonebuf();
const { LittleEndian: LE, BigEndian: BE } = zb.ByteOrder;

// A buffer holding `bytes` in [0, bytes.length), flipped for reading.
function bufferOf(bytes, kind = 'heap') {
  const pool = kind === 'lease' ? new zb.BufferPool() : undefined;
  const buf = kind === 'lease' ? pool.acquire(Math.max(bytes.length, 1), zb.AllocationZone.Heap)
    : zb.PlatformBuffer.allocate(Math.max(bytes.length, 1), kind === 'direct' ? zb.AllocationZone.Direct : zb.AllocationZone.Heap);
  buf.writeBytes(Uint8Array.from(bytes));
  buf.resetForRead();
  buf.done = () => { buf.delete(); pool?.delete(); };
  return buf;
}
const snapshot = (buf) => ({ position: buf.position(), limit: buf.limit(), bytes: [...buf.bytes()] });
// The error's type and message, and nothing changed.
function failsUnchanged(buf, fn, name, pattern) {
  const before = snapshot(buf);
  throwsZb(assert, fn, name, pattern);
  assert.deepEqual(snapshot(buf), before, 'a failed call changes nothing');
}
const ascii = (s) => [...s].map((c) => c.charCodeAt(0));

test('indexOf(byte | string | bytes) gives absolute indices from the position, -1 when absent', () => {
  for (const kind of ['heap', 'direct', 'lease']) {
    const buf = bufferOf(ascii('GET / HTTP/1.1\r\nHost: x\r\n\r\nbody'), kind);
    assert.equal(buf.indexOf(0x20), 3);
    assert.equal(buf.indexOf('\r\n\r\n'), 23);
    assert.equal(buf.indexOf(Uint8Array.of(0x0d, 0x0a)), 14);
    assert.equal(buf.indexOf(Int8Array.of(0x48, 0x6f)), 16);
    assert.equal(buf.indexOf(''), 0, 'an empty pattern matches at the position');
    buf.position(15);
    assert.equal(buf.indexOf('\r\n'), 23, 'the search starts at the position');
    assert.equal(buf.indexOf('GET'), -1);
    buf.setLimit(24);
    assert.equal(buf.indexOf('\r\n\r\n'), -1, 'and ends at the limit');
    assert.equal(buf.indexOf('é'), -1, 'strings are searched as UTF-8');
    failsUnchanged(buf, () => buf.indexOf(256), 'InvalidArgumentError', /^indexOf: value 256 is outside the range \[0, 255\]/);
    failsUnchanged(buf, () => buf.indexOf({}), 'InvalidArgumentError', /^indexOf: expected an Int8Array or a Uint8Array/);
    buf.done();
  }
});

test('mismatch, contentEquals and compareTo compare the remaining bytes, unsigned, of any buffer kind', () => {
  const a = bufferOf([1, 2, 3, 0xff, 5]);
  const b = bufferOf([9, 1, 2, 3, 0x01, 5], 'lease');
  b.readByte();  // JS moves b's position; C++ must see it
  assert.equal(a.mismatch(b), 3);
  assert.equal(a.contentEquals(b), false);
  assert.equal(a.compareTo(b), 1, '0xff > 0x01: unsigned');
  assert.equal(b.compareTo(a), -1);
  b.setUnsignedByte(4, 0xff);  // JS write at an index
  assert.equal(a.mismatch(b), -1);
  assert.equal(a.contentEquals(b), true);
  assert.equal(a.compareTo(b), 0);
  a.setLimit(3);
  assert.equal(a.mismatch(b), 3, 'a proper prefix: the shorter length');
  assert.equal(a.compareTo(b), -1, 'a proper prefix is smaller');
  assert.deepEqual([a.position(), b.position()], [0, 1], 'comparing moves neither cursor');
  const view = zb.LinearBuffer.viewOf(bufferOf([1, 2, 3], 'direct'));
  assert.equal(a.contentEquals(view), true, 'a LinearBuffer view compares too');
  failsUnchanged(a, () => a.mismatch(Uint8Array.of(1)), 'InvalidArgumentError',
    /^mismatch: expected a PlatformBuffer, LinearBuffer, PooledBuffer, StreamBuffer or GrowableBuffer of this module; got a object/);
  const gone = bufferOf([1]);
  gone.done();
  failsUnchanged(a, () => a.compareTo(gone), 'ObjectDeletedError', /^compareTo: the PlatformBuffer passed to it was already deleted/);
  view.delete();
  a.done();
  b.done();
});

test('hash is XXH64 (seed 0) of the remaining bytes, as a BigInt, the same as natively', () => {
  const empty = bufferOf([]);
  empty.setLimit(0);
  assert.equal(empty.hash(), 0xEF46DB3751D8E999n);
  const abc = bufferOf(ascii('xabc'));
  abc.readByte();
  assert.equal(abc.hash(), 0x44BC2CF5AD770999n);
  const golden = bufferOf(Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 0xff), 'lease');
  assert.equal(golden.hash(), 0x99594f4828043d35n, 'the C++ tests pin the same value');
  golden.setLimit(37);
  assert.equal(golden.hash(), 0x5d71d9fc4b676d9fn);
  for (const b of [empty, abc, golden]) b.done();
});

test('skip, mark/reset, compact, duplicate, slice(index, length), fill and xorMask', () => {
  const buf = bufferOf([0, 1, 2, 3, 4, 5, 6, 7]);
  buf.skip(2);
  assert.equal(buf.readByte(), 2, 'JS reads where C++ skipped to');
  const mark = buf.mark();
  assert.deepEqual(mark, { position: 3 });
  buf.readInt();
  buf.reset(mark);
  assert.equal(buf.position(), 3);
  failsUnchanged(buf, () => buf.skip(6), 'BufferUnderflowError', /^skip needs 6 bytes but only 5 remain/);
  failsUnchanged(buf, () => buf.reset(5), 'InvalidArgumentError', /^reset: expected a mark made by mark\(\)/);
  buf.setLimit(2);
  failsUnchanged(buf, () => buf.reset(mark), 'InvalidArgumentError', /^reset\(mark at 3\) is beyond the limit 2/);
  buf.setLimit(8);
  buf.position(5);
  buf.compact();
  assert.deepEqual([buf.position(), buf.limit()], [3, 8]);
  assert.deepEqual([...buf.bytes().subarray(0, 3)], [5, 6, 7]);
  buf.position(0);
  buf.setLimit(3);
  const dup = buf.duplicate();
  assert.deepEqual([dup.position(), dup.limit(), dup.readByte()], [0, 3, 5]);
  assert.equal(buf.position(), 0, 'an independent cursor');
  dup.setByte(1, 60);
  assert.equal(buf.getByte(1), 60, 'over the same bytes');
  const part = buf.slice(1, 2);
  assert.deepEqual([part.position(), part.limit(), part.capacity(), part.readUnsignedShort()], [0, 2, 2, (60 << 8) | 7]);
  failsUnchanged(buf, () => buf.slice(2, 2), 'InvalidArgumentError', /slice/);
  buf.resetForWrite();
  buf.position(2);
  buf.setLimit(6);
  buf.fill(0xaa);
  assert.deepEqual([...buf.bytes()], [5, 60, 0xaa, 0xaa, 0xaa, 0xaa, 6, 7]);
  assert.equal(buf.position(), 2, 'fill leaves the position');
  buf.xorMask(0x01020304);
  assert.deepEqual([...buf.bytes().subarray(2, 6)], [0xab, 0xa8, 0xa9, 0xae]);
  buf.xorMask(0x01020304, 0);
  buf.position(3);
  buf.xorMask(0x01020304, 1);
  assert.deepEqual([...buf.bytes().subarray(3, 6)], [0xa8, 0xa9, 0xae], 'offset continues the key');
  failsUnchanged(buf, () => buf.fill(-1), 'InvalidArgumentError', /^fill: value -1 is outside the range \[0, 255\]/);
  failsUnchanged(buf, () => buf.xorMask(2 ** 32), 'InvalidArgumentError', /^xorMask: key 4294967296 is outside the range/);
  for (const h of [dup, part]) h.delete();
  buf.done();
});

test('per-call byte order on read/get/write/set of every width, the buffer order untouched', () => {
  for (const kind of ['heap', 'lease']) {
    const buf = bufferOf(new Array(64).fill(0), kind);
    buf.resetForWrite();
    const model = new DataView(new ArrayBuffer(64));
    let p = 0;
    const cases = [
      ['Short', -2, 2, 'Int16'], ['UnsignedShort', 0xfffe, 2, 'Uint16'], ['Int', -123456, 4, 'Int32'],
      ['UnsignedInt', 0xfedcba98, 4, 'Uint32'], ['Long', -(2n ** 40n), 8, 'BigInt64'],
      ['UnsignedLong', 2n ** 64n - 2n, 8, 'BigUint64'], ['Float', 1.5, 4, 'Float32'], ['Double', Math.PI, 8, 'Float64'],
    ];
    for (const [name, v, width, dv] of cases) {
      buf[`write${name}`](v, LE);
      model[`set${dv}`](p, v, true);
      p += width;
    }
    assert.equal(buf.byteOrder(), BE);
    assert.deepEqual([...buf.bytes().subarray(0, p)], [...new Uint8Array(model.buffer, 0, p)]);
    buf.resetForRead();
    p = 0;
    for (const [name, v, width] of cases) {
      assert.equal(buf[`get${name}`](p, LE), v, `get${name}(i, LE)`);
      assert.equal(buf[`read${name}`](LE), v, `read${name}(LE)`);
      p += width;
    }
    buf.setInt(0, 0x01020304, LE);
    assert.equal(buf.getInt(0), 0x04030201, 'without the argument: the buffer order');
    assert.equal(buf.getInt(0, BE), 0x04030201);
    buf.setUnsignedLong(8, 2n ** 64n - 1n, BE);
    assert.equal(buf.getUnsignedLong(8, LE), 2n ** 64n - 1n);
    // errors come from C++: the order checked, bounds as without an order
    failsUnchanged(buf, () => buf.readShort(1), 'InvalidArgumentError',
      /^readShort: expected a zb.ByteOrder value \(BigEndian or LittleEndian\); got a number/);
    failsUnchanged(buf, () => buf.setInt(0, 1, 'LE'), 'InvalidArgumentError', /^setInt: expected a zb.ByteOrder value/);
    failsUnchanged(buf, () => buf.readLong(LE), 'BufferUnderflowError', /^readLong needs 8 bytes but only 0 remain/);
    failsUnchanged(buf, () => buf.getDouble(60, LE), 'InvalidArgumentError', /getDouble/);
    failsUnchanged(buf, () => buf.setShort(0, 70000, LE), 'InvalidArgumentError', /^setShort: value 70000 is outside the range/);
    failsUnchanged(buf, () => buf.writeLong(1, LE), 'InvalidArgumentError', /^writeLong: expected a BigInt/);
    failsUnchanged(buf, () => buf.writeUnsignedLong(-1n, LE), 'InvalidArgumentError', /outside the uint64 range/);
    buf.done();
  }
});

test('medium and n-byte integers (BigInt), signed and unsigned, both orders', () => {
  const buf = bufferOf(new Array(32).fill(0));
  buf.resetForWrite();
  buf.writeMedium(-2);
  buf.writeUnsignedMedium(0xabcdef);
  buf.writeUnsignedNumber(0x0102030405n, 5, LE);
  buf.writeSignedNumber(-3n, 3);
  buf.writeUnsignedNumber(2n ** 64n - 1n, 8);
  assert.deepEqual([...buf.bytes().subarray(0, 11)], [0xff, 0xff, 0xfe, 0xab, 0xcd, 0xef, 5, 4, 3, 2, 1]);
  failsUnchanged(buf, () => buf.writeUnsignedNumber(256n, 1), 'InvalidArgumentError',
    /^writeUnsignedNumber: 256 does not fit in 1/);
  failsUnchanged(buf, () => buf.writeSignedNumber(-129n, 1), 'InvalidArgumentError', /^writeSignedNumber: -129 does not fit/);
  failsUnchanged(buf, () => buf.writeUnsignedNumber(1n, 9), 'InvalidArgumentError', /byteCount 9/);
  failsUnchanged(buf, () => buf.writeUnsignedNumber(1, 2), 'InvalidArgumentError', /^writeUnsignedNumber: expected a BigInt/);
  failsUnchanged(buf, () => buf.writeMedium(1 << 23), 'InvalidArgumentError', /8388608 does not fit in 3 bytes/);
  buf.resetForRead();
  assert.equal(buf.readMedium(), -2);
  assert.equal(buf.readUnsignedMedium(), 0xabcdef);
  assert.equal(buf.readUnsignedNumber(5, LE), 0x0102030405n);
  assert.equal(buf.readSignedNumber(3, BE), -3n);
  assert.equal(buf.readUnsignedNumber(8), 2n ** 64n - 1n, 'values above 2^63 stay unsigned');
  failsUnchanged(buf, () => buf.readUnsignedNumber(0), 'InvalidArgumentError',
    /^readUnsignedNumber\(byteCount 0\) needs a byte count of 1\.\.8/);
  failsUnchanged(buf, () => buf.readMedium(), 'BufferUnderflowError', /needs 3 bytes but only 0 remain/);
  buf.done();
});

test('varints: LEB128 and zigzag as BigInt, the MQTT Variable Byte Integer as a number', () => {
  const buf = bufferOf(new Array(64).fill(0));
  buf.resetForWrite();
  for (const v of [0n, 1n, 127n, 128n, 300n, 2n ** 63n, 2n ** 64n - 1n]) buf.writeVarUInt(v);
  for (const v of [0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n]) buf.writeVarInt(v);
  for (const v of [0, 127, 128, 16383, 16384, 268435455]) buf.writeVariableByteInteger(v);
  assert.equal(zb.PlatformBuffer.varUIntSize(2n ** 64n - 1n), 10);
  assert.equal(zb.PlatformBuffer.varUIntSize(127n), 1);
  assert.equal(zb.PlatformBuffer.variableByteIntegerSize(16384), 3);
  throwsZb(assert, () => zb.PlatformBuffer.variableByteIntegerSize(268435456), 'InvalidArgumentError',
    /^variableByteIntegerSize\(268435456\) exceeds the Variable Byte Integer maximum of 268435455/);
  throwsZb(assert, () => zb.PlatformBuffer.varUIntSize(-1n), 'InvalidArgumentError', /^varUIntSize: value -1 is outside the uint64 range/);
  failsUnchanged(buf, () => buf.writeVariableByteInteger(268435456), 'InvalidArgumentError', /^writeVariableByteInteger\(268435456\)/);
  failsUnchanged(buf, () => buf.writeVarInt(2n ** 63n), 'InvalidArgumentError', /^writeVarInt: value 9223372036854775808 is outside the int64 range/);
  failsUnchanged(buf, () => buf.writeVarUInt(5), 'InvalidArgumentError', /^writeVarUInt: expected a BigInt/);
  buf.resetForRead();
  for (const v of [0n, 1n, 127n, 128n, 300n, 2n ** 63n, 2n ** 64n - 1n]) assert.equal(buf.readVarUInt(), v);
  for (const v of [0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n]) assert.equal(buf.readVarInt(), v);
  for (const v of [0, 127, 128, 16383, 16384, 268435455]) assert.equal(buf.readVariableByteInteger(), v);
  buf.done();

  const truncated = bufferOf([0x80, 0x80]);
  failsUnchanged(truncated, () => truncated.readVarUInt(), 'BufferUnderflowError', /^readVarUInt needs 3 bytes but only 2 remain/);
  failsUnchanged(truncated, () => truncated.readVariableByteInteger(), 'BufferUnderflowError', /^readVariableByteInteger needs 3 bytes/);
  truncated.done();
  const long = bufferOf([...new Array(10).fill(0xff), 0x01]);
  failsUnchanged(long, () => long.readVarUInt(), 'InvalidArgumentError',
    /^readVarUInt at index 0: the varint is longer than 10 bytes or exceeds 64 bits/);
  failsUnchanged(long, () => long.readVariableByteInteger(), 'InvalidArgumentError', /a fifth byte/);
  long.done();
  const nonMinimal = bufferOf([0x80, 0x00]);
  failsUnchanged(nonMinimal, () => nonMinimal.readVariableByteInteger(), 'InvalidArgumentError', /non-minimal encoding/);
  failsUnchanged(nonMinimal, () => nonMinimal.readVariableByteInteger(zb.TextPolicy.Strict), 'InvalidArgumentError', /non-minimal/);
  failsUnchanged(nonMinimal, () => nonMinimal.readVariableByteInteger(2), 'InvalidArgumentError', /expected a zb.TextPolicy/);
  assert.equal(nonMinimal.readVariableByteInteger(zb.TextPolicy.Lenient), 0, 'Lenient accepts it');
  nonMinimal.done();
});

test('readLine (LF, CRLF), length-prefixed strings and hexDump; text is exact both ways', () => {
  const buf = bufferOf(new Array(128).fill(0), 'lease');
  buf.resetForWrite();
  buf.writeString('first\r\nsecond\n\ufeffbom\nno end');
  assert.equal(buf.writeLengthPrefixedString('topic/é'), 2 + 8);
  assert.equal(buf.writeLengthPrefixedString('\ud800x'), 2 + 4, 'Lenient: a lone surrogate is U+FFFD');
  const lps = buf.position();
  failsUnchanged(buf, () => buf.writeLengthPrefixedString('\ud800', zb.TextPolicy.Strict), 'MalformedTextError',
    /^writeLengthPrefixedString: the text has a lone surrogate U\+D800 at UTF-16 index 0/);
  failsUnchanged(buf, () => buf.writeLengthPrefixedString('x'.repeat(65536)), 'InvalidArgumentError',
    /^writeLengthPrefixedString: the text is 65536 bytes, a u16 length prefix holds at most 65535/);
  failsUnchanged(buf, () => buf.writeLengthPrefixedString('x'.repeat(200)), 'BufferOverflowError',
    /^writeLengthPrefixedString needs 202 bytes/);
  failsUnchanged(buf, () => buf.writeLengthPrefixedString(5), 'InvalidArgumentError', /expected a string, got a number/);
  buf.resetForRead();
  assert.equal(buf.readLine(), 'first');
  assert.equal(buf.readLine(), 'second');
  assert.equal(buf.readLine(), '\ufeffbom', 'a byte-order mark is data');
  const p = buf.position();
  buf.setLimit(lps - 16);
  assert.equal(buf.readLine(), null, 'no LF: null, nothing consumed');
  assert.equal(buf.position(), p);
  buf.setLimit(lps);
  buf.position(lps - 16);
  assert.equal(buf.readLengthPrefixedString(), 'topic/é');
  assert.equal(buf.readLengthPrefixedString(), '\ufffdx');
  buf.position(0);
  assert.equal(buf.hexDump(4), '00000000  66 69 72 73                                       |firs|\n... ' +
    `${lps - 4} more bytes\n`);
  buf.done();

  const bad = bufferOf([0x61, 0xff, 0x0a, 0x00, 0x02, 0xc3, 0x28]);
  failsUnchanged(bad, () => bad.readLine(zb.TextPolicy.Strict), 'MalformedTextError', /0xFF/);
  assert.equal(bad.readLine(), 'a\ufffd');
  failsUnchanged(bad, () => bad.readLengthPrefixedString(zb.TextPolicy.Strict), 'MalformedTextError', /UTF-8/);
  bad.setLimit(6);
  failsUnchanged(bad, () => bad.readLengthPrefixedString(), 'BufferUnderflowError', /^readLengthPrefixedString needs 4 bytes but only 3 remain/);
  bad.done();
});

test('JS hot-path writes and these C++ calls interleave on one buffer, through memory growth', () => {
  for (const kind of ['direct', 'lease']) {
    const buf = bufferOf(new Array(64).fill(0), kind);
    buf.resetForWrite();
    buf.writeInt(7);                               // JS
    buf.writeVarUInt(300n);                        // C++ sees position 4
    buf.writeShort(0x0a0b, LE);                    // JS, per-call order
    buf.writeLengthPrefixedString('ab');           // C++
    const hogs = [];
    const size = zb.memory.buffer.byteLength;
    while (zb.memory.buffer.byteLength === size) hogs.push(zb.PlatformBuffer.allocate(4 << 20, zb.AllocationZone.Heap));
    buf.writeByte(0x0a);                           // JS after growth
    assert.equal(buf.position(), 4 + 2 + 2 + 4 + 1);
    buf.resetForRead();
    assert.equal(buf.indexOf(0x0a), 7, 'C++ searches from the position JS set');
    assert.equal(buf.indexOf(Uint8Array.of(0x62, 0x0a)), 11);
    buf.setLimit(12);
    assert.equal(buf.indexOf(Uint8Array.of(0x62, 0x0a)), -1, 'and up to the limit JS set');
    buf.setLimit(13);
    buf.skip(4);                                   // C++
    assert.equal(buf.readVarUInt(), 300n);         // C++
    assert.equal(buf.readShort(LE), 0x0a0b);       // JS
    const dup = buf.duplicate();                   // C++ copies the cursor JS moved
    assert.equal(dup.position(), 8);
    assert.equal(buf.readLengthPrefixedString(), 'ab');
    assert.equal(buf.readByte(), 0x0a);            // JS
    dup.readUnsignedShort();
    const same = bufferOf([0x61, 0x62, 0x0a]);
    assert.equal(dup.hash(), same.hash(), 'the hash of the bytes the cursors say');
    same.done();
    for (const h of [...hogs, dup]) h.delete();
    buf.done();
  }
});

test('the other buffer may be a GrowableBuffer or a StreamBuffer; one of another module is refused', async () => {
  const pool = new zb.BufferPool();
  const g = new zb.GrowableBuffer(pool, 16);
  g.write([1, 2, 3]);
  const before = g.bytes().byteOffset;
  g.write(new Uint8Array(100));                   // grows: the buffer moved
  assert.notEqual(g.bytes().byteOffset, before, 'bytes() views the moved buffer');
  g.resetForRead();
  g.setLimit(3);
  const b = bufferOf([1, 2, 3]);
  assert.equal(b.contentEquals(g), true);
  assert.equal(g.mismatch(b), -1);
  const s = new zb.StreamProcessor(pool);
  s.append([1, 2, 4]);
  const sb = s.readBuffer(3);
  assert.equal(sb.compareTo(b), 1);
  assert.equal(b.mismatch(sb), 2);
  const other = await loadZonebuf();
  const foreign = other.PlatformBuffer.allocate(3);
  failsUnchanged(b, () => b.mismatch(foreign), 'InvalidArgumentError', /of this module; got a object \(buffers of another module instance/);
  for (const h of [foreign, sb, s, g]) h.delete();
  b.done();
  pool.delete();
});
