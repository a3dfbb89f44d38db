// TypeScript declarations for the zonebuf WebAssembly package.
//
// Numbers: 8/16/32-bit values, sizes, indices and offsets are JS numbers and
// must be integers in the C++ type's range (otherwise InvalidArgumentError;
// nothing is ever truncated). 64-bit values are BigInt.
// Objects created from JS (buffers, leases, pools) live in WebAssembly memory
// and must be released with delete() or a `using` declaration (TypeScript >=
// 5.2); using one after delete(), or deleting it twice, throws
// ObjectDeletedError. What JS forgets is freed by a FinalizationRegistry
// eventually and counted in zb.leaks().

export interface EmbindEnumValue<Name extends string> {
  readonly value: number;
  readonly constructor: { readonly name: Name };
}
export type AllocationZoneValue = EmbindEnumValue<'AllocationZone'>;
export type ByteOrderValue = EmbindEnumValue<'ByteOrder'>;
export type CharsetValue = EmbindEnumValue<'Charset'>;
export type TextPolicyValue = EmbindEnumValue<'TextPolicy'>;

export interface AllocationZoneEnum {
  readonly Heap: AllocationZoneValue;
  readonly Direct: AllocationZoneValue;
  readonly SharedMemory: AllocationZoneValue;
}
export interface ByteOrderEnum {
  readonly BigEndian: ByteOrderValue;
  readonly LittleEndian: ByteOrderValue;
}
export interface CharsetEnum {
  readonly Utf8: CharsetValue;
  readonly Utf16BigEndian: CharsetValue;
  readonly Utf16LittleEndian: CharsetValue;
  readonly Ascii: CharsetValue;
  readonly Latin1: CharsetValue;
}
export interface TextPolicyEnum {
  readonly Lenient: TextPolicyValue;
  readonly Strict: TextPolicyValue;
}

export type ByteArray = Int8Array | Uint8Array;

/**
 * Relative reads of one value each (buffers and StreamProcessor): they advance
 * the position, and past the end throw BufferUnderflowError having consumed
 * nothing. `order`: this call's byte order.
 */
export interface PrimitiveReads {
  readByte(): number;
  readUnsignedByte(): number;
  readShort(order?: ByteOrderValue): number;
  readUnsignedShort(order?: ByteOrderValue): number;
  readInt(order?: ByteOrderValue): number;
  readUnsignedInt(order?: ByteOrderValue): number;
  readLong(order?: ByteOrderValue): bigint;
  readUnsignedLong(order?: ByteOrderValue): bigint;
  readFloat(order?: ByteOrderValue): number;
  readDouble(order?: ByteOrderValue): number;
}

/** The cursor (java.nio semantics: 0 <= position <= limit <= capacity) of every buffer and SharedLease. */
export interface Cursor {
  capacity(): number;
  position(): number;
  position(newPosition: number): void;
  limit(): number;
  setLimit(newLimit: number): void;
  remaining(): number;
  hasRemaining(): boolean;
  /** flip: limit = position, position = 0 */
  resetForRead(): void;
  /** clear: position = 0, limit = capacity */
  resetForWrite(): void;
}

/**
 * Relative writes (advance position; BufferOverflowError past limit) and
 * absolute access (position untouched; InvalidArgumentError outside the
 * limit). `order`, on every type wider than a byte: this call's byte order
 * (the buffer's own stays).
 */
