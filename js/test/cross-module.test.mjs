// Two independent module instances have separate linear memories; bytes move
// between them through JS: a Uint8Array view over one module's buffer is the
// source of the other module's writeFromJsArray (one copy, no intermediate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf } from './load.mjs';

const a = await loadZonebuf();
const b = await loadZonebuf();

test('two instances have separate memories', () => {
  assert.notEqual(a.memory, b.memory);
  assert.notEqual(a.PlatformBuffer, b.PlatformBuffer);
});

test('bytes move from module A to module B through a Uint8Array view', () => {
  const src = a.LinearBuffer.allocate(256);
  for (let i = 0; i < 64; i++) src.writeInt(i * 1000003);
  src.resetForRead();

  const dst = b.LinearBuffer.allocate(256);
  // The JS intermediary: a zero-copy view of A's bytes, copied once into B.
  const view = src.bytes().subarray(src.position(), src.limit());
  dst.writeFromJsArray(view, 0, view.length);
  dst.resetForRead();
  for (let i = 0; i < 64; i++) assert.equal(dst.readInt(), i * 1000003);

  // And back, into A with readToJsArray of B's bytes into A's view.
  const back = a.PlatformBuffer.allocate(256, a.AllocationZone.Direct);
  dst.resetForWrite();
  dst.setLimit(256);
  dst.readToJsArray(back.bytes(), 0, 256);
  assert.deepEqual(back.bytes(), src.bytes());
  // B must never write A's buffer state into its own memory: at A's object
  // address B may hold an object of its own (dst itself, in a fresh pair of
  // instances), whose state would then change.
  const aAddress = src.__bufferAddress();
  const bWords = () => [...new Uint32Array(b.memory.buffer, aAddress & ~3, 8)];
  const shared = aAddress === dst.__bufferAddress();
  const before = shared ? [dst.position(), dst.limit()] : bWords();
  src.position(7);
  assert.throws(() => dst.write(src), /PlatformBuffer/, 'buffers of another instance are rejected');
  assert.deepEqual(shared ? [dst.position(), dst.limit()] : bWords(), before);
  assert.equal(src.position(), 7);
  for (const x of [src, dst, back]) x.delete();
});
