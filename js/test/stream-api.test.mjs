// The stream layer from JS (docs/stream.md): StreamProcessor's 64-bit and
// per-order fields, peeks of every width, append of byte arrays, indexOf,
// readBuffer (and its StreamBuffer's lifecycle), readInto, readString;
// GrowableBuffer; Utf8StreamDecoder. Results against the C++ semantics, each
// error with its type, message and nothing consumed, and JS hot-path cursor
// moves interleaved with these C++ calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

const zb = await loadZonebuf();
const { LittleEndian: LE, BigEndian: BE } = zb.ByteOrder;

function leaseWith(pool, bytes) {
  const lease = pool.acquire(bytes.length + 1, zb.AllocationZone.Heap);
  lease.writeBytes(Uint8Array.from(bytes));  // JS hot path: the C++ side learns the cursor at append
  lease.resetForRead();
  return lease;
}
// A stream holding `bytes` in leases split at `cuts`.
function streamOf(pool, bytes, cuts, config) {
  const s = config === undefined ? new zb.StreamProcessor(pool) : new zb.StreamProcessor(pool, config);
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    if (to > from) s.append(leaseWith(pool, bytes.slice(from, to)));
    from = to;
  }
  return s;
}
const streamState = (s) => ({ available: s.available(), stats: s.stats() });
function failsUnconsumed(s, fn, name, pattern) {
  const before = streamState(s);
  throwsZb(assert, fn, name, pattern);
  assert.deepEqual(streamState(s), before, 'a failed call consumed nothing');
}

const FIELDS = [
  ['Byte', 1, 'Int8'], ['UnsignedByte', 1, 'Uint8'], ['Short', 2, 'Int16'], ['UnsignedShort', 2, 'Uint16'],
  ['Int', 4, 'Int32'], ['UnsignedInt', 4, 'Uint32'], ['Long', 8, 'BigInt64'], ['UnsignedLong', 8, 'BigUint64'],
  ['Float', 4, 'Float32'], ['Double', 8, 'Float64'],
];
const BYTES = [0xff, 0xfe, 0x80, 0x01, 0x7f, 0x3f, 0xf0, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf1];

test('peeks of every width and order at every offset, across every chunk boundary', () => {
  const pool = new zb.BufferPool();
  const model = new DataView(Uint8Array.from(BYTES).buffer);
  for (let cut = 1; cut < BYTES.length; cut++) {
    const s = streamOf(pool, BYTES, [cut, Math.min(cut + 3, BYTES.length - 1)]);
    for (const [name, width, dv] of FIELDS) {
      for (let at = 0; at + width <= BYTES.length; at++) {
        assert.equal(s[`peek${name}`](at), model[`get${dv}`](at, false), `peek${name}(${at}) cut ${cut}`);
        if (width > 1) assert.equal(s[`peek${name}`](at, LE), model[`get${dv}`](at, true), `peek${name}(${at}, LE)`);
      }
      failsUnconsumed(s, () => s[`peek${name}`](BYTES.length - width + 1), 'BufferUnderflowError',
        new RegExp(`^StreamProcessor::peek${name} needs ${BYTES.length + 1} bytes but only 16 are available`));
    }
    assert.equal(s.peekUnsignedLong(), 0xfffe80017f3ff000n, 'unsigned above 2^63');
    assert.equal(s.peekInt(), model.getInt32(0), 'no offset: the first byte');
    s.delete();
  }
  pool.delete();
});

test('reads of every width in the stream order and per call, consumed across boundaries', () => {
  const pool = new zb.BufferPool();
  for (const order of [BE, LE]) {
    for (const per of [false, true]) {
      const s = streamOf(pool, [...BYTES, ...BYTES, ...BYTES, ...BYTES], [3, 17, 30, 41], per ? undefined : order);
      const model = new DataView(Uint8Array.from([...BYTES, ...BYTES, ...BYTES, ...BYTES]).buffer);
      let at = 0;
      for (const [name, width, dv] of FIELDS) {
        const v = per && width > 1 ? s[`read${name}`](order) : s[`read${name}`]();
        assert.equal(v, model[`get${dv}`](at, order === LE), `read${name} at ${at}`);
        at += width;
      }
      assert.equal(s.available(), 64 - at);
      assert.equal(s.byteOrder(), per ? BE : order);
      s.delete();
    }
  }
  pool.delete();
});