export interface PrimitiveWrites {
  writeByte(value: number): void;
  writeUnsignedByte(value: number): void;
  writeShort(value: number, order?: ByteOrderValue): void;
  writeUnsignedShort(value: number, order?: ByteOrderValue): void;
  writeInt(value: number, order?: ByteOrderValue): void;
  writeUnsignedInt(value: number, order?: ByteOrderValue): void;
  writeLong(value: bigint, order?: ByteOrderValue): void;
  writeUnsignedLong(value: bigint, order?: ByteOrderValue): void;
  writeFloat(value: number, order?: ByteOrderValue): void;
  writeDouble(value: number, order?: ByteOrderValue): void;
}
export interface PrimitiveAccess {
  getByte(index: number): number;
  getUnsignedByte(index: number): number;
  getShort(index: number, order?: ByteOrderValue): number;
  getUnsignedShort(index: number, order?: ByteOrderValue): number;
  getInt(index: number, order?: ByteOrderValue): number;
  getUnsignedInt(index: number, order?: ByteOrderValue): number;
  getLong(index: number, order?: ByteOrderValue): bigint;
  getUnsignedLong(index: number, order?: ByteOrderValue): bigint;
  getFloat(index: number, order?: ByteOrderValue): number;
  getDouble(index: number, order?: ByteOrderValue): number;
  setByte(index: number, value: number): void;
  setUnsignedByte(index: number, value: number): void;
  setShort(index: number, value: number, order?: ByteOrderValue): void;
  setUnsignedShort(index: number, value: number, order?: ByteOrderValue): void;
  setInt(index: number, value: number, order?: ByteOrderValue): void;
  setUnsignedInt(index: number, value: number, order?: ByteOrderValue): void;
  setLong(index: number, value: bigint, order?: ByteOrderValue): void;
  setUnsignedLong(index: number, value: bigint, order?: ByteOrderValue): void;
  setFloat(index: number, value: number, order?: ByteOrderValue): void;
  setDouble(index: number, value: number, order?: ByteOrderValue): void;
}

/** The buffer API shared by PlatformBuffer, LinearBuffer and PooledBuffer. */
export interface BufferApi extends PrimitiveReads, PrimitiveWrites, PrimitiveAccess, Cursor {
  zone(): AllocationZoneValue;
  byteOrder(): ByteOrderValue;
  setByteOrder(order: ByteOrderValue): void;
  ownsMemory(): boolean;

  // bulk typed arrays, in the buffer's byte order
  writeShorts(values: Int16Array): void;
  writeInts(values: Int32Array): void;
  writeLongs(values: BigInt64Array): void;
  writeFloats(values: Float32Array): void;
  writeDoubles(values: Float64Array): void;
  readShorts(count: number): Int16Array;
  readInts(count: number): Int32Array;
  readLongs(count: number): BigInt64Array;
  readFloats(count: number): Float32Array;
  readDoubles(count: number): Float64Array;

  // bytes
  writeBytes(bytes: ByteArray): void;
  /** Zero-copy, non-owning view of the next count bytes; must not outlive this buffer. */
  readBytes(count: number): PlatformBuffer;
  /** Copy of the next count bytes. */
  readByteArray(count: number): Uint8Array;
  /** Copies src's remaining bytes here, advancing both (same module instance only). */
  write(src: PlatformBuffer): void;
  /** Zero-copy, non-owning view of [position, limit). */
  slice(): PlatformBuffer;
  /** Copy of the remaining bytes; position untouched. */
  toByteArray(): Uint8Array;
  /** Copies array[srcOffset, srcOffset + length) here (one copy), advancing the position. */
  writeFromJsArray(array: ByteArray, srcOffset: number, length: number): void;
  /** Copies length bytes from the position into array[dstOffset...), advancing the position. */
  readToJsArray(array: ByteArray, dstOffset: number, length: number): void;

  // linear memory (every zone lives in the module's memory in WebAssembly)
  /** Address of byte 0 in zb.memory. */
  baseOffset(): number;
  /** baseOffset() + position(). */
  linearMemoryOffset(): number;
  /** A Uint8Array over exactly the buffer's capacity; rebuilt per call, so valid after memory growth. */
  bytes(): Uint8Array;
  /** A DataView over exactly the buffer's capacity; rebuilt per call, so valid after memory growth. */
  dataView(): DataView;

