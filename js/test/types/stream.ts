// Compile-only check of the stream layer and the buffer conveniences in
// zonebuf.d.ts, typed strictly.
import createZonebuf, { type BufferMark, type StreamBuffer, MalformedTextError } from 'zonebuf';

const zb = await createZonebuf();
const pool = new zb.BufferPool();
const buf = zb.PlatformBuffer.allocate(256, zb.AllocationZone.Heap);
buf.writeInt(1, zb.ByteOrder.LittleEndian);
buf.writeVarUInt(2n ** 64n - 1n);
const prefixed: number = buf.writeLengthPrefixedString('topic');
buf.resetForRead();
const order: -1 | 0 | 1 = buf.compareTo(buf.duplicate());
const at: number = buf.indexOf('\r\n') + buf.indexOf(0x0a) + buf.indexOf(new Uint8Array(2));
const h: bigint = buf.hash();
const m: BufferMark = buf.mark();
buf.reset(m);
const n: bigint = buf.readUnsignedNumber(3, zb.ByteOrder.BigEndian);
const line: string | null = buf.readLine(zb.TextPolicy.Strict);
const size: number = zb.PlatformBuffer.varUIntSize(300n);

const stream = new zb.StreamProcessor(pool, { order: zb.ByteOrder.LittleEndian, copyChunkSize: 4096 });
stream.append(new Uint8Array(16));
stream.append([1, 2, 3]);
stream.append(pool.acquire(64, zb.AllocationZone.Heap));
const big: bigint = stream.peekUnsignedLong(0, zb.ByteOrder.BigEndian) + stream.readLong();
const part: StreamBuffer = stream.readBuffer(4);
const copied: boolean = part.kind() === zb.StreamBufferKind.Assembled && part.copied();
const chunks: number = stream.stats().chunks;
part.delete();

const g = new zb.GrowableBuffer(pool, 64, zb.AllocationZone.Heap);
g.ensureWritable(8).writeLong(5n);
g.write(new Uint8Array(100));
const taken = g.take();
const grew: number = g.growCount() + g.growInPlaceCount();

const decoder = new zb.Utf8StreamDecoder(zb.TextPolicy.Strict);
try {
  const text: string = decoder.decode(new Uint8Array([0xc3])) + decoder.finish();
  console.log(text);
} catch (e) {
  if (e instanceof MalformedTextError) console.log(e.message);
}
console.log(prefixed, order, at, h, n, line, size, big, copied, chunks, grew);
for (const x of [taken, g, decoder, stream, buf, pool]) x.delete();
