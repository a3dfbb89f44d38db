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

/** The buffer API shared by PlatformBuffer, LinearBuffer and PooledBuffer. */
export interface BufferApi {
  // cursor (java.nio semantics: 0 <= position <= limit <= capacity)
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
  zone(): AllocationZoneValue;
  byteOrder(): ByteOrderValue;
  setByteOrder(order: ByteOrderValue): void;
  ownsMemory(): boolean;

  // relative reads (advance position; BufferUnderflowError past limit)
  readByte(): number;
  readUnsignedByte(): number;
  readShort(): number;
  readUnsignedShort(): number;
  readInt(): number;
  readUnsignedInt(): number;
  readLong(): bigint;
  readUnsignedLong(): bigint;
  readFloat(): number;
  readDouble(): number;

  // relative writes (advance position; BufferOverflowError past limit)
  writeByte(value: number): void;
  writeUnsignedByte(value: number): void;
  writeShort(value: number): void;
  writeUnsignedShort(value: number): void;
  writeInt(value: number): void;
  writeUnsignedInt(value: number): void;
  writeLong(value: bigint): void;
  writeUnsignedLong(value: bigint): void;
  writeFloat(value: number): void;
  writeDouble(value: number): void;

  // absolute access (position untouched; InvalidArgumentError outside the limit)
  getByte(index: number): number;
  getUnsignedByte(index: number): number;
  getShort(index: number): number;
  getUnsignedShort(index: number): number;
  getInt(index: number): number;
  getUnsignedInt(index: number): number;
  getLong(index: number): bigint;
  getUnsignedLong(index: number): bigint;
  getFloat(index: number): number;
  getDouble(index: number): number;
  setByte(index: number, value: number): void;
  setUnsignedByte(index: number, value: number): void;
  setShort(index: number, value: number): void;
  setUnsignedShort(index: number, value: number): void;
  setInt(index: number, value: number): void;
  setUnsignedInt(index: number, value: number): void;
  setLong(index: number, value: bigint): void;
  setUnsignedLong(index: number, value: bigint): void;
  setFloat(index: number, value: number): void;
  setDouble(index: number, value: number): void;

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

  /** Releases the C++ object (and, for an owning buffer, its memory); ObjectDeletedError the second time. */
  delete(): void;
  isDeleted(): boolean;
  /** delete() for `using`; does nothing on a deleted object. */
  [Symbol.dispose](): void;
}

export interface PlatformBuffer extends BufferApi {}
export interface PlatformBufferClass {
  allocate(size: number, zone?: AllocationZoneValue, order?: ByteOrderValue): PlatformBuffer;
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
}

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

/** What the FinalizationRegistry safety net freed because JS never called delete(). */
export interface LeakCounts {
  freed: number;
  byClass: { [className: string]: number };
}

/**
 * Chunks in (pooled leases), fields out across chunk boundaries
 * (js/bindings/stream_bindings.cpp; docs/stream.md). Reads use the stream's
 * byte order (BigEndian unless given); offsets count from the first
 * unconsumed byte; a failed call consumed nothing.
 */
export interface StreamProcessor {
  /** Takes the lease's [position, limit) without copying; the lease is then empty. */
  append(lease: PooledBuffer): void;
  available(): number;
  readByte(): number;
  readUnsignedByte(): number;
  readShort(): number;
  readUnsignedShort(): number;
  readInt(): number;
  readUnsignedInt(): number;
  readFloat(): number;
  readDouble(): number;
  peekUnsignedByte(offset: number): number;
  peekUnsignedShort(offset: number): number;
  peekInt(offset: number): number;
  peekUnsignedInt(offset: number): number;
  skip(n: number): void;
  /** Offset of the first match at or after `from`, or -1. */
  indexOfByte(value: number, from: number): number;
  indexOfString(pattern: string): number;
  /** Decodes the next n bytes as UTF-8 (Lenient). */
  readString(n: number): string;
  statsJson(): string;
  clear(): void;
  delete(): void;
}
export interface StreamProcessorClass {
  new (pool: BufferPool, order?: ByteOrderValue): StreamProcessor;
}

export interface ZonebufModule {
  /** The module's WebAssembly.Memory; views over memory.buffer detach when it grows. */
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
  readonly ZonebufError: typeof ZonebufError;
  readonly BufferUnderflowError: typeof BufferUnderflowError;
  readonly BufferOverflowError: typeof BufferOverflowError;
  readonly InvalidArgumentError: typeof InvalidArgumentError;
  readonly OutOfMemoryError: typeof OutOfMemoryError;
  readonly MalformedTextError: typeof MalformedTextError;
  readonly StaleViewError: typeof StaleViewError;
  readonly ObjectDeletedError: typeof ObjectDeletedError;
  /** Handles freed by the safety net so far (a copy). */
  leaks(): LeakCounts;
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