  // text
  /** Encodes text; returns the number of bytes written. */
  writeString(text: string, charset?: CharsetValue, policy?: TextPolicyValue): number;
  readString(byteCount: number, charset?: CharsetValue, policy?: TextPolicyValue): string;

  // search and compare over [position, limit) (docs/stream.md)
  /** Absolute index of the first match (a byte, UTF-8 of a string, or bytes) at or after the position; -1 if none. */
  indexOf(needle: number | string | ByteArray): number;
  /** Offset from the position of the first differing byte (the shorter length for a prefix); -1 if equal. */
  mismatch(other: BufferApi): number;
  contentEquals(other: BufferApi): boolean;
  /** Unsigned lexicographic order; a proper prefix is smaller. */
  compareTo(other: BufferApi): -1 | 0 | 1;
  /** XXH64 (seed 0) of the remaining bytes: the same value in every build. */
  hash(): bigint;

  // cursor conveniences
  skip(count: number): void;
  mark(): BufferMark;
  /** InvalidArgumentError if the limit has moved below the mark. */
  reset(mark: BufferMark): void;
  /** java.nio compact: [position, limit) moves to 0; position = remaining, limit = capacity. */
  compact(): void;
  /** Independent cursor over the same bytes (non-owning, like slice()). */
  duplicate(): PlatformBuffer;
  /** Non-owning view of [index, index + length); InvalidArgumentError past the limit. */
  slice(index: number, length: number): PlatformBuffer;
  /** Both act on [position, limit), position untouched. */
  fill(value: number): void;
  /** RFC 6455 masking with a 32-bit key (wire order); `offset` continues a payload masked in pieces. */
  xorMask(key: number, offset?: number): void;

  // 24-bit and n-byte (1..8) integers; the n-byte ones are BigInt
  readMedium(): number;
  readUnsignedMedium(): number;
  writeMedium(value: number): void;
  writeUnsignedMedium(value: number): void;
  readUnsignedNumber(byteCount: number, order?: ByteOrderValue): bigint;
  readSignedNumber(byteCount: number, order?: ByteOrderValue): bigint;
  writeUnsignedNumber(value: bigint, byteCount: number, order?: ByteOrderValue): void;
  writeSignedNumber(value: bigint, byteCount: number, order?: ByteOrderValue): void;

  // varints: LEB128 / zigzag (protobuf) as BigInt, MQTT Variable Byte Integer as a number
  readVarUInt(): bigint;
  readVarInt(): bigint;
  writeVarUInt(value: bigint): void;
  writeVarInt(value: bigint): void;
  /** 1..4 bytes; Strict (the default) rejects a non-minimal form; a fifth byte is always an error. */
  readVariableByteInteger(policy?: TextPolicyValue): number;
  writeVariableByteInteger(value: number): void;

  // text
  /** The next line without its LF or CRLF (UTF-8); null, nothing consumed, when no LF remains. */
  readLine(policy?: TextPolicyValue): string | null;
  /** u16 big-endian byte length, then that many UTF-8 bytes (MQTT). */
  readLengthPrefixedString(policy?: TextPolicyValue): string;
  /** Returns the bytes written (2 + UTF-8 length); InvalidArgumentError above 65535 text bytes. */
  writeLengthPrefixedString(text: string, policy?: TextPolicyValue): number;
  /** "00000010  48 65 ...  |He...|" lines for at most maxBytes (4096) remaining bytes. */
  hexDump(maxBytes?: number): string;

  /** Releases the C++ object (and, for an owning buffer, its memory); ObjectDeletedError the second time. */
  delete(): void;
  isDeleted(): boolean;
  /** delete() for `using`; does nothing on a deleted object. */
  [Symbol.dispose](): void;
}

/** A saved position (mark()/reset()): a token, not buffer state. */
export interface BufferMark {
  readonly position: number;
}

