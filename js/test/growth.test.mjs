// Views handed out by bytes()/dataView() stay correct after linear memory
// grows: growth detaches the old ArrayBuffer (in the threaded package it
// leaves a shorter SharedArrayBuffer), the helpers build new views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf } from './load.mjs';

const zb = await loadZonebuf();

test('bytes() and dataView() survive memory growth', () => {
  const buf = zb.PlatformBuffer.allocate(64, zb.AllocationZone.Direct);
  buf.writeInt(0x01020304);
  buf.writeString('before growth');
  const oldView = buf.dataView();
  const oldBytes = buf.bytes();
  const sizeBefore = zb.memory.buffer.byteLength;

  // Force growth with Heap allocations well beyond the current memory size.
  const hogs = [];
  while (zb.memory.buffer.byteLength === sizeBefore) hogs.push(zb.PlatformBuffer.allocate(8 << 20, zb.AllocationZone.Heap));
  assert.ok(zb.memory.buffer.byteLength > sizeBefore, 'memory grew');
  if (zb.memory.buffer instanceof SharedArrayBuffer) {
    // The threaded package: a shared memory detaches nothing, old views stay
    // valid (and as short as they were).
    assert.equal(oldBytes.byteLength, 64);
    assert.equal(oldView.getInt32(0, false), 0x01020304);
  } else {
    assert.equal(oldBytes.byteLength, 0, 'the old views are detached');
    assert.throws(() => oldView.getInt32(0), TypeError);
  }

  const view = buf.dataView();
  assert.equal(view.byteLength, 64);
  assert.equal(view.getInt32(0, false), 0x01020304);
  assert.equal(new TextDecoder().decode(buf.bytes().subarray(4, 17)), 'before growth');
  // Writes through the fresh view reach C++, and C++ writes reach the view.
  view.setInt32(20, -5, false);
  buf.position(20);
  assert.equal(buf.readInt(), -5);
  buf.writeShort(0x7fff);
  assert.equal(buf.bytes()[24], 0x7f);
  for (const h of hogs) h.delete();
  buf.delete();
});

// zb.memory.grow() from JS grows the memory without a call into C++: the
// copies' views of the old memory are detached (a shared memory keeps them,
// shorter than the memory), and every copy still lands where it should.
test('byte copies after zb.memory.grow() from JS', () => {
  const src = zb.PlatformBuffer.allocate(64, zb.AllocationZone.Direct);
  const dst = zb.PlatformBuffer.allocate(64, zb.AllocationZone.Direct);
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
  const out = new Uint8Array(64);
  // The cached views of both buffers are made before the growth.
  src.writeFromJsArray(bytes, 0, 64);
  src.resetForRead();
  dst.write(src);
  dst.resetForRead();
  dst.readToJsArray(out, 0, 64);
  const sizeBefore = zb.memory.buffer.byteLength;

  zb.memory.grow(1);
  assert.ok(zb.memory.buffer.byteLength > sizeBefore, 'memory grew');
  src.resetForWrite();
  src.writeFromJsArray(bytes.map((b) => b ^ 0xff), 0, 64);
  assert.equal(src.position(), 64);
  src.resetForRead();
  dst.resetForWrite();
  dst.write(src);
  assert.equal(dst.position(), 64);
  assert.equal(src.position(), 64, 'the source advanced once');

  zb.memory.grow(1);
  dst.resetForRead();
  out.fill(0);
  dst.readToJsArray(out, 0, 64);
  assert.equal(dst.position(), 64);
  assert.deepEqual([...out], [...bytes].map((b) => b ^ 0xff));
  src.delete();
  dst.delete();
});