test('read, peek and skip errors consume nothing and name the method', () => {
  const pool = new zb.BufferPool();
  const s = streamOf(pool, [1, 2, 3], [1]);
  failsUnconsumed(s, () => s.readLong(), 'BufferUnderflowError',
    /^StreamProcessor::readLong needs 8 bytes but only 3 are available; append more input/);
  failsUnconsumed(s, () => s.readUnsignedLong(LE), 'BufferUnderflowError', /readUnsignedLong needs 8 bytes/);
  failsUnconsumed(s, () => s.readInt(1), 'InvalidArgumentError',
    /^StreamProcessor.readInt: expected a zb.ByteOrder value \(BigEndian or LittleEndian\); got a number/);
  failsUnconsumed(s, () => s.peekShort(-1), 'InvalidArgumentError', /^StreamProcessor.peekShort: offset -1 is outside the range/);
  failsUnconsumed(s, () => s.peekShort(0, 'LE'), 'InvalidArgumentError', /^StreamProcessor.peekShort: expected a zb.ByteOrder/);
  failsUnconsumed(s, () => s.skip(4), 'BufferUnderflowError', /^StreamProcessor::skip needs 4 bytes/);
  failsUnconsumed(s, () => s.readBuffer(4), 'BufferUnderflowError', /^StreamProcessor::readBuffer needs 4 bytes/);
  assert.equal(s.readUnsignedByte(), 1);
  s.delete();
  pool.delete();
});

test('append copies a Uint8Array, an Int8Array, a plain byte array and a view of zb.memory', () => {
  const pool = new zb.BufferPool();
  const s = new zb.StreamProcessor(pool, { zone: zb.AllocationZone.Heap, order: LE, copyChunkSize: 4 });
  s.append(Uint8Array.of(1, 2, 3));
  s.append(Int8Array.of(-1, 5));
  s.append([6, 7, 8]);
  const src = zb.PlatformBuffer.allocate(4, zb.AllocationZone.Direct);
  src.writeInt(0x090a0b0c);
  s.append(src.bytes());                          // a view over the module's own memory
  src.setInt(0, 0);
  assert.equal(s.available(), 12);
  assert.deepEqual(Array.from({ length: 12 }, () => s.readUnsignedByte()), [1, 2, 3, 255, 5, 6, 7, 8, 9, 10, 11, 12],
    'the bytes were copied when appended');
  const stats = s.stats();
  assert.equal(stats.bytesCopiedIn, 12);
  assert.equal(stats.chunksAppended, 1, 'the lease (a size class above 4 bytes) is filled before a new one');
  failsUnconsumed(s, () => s.append([1, 256]), 'InvalidArgumentError',
    /^StreamProcessor.append: element 1 of the array \(256\) is not a byte/);
  failsUnconsumed(s, () => s.append('abc'), 'InvalidArgumentError', /^StreamProcessor.append: expected an Int8Array or a Uint8Array/);
  failsUnconsumed(s, () => s.append(new Uint16Array(2)), 'InvalidArgumentError', /expected an Int8Array or a Uint8Array/);
  throwsZb(assert, () => new zb.StreamProcessor(pool, { copyChunkSize: 0 }), 'InvalidArgumentError', /copyChunkSize is 0/);
  throwsZb(assert, () => new zb.StreamProcessor(pool, 'LE'), 'InvalidArgumentError',
    /^new StreamProcessor: expected a zb.ByteOrder value or a \{ zone, order, copyChunkSize \} object; got a string/);
  src.delete();
  s.delete();
  pool.delete();
});