export interface PlatformBuffer extends BufferApi {}
export interface PlatformBufferClass {
  allocate(size: number, zone?: AllocationZoneValue, order?: ByteOrderValue): PlatformBuffer;
  /** Bytes writeVarUInt(value) takes. */
  varUIntSize(value: bigint): number;
  /** Bytes writeVariableByteInteger(value) takes; InvalidArgumentError above 268,435,455. */
  variableByteIntegerSize(value: number): number;
  readonly prototype: PlatformBuffer;
}

export interface LinearBuffer extends PlatformBuffer {}
export interface LinearBufferClass {
  /** zone Direct (default) or SharedMemory; InvalidArgumentError for Heap. */
  allocate(size: number, zone?: AllocationZoneValue, order?: ByteOrderValue): LinearBuffer;
  /** Takes over buffer (left empty); InvalidArgumentError for a Heap buffer. */
  from(buffer: PlatformBuffer): LinearBuffer;
  /** Non-owning view over all of buffer; InvalidArgumentError for a Heap buffer. */
  viewOf(buffer: PlatformBuffer): LinearBuffer;
  readonly prototype: LinearBuffer;
}

export interface LinearMemoryStats {
  reserved: number;
  carved: number;
  used: number;
  peak: number;
  freeListBytes: number;
  allocations: number;
  reuses: number;
  remoteFrees: number;
  chunks: number;
  threadArenas: number;
  scopeOverruns: number;
  /** Blocks grown in place (a GrowableBuffer's lease that was the arena's last). */
  extensions: number;
  initialSizeMB: number;
  maxSizeMB: number;
}
export interface LinearMemoryAllocatorClass {
  /** Before the first Direct/SharedMemory allocation only. */
  configure(initialSizeMB?: number, maxSizeMB?: number): void;
  stats(zone?: AllocationZoneValue): LinearMemoryStats;
}

/** A pool lease: the buffer API of the leased buffer, plus the lease itself. */
export interface PooledBuffer extends BufferApi {
  active(): boolean;
  /** Gives the buffer back early; the lease is then empty. */
  release(): void;
  /**
   * Threaded package: hands the lease (bytes and cursor) to another thread.
   * Post the message to that thread, which adopts it with adoptLease(); this
   * lease is empty afterwards (InvalidArgumentError on use) and its views go
   * stale. OutOfMemoryError when 256 leases are already in transit (the lease
   * stays here); InvalidArgumentError in the single-threaded package.
   */
  transfer(): LeaseMessage;
}

/**
 * What transfer() returns: a plain object for postMessage. `memory` is the
 * module's shared memory; `check` proves the message is the latest for its
 * slot (a message is good for one adoption).
 */
export interface LeaseMessage {
  readonly memory: WebAssembly.Memory;
  readonly table: number;
  readonly slot: number;
  readonly check: number;
  /** The lease's bytes: memory[offset, offset + capacity). */
  readonly offset: number;
  readonly capacity: number;
}

/**
 * A lease adopted in a thread without a module instance (adoptLease exported
 * by the package): the cursor, the primitives (in the lease's own byte order;
 * a per-call `order` throws InvalidArgumentError), views and byte copies over
 * the shared bytes, zero-copy. After transfer() or release() every method
 * throws LeaseTransferError. One that becomes unreachable while it holds its
 * lease gives it back (FinalizationRegistry).
 */
export interface SharedLease extends Cursor, PrimitiveReads, PrimitiveWrites, PrimitiveAccess {
  active(): boolean;
  baseOffset(): number;
  isLittleEndian(): boolean;
  /** Views of exactly the capacity over the shared bytes. */
  bytes(): Uint8Array;
  dataView(): DataView;
  writeBytes(bytes: ByteArray): void;
  /** A (non-shared) copy of the next n bytes. */
  readByteArray(n: number): Uint8Array;
  /** Passes the lease on (back to the module thread or to another worker), cursor included. */
  transfer(): LeaseMessage;
  /** Gives the lease back to its pool (reclaimed at the module thread's next pool call). */
  release(): void;
  /** release(). */
  delete(): void;
  /** release() unless already passed on or released. */
  [Symbol.dispose](): void;
}

