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