test('append(lease) takes the [position, limit) JS set; the moved-from lease is empty in JS too', () => {
  const pool = new zb.BufferPool();
  const s = new zb.StreamProcessor(pool);
  const lease = pool.acquire(16, zb.AllocationZone.Heap);
  lease.writeInt(0x01020304);                     // JS
  lease.writeInt(0x05060708);
  lease.resetForRead();
  lease.readByte();                               // JS: position 1, limit 8
  s.append(lease);
  assert.equal(lease.active(), false);
  assert.equal(s.available(), 7);
  assert.equal(s.peekUnsignedByte(), 2);
  for (const use of [() => lease.readByte(), () => lease.capacity(), () => lease.position(), () => lease.writeInt(1)]) {
    throwsZb(assert, use, 'InvalidArgumentError', /empty lease/);
  }
  throwsZb(assert, () => s.append(lease), 'InvalidArgumentError', /^StreamProcessor::append\(PooledBuffer&&\) got an empty lease/);
  lease.delete();
  throwsZb(assert, () => s.append(lease), 'ObjectDeletedError', /^StreamProcessor.append: the PooledBuffer passed to it was already deleted/);
  assert.equal(s.available(), 7);
  s.delete();
  pool.delete();
});

test('indexOf(byte | string | bytes, from) across chunks; -1 when absent', () => {
  const pool = new zb.BufferPool();
  const text = [...new TextEncoder().encode('ab\r\n\r\ncdé\r\n')];
  for (let cut = 1; cut < text.length; cut++) {
    const s = streamOf(pool, text, [cut]);
    assert.equal(s.indexOf('\r\n\r\n'), 2);
    assert.equal(s.indexOf(Uint8Array.of(0x0d, 0x0a), 3), 4);
    assert.equal(s.indexOf(0x0a, 6), 11);
    assert.equal(s.indexOf('é'), 8, 'strings are searched as UTF-8');
    assert.equal(s.indexOfString('cd'), 6);
    assert.equal(s.indexOfByte(0x63, 0), 6);
    assert.equal(s.indexOf('x'), -1);
    assert.equal(s.indexOf('', 3), 3);
    failsUnconsumed(s, () => s.indexOf(-1), 'InvalidArgumentError', /^StreamProcessor.indexOf: value -1 is outside the range \[0, 255\]/);
    failsUnconsumed(s, () => s.indexOf('a', -1), 'InvalidArgumentError', /^StreamProcessor.indexOf: from -1/);
    s.delete();
  }
  pool.delete();
});

test('readBuffer: a View, a Chunk or an Assembled lease, with the buffer API, its own lifecycle', () => {
  const pool = new zb.BufferPool();
  const s = streamOf(pool, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [4, 6]);
  const view = s.readBuffer(2);
  assert.equal(view.kind(), zb.StreamBufferKind.View);
  const chunk = s.readBuffer(2);
  assert.equal(chunk.kind(), zb.StreamBufferKind.Chunk, 'the bytes ended a chunk: its lease moved in');
  const joined = s.readBuffer(4);
  assert.equal(joined.kind(), zb.StreamBufferKind.Assembled);
  assert.equal(joined.copied(), true);
  assert.deepEqual([joined.size(), joined.position(), joined.limit()], [4, 0, 4]);
  assert.equal(joined.readInt(), 0x05060708, 'the hot path reads it');
  assert.equal(view.readUnsignedShort(), 0x0102);
  assert.equal(chunk.getUnsignedShort(0, LE), 0x0403);
  assert.equal(joined.byteOrder(), BE);
  joined.position(1);                             // JS
  const same = zb.PlatformBuffer.allocate(3);
  same.writeBytes(Uint8Array.of(6, 7, 8));
  same.resetForRead();
  assert.equal(joined.hash(), same.hash(), 'C++ hashes from the position JS set');
  same.delete();
  assert.deepEqual([...joined.toByteArray()], [6, 7, 8]);
  const stats = s.stats();
  assert.deepEqual([stats.bytesAssembled, stats.assembledLeases], [4, 1]);
  assert.ok(pool.stats().outstandingLeases >= 2, 'the chunk and the assembled lease are out');
  view.delete();
  chunk.delete();
  joined[Symbol.dispose]();
  assert.equal(joined.isDeleted(), true);
  joined[Symbol.dispose]();                       // idempotent
  throwsZb(assert, () => joined.readInt(), 'ObjectDeletedError', /^readInt: this StreamBuffer was already deleted/);
  throwsZb(assert, () => chunk.kind(), 'ObjectDeletedError', /^kind: this StreamBuffer was already deleted/);
  throwsZb(assert, () => view.delete(), 'ObjectDeletedError', /^delete: this StreamBuffer was already deleted/);
  assert.equal(s.readUnsignedShort(), 0x090a);
  assert.equal(pool.stats().outstandingLeases, 0, 'every lease went back to the pool');
  s.delete();
  throwsZb(assert, () => s.available(), 'ObjectDeletedError', /^available: this StreamProcessor was already deleted/);
  pool.delete();
});