/**
 * Adopts a transferred lease in a thread without a module instance (a Worker
 * importing the threaded package). LeaseTransferError for a message already
 * adopted, stale or forged; InvalidArgumentError for anything else that is
 * not a LeaseMessage.
 */
export function adoptLease(message: LeaseMessage): SharedLease;

/** PoolConfig's JSON shape (see docs/pool.md); every field optional. */
export interface PoolConfig {
  threading?: 'SingleThreaded' | 'MultiThreaded';
  maxRetainedBytes?: number;
  zeroOnRelease?: boolean;
  [field: string]: unknown;
}
/** PoolStats' JSON shape. */
export interface PoolStats {
  acquisitions: number;
  hits: number;
  misses: number;
  oversize: number;
  pooledNow: number;
  peakPooled: number;
  retainedBytes: number;
  outstandingLeases: number;
  trimmedBuffers: number;
  [field: string]: unknown;
}
export interface BufferPool {
  acquire(size: number, zone: AllocationZoneValue, order?: ByteOrderValue): PooledBuffer;
  /** Leases a buffer for the callback; released however the callback exits. */
  withBuffer<R>(size: number, zone: AllocationZoneValue, callback: (buffer: PooledBuffer) => R): R;
  withBuffer<R>(size: number, zone: AllocationZoneValue, order: ByteOrderValue,
    callback: (buffer: PooledBuffer) => R): R;
  stats(): PoolStats;
  config(): PoolConfig;
  statsJson(): string;
  configJson(): string;
  trim(): void;
  clear(): void;
  delete(): void;
  isDeleted(): boolean;
  [Symbol.dispose](): void;
}
export interface BufferPoolClass {
  new (config?: PoolConfig | string): BufferPool;
  readonly prototype: BufferPool;
}

export class ZonebufError extends Error {}
export class BufferUnderflowError extends ZonebufError {}
export class BufferOverflowError extends ZonebufError {}
export class InvalidArgumentError extends ZonebufError {}
export class OutOfMemoryError extends ZonebufError {}
export class MalformedTextError extends ZonebufError {}
/** An access through a view whose owner (or pool lease) was released. */
export class StaleViewError extends ZonebufError {}
/** A method called on a handle after its delete(). */
export class ObjectDeletedError extends InvalidArgumentError {}
/** A lease message adopted twice, stale or forged, or a SharedLease used after transfer()/release(). */
export class LeaseTransferError extends InvalidArgumentError {}

/** What the FinalizationRegistry safety net freed because JS never called delete(). */
export interface LeakCounts {
  freed: number;
  byClass: { [className: string]: number };
}

/** What every handle of a C++ object has (see BufferApi.delete). */
export interface Handle {
  delete(): void;
  isDeleted(): boolean;
  [Symbol.dispose](): void;
}

export type StreamBufferKindValue = EmbindEnumValue<'StreamBufferKind'>;
export interface StreamBufferKindEnum {
  /** Inside a chunk the stream still holds: valid until the stream consumes that chunk's last byte. */
  readonly View: StreamBufferKindValue;
  /** The bytes ended a chunk, whose lease moved in: they live as long as the StreamBuffer. */
  readonly Chunk: StreamBufferKindValue;
  /** The bytes spanned chunks and were copied into a pooled lease the StreamBuffer owns. */
  readonly Assembled: StreamBufferKindValue;
}
/** StreamProcessor.readBuffer's result: n bytes as one buffer (position 0, limit n). */
export interface StreamBuffer extends BufferApi {
  size(): number;
  kind(): StreamBufferKindValue;
  copied(): boolean;
}

