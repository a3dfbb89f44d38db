// The README's interop example, exactly as it is printed there, and the reverse
// direction: bytes written by JS through a view, read back by C++.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf } from './load.mjs';

const zb = await loadZonebuf();

test('README example: writeInt(42) is visible through a DataView with zero copy', () => {
  const buf = zb.PlatformBuffer.allocate(1024, zb.AllocationZone.Direct);
  buf.writeInt(42);
  buf.writeString('Hello from WASM');
  const view = new DataView(zb.memory.buffer, buf.baseOffset(), 1024);
  assert.equal(view.getInt32(0, false), 42);
  const text = new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + 4, 15));
  assert.equal(text, 'Hello from WASM');
  buf.delete();
});

test('zb.memory is the WebAssembly.Memory the buffers live in', () => {
  assert.ok(zb.memory instanceof WebAssembly.Memory);
  const buf = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Direct);
  assert.ok(buf.baseOffset() + 16 <= zb.memory.buffer.byteLength);
  assert.equal(buf.linearMemoryOffset(), buf.baseOffset());
  buf.writeShort(1);
  assert.equal(buf.linearMemoryOffset(), buf.baseOffset() + 2);
  buf.delete();
});

for (const zone of ['Heap', 'Direct', 'SharedMemory']) {
  test(`JS writes through a view are read back by C++ (${zone})`, () => {
    const buf = zb.PlatformBuffer.allocate(64, zb.AllocationZone[zone]);
    const view = buf.dataView();
    view.setInt32(0, -123456, false);
    view.setFloat64(4, Math.PI, false);
    view.setBigInt64(12, -(2n ** 62n), false);
    new Uint8Array(view.buffer, view.byteOffset + 20, 5).set(new TextEncoder().encode('héllo'.slice(0, 4)));
    assert.equal(buf.readInt(), -123456);
    assert.equal(buf.readDouble(), Math.PI);
    assert.equal(buf.readLong(), -(2n ** 62n));
    assert.equal(buf.readString(5), 'héll');
    buf.delete();
  });
}