test('readInto copies into any buffer at the position JS set; readString joins chunks; front views the head', () => {
  const pool = new zb.BufferPool();
  const bytes = [...new TextEncoder().encode('héllo wörld')];
  const s = streamOf(pool, [0, 0, ...bytes], [3, 7]);
  const dst = pool.acquire(8, zb.AllocationZone.Heap);
  dst.writeByte(9);                               // JS: position 1
  s.readInto(dst, 2);
  assert.deepEqual([dst.position(), s.available()], [3, bytes.length]);
  dst.setLimit(5);                                // JS: room for 2
  failsUnconsumed(s, () => s.readInto(dst, 3), 'BufferOverflowError', /needs 3 bytes but only 2 remain/);
  assert.deepEqual([dst.position(), dst.limit()], [3, 5]);
  failsUnconsumed(s, () => s.readInto(5, 1), 'InvalidArgumentError', /^StreamProcessor.readInto: expected a PlatformBuffer/);
  assert.deepEqual([...s.front()], bytes.slice(0, 1), 'the unconsumed bytes of the head chunk');
  assert.equal(s.readString(6), 'héllo');
  failsUnconsumed(s, () => s.readString(100), 'BufferUnderflowError', /readString needs 100 bytes/);
  failsUnconsumed(s, () => s.readString(1, 'utf8'), 'InvalidArgumentError', /^StreamProcessor.readString: expected a zb.Charset/);
  assert.equal(s.readString(7, zb.Charset.Utf8, zb.TextPolicy.Strict), ' wörld');
  s.append(Uint8Array.of(0x41, 0xff));
  failsUnconsumed(s, () => s.readString(2, zb.Charset.Utf8, zb.TextPolicy.Strict), 'MalformedTextError', /0xFF/);
  assert.equal(s.readString(2, zb.Charset.Latin1), 'A\u00ff');
  dst.delete();
  s.delete();
  pool.delete();
});