/** StreamConfig: every field optional. */
export interface StreamConfig {
  /** Zone of the leases append(bytes) copies into (Heap). */
  zone?: AllocationZoneValue;
  /** Order of the reads and peeks without an order argument (BigEndian). */
  order?: ByteOrderValue;
  /** Size of the leases append(bytes) copies into (16384). */
  copyChunkSize?: number;
}
/** StreamStats' JSON shape. */
export interface StreamStats {
  chunks: number;
  bytesHeld: number;
  chunksAppended: number;
  chunksReleased: number;
  bytesCopiedIn: number;
  bytesAssembled: number;
  assembledLeases: number;
}

/**
 * Chunks in (pooled leases or copied bytes), fields out across chunk
 * boundaries (js/bindings/stream_bindings.cpp; docs/stream.md). Reads use the
 * stream's byte order unless given one; offsets count from the first
 * unconsumed byte; a failed call consumed nothing.
 */
export interface StreamProcessor extends Handle, PrimitiveReads {
  /** A lease: its [position, limit) without copying (the lease is then empty); bytes: copied into pooled leases. */
  append(chunk: PooledBuffer | ByteArray | readonly number[]): void;
  available(): number;
  empty(): boolean;
  byteOrder(): ByteOrderValue;
  peekByte(offset?: number): number;
  peekUnsignedByte(offset?: number): number;
  peekShort(offset?: number, order?: ByteOrderValue): number;
  peekUnsignedShort(offset?: number, order?: ByteOrderValue): number;
  peekInt(offset?: number, order?: ByteOrderValue): number;
  peekUnsignedInt(offset?: number, order?: ByteOrderValue): number;
  peekLong(offset?: number, order?: ByteOrderValue): bigint;
  peekUnsignedLong(offset?: number, order?: ByteOrderValue): bigint;
  peekFloat(offset?: number, order?: ByteOrderValue): number;
  peekDouble(offset?: number, order?: ByteOrderValue): number;
  skip(n: number): void;
  /** Offset of the first match (a byte, UTF-8 of a string, or bytes) at or after `from`, or -1. */
  indexOf(needle: number | string | ByteArray, from?: number): number;
  indexOfByte(value: number, from: number): number;
  indexOfString(pattern: string): number;
  /** n bytes as one buffer: zero-copy when they lie in one chunk, else one pooled lease (see StreamBufferKind). */
  readBuffer(n: number): StreamBuffer;
  /** Copies the next n bytes to dst at its position, advancing both. */
  readInto(dst: BufferApi, n: number): void;
  readString(byteCount: number, charset?: CharsetValue, policy?: TextPolicyValue): string;
  /** A view of the head chunk's unconsumed bytes (valid until the stream changes or memory grows). */
  front(): Uint8Array;
  stats(): StreamStats;
  statsJson(): string;
  clear(): void;
}
export interface StreamProcessorClass {
  new (pool: BufferPool, config?: ByteOrderValue | StreamConfig): StreamProcessor;
}

/**
 * An output buffer of unknown final size in a pooled lease. When it runs out
 * of room a Direct or SharedMemory lease whose block is the arena's last grows
 * in place (same bytes, views stay valid: growInPlaceCount()); otherwise it
 * moves to a larger size class (the old lease goes back to the pool at once:
 * views of it, from slice(), readBytes(), duplicate() or bytes(), are invalid
 * after such a growth: growCount()). The buffer API acts on the current
 * buffer; its bytes so far are [0, position).
 */
export interface GrowableBuffer extends BufferApi {
  /** Makes room for n more bytes at the position (growing if needed); returns this. */
  ensureWritable(n: number): this;
  /** Grows as needed, then copies the bytes (or a buffer's remaining bytes, advancing it). */
  write(src: ByteArray | readonly number[] | BufferApi): void;
  /** Bytes written (the position); 0 without a lease. */
  size(): number;
  /** The current buffer's capacity; 0 before the first lease. */
  capacity(): number;
  /** Growths by a move to a new lease. */
  growCount(): number;
  bytesMoved(): number;
  /** Growths in place (nothing moved). */
  growInPlaceCount(): number;
  /** Hands the lease out flipped for reading ([0, size)); the next use takes a new lease. */
  take(): PooledBuffer;
  /** Forgets the content, keeps the lease. */
  clear(): void;
}
export interface GrowableBufferClass {
  new (pool: BufferPool, initialCapacity?: number, zone?: AllocationZoneValue, order?: ByteOrderValue): GrowableBuffer;
}

