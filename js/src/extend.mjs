// JS-side additions to the embind classes: views over a buffer's bytes that
// survive memory growth, the BigInt checks embind leaves to us, and
// BufferPool.withBuffer. Applied once per module instance by zonebuf.mjs.
import { InvalidArgumentError, errorTypes } from './errors.mjs';

const INT64 = { type: 'int64', min: -(1n << 63n), max: (1n << 63n) - 1n };
const UINT64 = { type: 'uint64', min: 0n, max: (1n << 64n) - 1n };

function checkBigInt(op, value, range) {
  if (typeof value !== 'bigint') {
    throw new InvalidArgumentError(`${op}: expected a BigInt (64-bit values cross as BigInt), got a ` +
      `${typeof value}; pass e.g. 42n or BigInt(x)`);
  }
  if (value < range.min || value > range.max) {
    throw new InvalidArgumentError(`${op}: value ${value} is outside the ${range.type} range ` +
      `[${range.min}, ${range.max}]; values are never truncated`);
  }
}

function wrapMethod(proto, name, makeWrapper) {
  const raw = proto[name];
  if (typeof raw === 'function') proto[name] = makeWrapper(raw);
}

// 64-bit values: embind's own range error is a plain TypeError, and a
// uint64 comes back through a signed i64, so both ends are fixed up here.
function patch64(proto) {
  wrapMethod(proto, 'writeLong', (raw) => function writeLong(v) {
    checkBigInt('writeLong', v, INT64); return raw.call(this, v);
  });
  wrapMethod(proto, 'writeUnsignedLong', (raw) => function writeUnsignedLong(v) {
    checkBigInt('writeUnsignedLong', v, UINT64); return raw.call(this, v);
  });
  wrapMethod(proto, 'setLong', (raw) => function setLong(i, v) {
    checkBigInt('setLong', v, INT64); return raw.call(this, i, v);
  });
  wrapMethod(proto, 'setUnsignedLong', (raw) => function setUnsignedLong(i, v) {
    checkBigInt('setUnsignedLong', v, UINT64); return raw.call(this, i, v);
  });
  wrapMethod(proto, 'readUnsignedLong', (raw) => function readUnsignedLong() {
    return BigInt.asUintN(64, raw.call(this));
  });
  wrapMethod(proto, 'getUnsignedLong', (raw) => function getUnsignedLong(i) {
    return BigInt.asUintN(64, raw.call(this, i));
  });
}

// bytes()/dataView(): built from memory.buffer on every call, because growing
// linear memory detaches the previous ArrayBuffer (single-threaded build) or
// leaves old views at the old length (threaded build). Cheap: no copy.
function addViews(proto, memory) {
  proto.bytes = function bytes() {
    return new Uint8Array(memory.buffer, this.baseOffset(), this.capacity());
  };
  proto.dataView = function dataView() {
    return new DataView(memory.buffer, this.baseOffset(), this.capacity());
  };
}

// Buffer-like embind classes present in this build.
const BUFFER_CLASSES = ['PlatformBuffer', 'LinearBuffer', 'PooledBuffer'];

export function extendModule(zb, memory) {
  zb.memory = memory;
  Object.assign(zb, errorTypes);
  for (const name of BUFFER_CLASSES) {
    const cls = zb[name];
    if (!cls) continue;
    patch64(cls.prototype);
    addViews(cls.prototype, memory);
  }
  if (zb.BufferPool) extendPool(zb);
  return zb;
}

// BufferPool: configuration and statistics as plain objects (they cross the
// boundary as JSON), and withBuffer on top of acquire().
function extendPool(zb) {
  const proto = zb.BufferPool.prototype;
  proto.stats = function stats() { return JSON.parse(this.statsJson()); };
  proto.config = function config() { return JSON.parse(this.configJson()); };
  // withBuffer(size, zone[, order], callback): the lease is released (its
  // buffer reset and cached) however the callback exits; the callback must
  // not keep the buffer.
  proto.withBuffer = function withBuffer(size, zone, ...rest) {
    const callback = rest.pop();
    if (typeof callback !== 'function') {
      throw new InvalidArgumentError('withBuffer: expected a callback function as the last argument');
    }
    const lease = this.acquire(size, zone, ...rest);
    try {
      return callback(lease);
    } finally {
      lease.delete();
    }
  };
  // new zb.BufferPool(config): a config object (PoolConfig's JSON shape) or a
  // JSON string; no argument means the defaults.
  zb.BufferPool = new Proxy(zb.BufferPool, {
    construct(target, args) {
      if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) args = [JSON.stringify(args[0])];
      return Reflect.construct(target, args);
    },
  });
}