test('GrowableBuffer grows through the pool; JS writes between growths land in the moved buffer', () => {
  const pool = new zb.BufferPool();
  const g = new zb.GrowableBuffer(pool, 16);
  assert.deepEqual([g.size(), g.capacity(), g.growCount()], [0, 0, 0], 'no lease before the first use');
  g.ensureWritable(8).writeLong(-5n);             // C++, then JS
  const first = g.capacity();
  assert.ok(first >= 16);
  g.writeInt(7);                                  // JS
  g.write(Uint8Array.from({ length: first }, (_, i) => i & 0xff));  // C++: grows
  assert.equal(g.growCount(), 1);
  assert.equal(g.bytesMoved(), 12, 'the 12 bytes JS wrote were copied');
  assert.ok(g.capacity() >= 2 * first);
  g.writeShort(0x0102, LE);                       // JS on the new buffer
  const src = zb.PlatformBuffer.allocate(1000, zb.AllocationZone.Heap);
  src.position(1000);
  src.resetForRead();
  g.write(src);                                   // a buffer: grows too
  assert.equal(src.remaining(), 0);
  g.write([1, 2, 3]);
  assert.equal(g.size(), 12 + first + 2 + 1000 + 3);
  throwsZb(assert, () => g.write([1, -1]), 'InvalidArgumentError', /^write: element 1 of the array \(-1\) is not a byte/);
  throwsZb(assert, () => g.ensureWritable(-1), 'InvalidArgumentError', /^ensureWritable: n -1 is outside the range/);
  const before = [g.size(), g.capacity(), g.growCount()];
  throwsZb(assert, () => g.ensureWritable(2 ** 32 - 1), 'InvalidArgumentError',
    /^GrowableBuffer::ensureWritable\(4294967295\) with \d+ bytes written exceeds PlatformBuffer::kMaxSize/);
  const room = g.remaining();
  throwsZb(assert, () => g.writeBytes(new Uint8Array(room + 1)), 'BufferOverflowError', /^writeBytes needs/);
  assert.deepEqual([g.size(), g.capacity(), g.growCount()], before, 'failed calls change nothing');
  const lease = g.take();
  assert.deepEqual([lease.position(), lease.limit()], [0, before[0]]);
  const zeroing = new zb.BufferPool({ zeroOnRelease: true });
  const self = new zb.GrowableBuffer(zeroing, 16);
  self.write([1, 2, 3, 4, 5, 6, 7, 8]);
  while (self.growCount() < 2) self.write(self.bytes().subarray(0, self.size()));  // its own bytes, while it grows
  const view = self.duplicate();                  // a view of itself as a buffer
  view.resetForRead();
  const grown = self.growCount();
  while (self.growCount() === grown) {
    const copy = view.duplicate();
    self.write(copy);
    assert.equal(copy.remaining(), 0, 'the source is consumed');
    copy.delete();
  }
  view.delete();
  const pattern = Array.from({ length: self.size() }, (_, i) => (i % 8) + 1);
  assert.deepEqual([...self.bytes().subarray(0, self.size())], pattern, 'copied before the old buffer went back');
  self.delete();
  zeroing.delete();
  assert.equal(lease.readLong(), -5n);
  assert.equal(lease.readInt(), 7);
  assert.equal(lease.getUnsignedByte(12 + first - 1), (first - 1) & 0xff);
  assert.equal(lease.getShort(12 + first, LE), 0x0102);
  assert.deepEqual([g.size(), g.capacity()], [0, 0], 'take() leaves no lease behind');
  g.writeByte(1);                                 // JS: the next use takes a new lease
  assert.deepEqual([g.size(), g.position()], [1, 1]);
  lease.delete();
  src.delete();
  g.delete();
  throwsZb(assert, () => g.size(), 'ObjectDeletedError', /^size: this GrowableBuffer was already deleted/);
  assert.equal(pool.stats().outstandingLeases, 0);
  pool.delete();
});

test('a Direct GrowableBuffer whose block is the arena\'s last grows in place: nothing moves', () => {
  const pool = new zb.BufferPool();
  const g = new zb.GrowableBuffer(pool, 3000, zb.AllocationZone.Direct);
  g.ensureWritable(1).writeInt(0x01020304);        // the first lease (class 3072), then JS
  const at = g.bytes().byteOffset;
  const extensions = zb.LinearMemoryAllocator.stats().extensions;
  g.ensureWritable(4000);                          // wants max(4004, 6144): class 6144, right after it
  assert.deepEqual([g.growInPlaceCount(), g.growCount(), g.bytesMoved()], [1, 0, 0]);
  assert.equal(g.capacity(), 6144);
  assert.equal(g.bytes().byteOffset, at, 'same bytes in linear memory');
  assert.equal(g.position(), 4);
  assert.equal(g.getInt(0), 0x01020304);
  assert.equal(zb.LinearMemoryAllocator.stats().extensions, extensions + 1);
  g.writeBytes(new Uint8Array(6140));              // JS: the whole new capacity is writable
  assert.equal(g.remaining(), 0);
  g.take().delete();
  const s = pool.stats();
  assert.equal(s.outstandingLeases, 0);
  assert.equal(s.retainedBytes, 6144, 'it went back as a buffer of its new class');
  g.delete();
  pool.delete();
});