/**
 * UTF-8 arriving in chunks: for every split, the text is exactly the
 * whole-input decode (Lenient: U+FFFD per maximal ill-formed subpart, as
 * TextDecoder; Strict: MalformedTextError at the stream byte offset, the
 * decoder unchanged).
 */
export interface Utf8StreamDecoder extends Handle {
  /** The text of this chunk (a sequence it cuts is held back, at most 3 bytes). */
  decode(chunk: ByteArray | readonly number[]): string;
  /** Ends the stream: a held-back partial sequence is U+FFFD (Lenient) or an error (Strict). */
  finish(): string;
  /** True while every byte so far can begin or continue well-formed UTF-8. */
  validate(chunk: ByteArray | readonly number[]): boolean;
  /** True if the whole stream was well-formed; resets. */
  validateFinish(): boolean;
  reset(): void;
  pendingBytes(): number;
  bytesSeen(): number;
}
export interface Utf8StreamDecoderClass {
  new (policy?: TextPolicyValue): Utf8StreamDecoder;
}

export interface ZonebufModule {
  /**
   * The module's WebAssembly.Memory; views over memory.buffer detach when it
   * grows (threaded package: a SharedArrayBuffer, whose views stay valid but
   * do not reach the new bytes).
   */
  readonly memory: WebAssembly.Memory;
  readonly AllocationZone: AllocationZoneEnum;
  readonly ByteOrder: ByteOrderEnum;
  readonly Charset: CharsetEnum;
  readonly TextPolicy: TextPolicyEnum;
  readonly PlatformBuffer: PlatformBufferClass;
  readonly LinearBuffer: LinearBufferClass;
  readonly LinearMemoryAllocator: LinearMemoryAllocatorClass;
  readonly BufferPool: BufferPoolClass;
  readonly StreamProcessor: StreamProcessorClass;
  readonly StreamBufferKind: StreamBufferKindEnum;
  readonly GrowableBuffer: GrowableBufferClass;
  readonly Utf8StreamDecoder: Utf8StreamDecoderClass;
  readonly ZonebufError: typeof ZonebufError;
  readonly BufferUnderflowError: typeof BufferUnderflowError;
  readonly BufferOverflowError: typeof BufferOverflowError;
  readonly InvalidArgumentError: typeof InvalidArgumentError;
  readonly OutOfMemoryError: typeof OutOfMemoryError;
  readonly MalformedTextError: typeof MalformedTextError;
  readonly StaleViewError: typeof StaleViewError;
  readonly ObjectDeletedError: typeof ObjectDeletedError;
  readonly LeaseTransferError: typeof LeaseTransferError;
  /** Handles freed by the safety net so far (a copy). */
  leaks(): LeakCounts;
  /**
   * Threaded package: adopts a lease of this module that came back from
   * another thread: a PooledBuffer again, its cursor as its last holder left
   * it. Errors as the package's adoptLease, and InvalidArgumentError for
   * another module's lease or in the single-threaded package.
   */
  adoptLease(message: LeaseMessage): PooledBuffer;
}

export interface CreateOptions {
  /** Where zonebuf.wasm is (default: next to zonebuf.mjs). */
  wasmUrl?: string | URL;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
  /** Record each handle's creation stack, for onLeak (costs an Error per handle). */
  trackLeaks?: boolean;
  /** Called with the creation stack of each handle the safety net frees (with trackLeaks). */
  onLeak?: (leak: { className: string; stack: string }) => void;
}

/** Creates an independent module instance with its own linear memory. */
export default function createZonebuf(options?: CreateOptions): Promise<ZonebufModule>;