test('Utf8StreamDecoder gives exactly the whole-input result for every split, Lenient and Strict', () => {
  const whole = Uint8Array.from([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xef, 0xbb, 0xbf, 0x62]);
  const bad = Uint8Array.from([0x61, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0xc3, 0xff, 0xed, 0xa0, 0x80, 0xe2]);
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  for (const input of [whole, bad]) {
    for (let i = 0; i <= input.length; i++) {
      for (let j = i; j <= input.length; j++) {
        const d = new zb.Utf8StreamDecoder();
        const text = d.decode(input.subarray(0, i)) + d.decode(input.subarray(i, j)) + d.decode([...input.subarray(j)]) + d.finish();
        assert.equal(text, lenient.decode(input), `split at ${i}, ${j}`);
        d.delete();
      }
    }
  }
  for (let i = 0; i <= whole.length; i++) {
    const d = new zb.Utf8StreamDecoder(zb.TextPolicy.Strict);
    assert.equal(d.decode(whole.subarray(0, i)) + d.decode(whole.subarray(i)) + d.finish(), lenient.decode(whole));
    assert.equal(d.validate(whole.subarray(0, i)) && d.validate(whole.subarray(i)) && d.validateFinish(), true);
    d.delete();
  }
  const d = new zb.Utf8StreamDecoder(zb.TextPolicy.Strict);
  assert.equal(d.decode(Uint8Array.of(0x61, 0xe2, 0x82)), 'a');
  const state = [d.pendingBytes(), d.bytesSeen()];
  assert.deepEqual(state, [2, 3]);
  throwsZb(assert, () => d.decode(Uint8Array.of(0x41)), 'MalformedTextError', /^ill-formed UTF-8 in stream at byte offset 1/);
  assert.deepEqual([d.pendingBytes(), d.bytesSeen()], state, 'a failed decode changes nothing');
  assert.equal(d.decode(Uint8Array.of(0xac)), '€', 'and the stream goes on');
  d.decode(Uint8Array.of(0xe2));
  throwsZb(assert, () => d.finish(), 'MalformedTextError', /the stream ends inside a sequence/);
  throwsZb(assert, () => d.decode('text'), 'InvalidArgumentError', /^Utf8StreamDecoder.decode: expected an Int8Array or a Uint8Array/);
  throwsZb(assert, () => new zb.Utf8StreamDecoder(1), 'InvalidArgumentError', /^new Utf8StreamDecoder: expected a zb.TextPolicy/);
  d.reset();
  assert.equal(d.validate(Uint8Array.of(0xff)), false);
  assert.equal(d.validate(Uint8Array.of(0x41)), false, 'stays false until reset()');
  assert.equal(d.validateFinish(), false);
  d.delete();
  throwsZb(assert, () => d.finish(), 'ObjectDeletedError', /^finish: this Utf8StreamDecoder was already deleted/);
});

test('stream handles are tracked by the safety net, each keeping what it needs alive', () => {
  const counts = zb.leaks();
  const pool = new zb.BufferPool();
  const s = streamOf(pool, [1, 2, 3], []);
  const g = new zb.GrowableBuffer(pool);
  const b = s.readBuffer(1);
  const d = new zb.Utf8StreamDecoder();
  const taken = g.take();
  assert.equal(b.$$.zbOwner, s, 'a StreamBuffer keeps its stream reachable');
  assert.equal(s.$$.zbOwner, pool, 'a stream keeps its pool reachable');
  assert.equal(g.$$.zbOwner, pool);
  assert.equal(taken.$$.zbOwner, g, 'a taken lease keeps its growable buffer reachable');
  for (const h of [taken, d, b, g, s]) h[Symbol.dispose]();
  for (const h of [taken, d, b, g, s]) assert.equal(h.isDeleted(), true);
  assert.deepEqual(zb.leaks(), counts);
  assert.equal(pool.stats().outstandingLeases, 0);
  pool.delete();
});
