// JS-side additions to the embind classes, applied once per module instance
// by zonebuf.mjs: handle lifecycle (lifecycle.mjs), the BigInt checks embind
// leaves to us, the hot paths in JS (hot.mjs), the buffer conveniences
// (conveniences.mjs), the stream layer (stream.mjs), BufferPool.withBuffer and
// leases handed to other threads (owner-transfer.mjs).
import { INT64, UINT64, checkBigInt } from './bigint.mjs';
import { installConveniences } from './conveniences.mjs';
import { InvalidArgumentError, errorTypes } from './errors.mjs';
import { installHotPaths } from './hot.mjs';
import { makeLifecycle } from './lifecycle.mjs';
import { installTransfer } from './owner-transfer.mjs';
import { replaceMethod, settleMethods } from './methods.mjs';
import { installStream } from './stream.mjs';

// 64-bit values: embind's own range error is a plain TypeError, and a
// uint64 comes back through a signed i64, so both ends are fixed up here.
// Further arguments (a per-call byte order) pass through.
function patch64(proto) {
  replaceMethod(proto, 'writeLong', (raw) => function writeLong(v, ...rest) {
    checkBigInt('writeLong', v, INT64); return raw.call(this, v, ...rest);
  });
  replaceMethod(proto, 'writeUnsignedLong', (raw) => function writeUnsignedLong(v, ...rest) {
    checkBigInt('writeUnsignedLong', v, UINT64); return raw.call(this, v, ...rest);
  });
  replaceMethod(proto, 'setLong', (raw) => function setLong(i, v, ...rest) {
    checkBigInt('setLong', v, INT64); return raw.call(this, i, v, ...rest);
  });
  replaceMethod(proto, 'setUnsignedLong', (raw) => function setUnsignedLong(i, v, ...rest) {
    checkBigInt('setUnsignedLong', v, UINT64); return raw.call(this, i, v, ...rest);
  });
  replaceMethod(proto, 'readUnsignedLong', (raw) => function readUnsignedLong(...args) {
    return BigInt.asUintN(64, raw.apply(this, args));
  });
  replaceMethod(proto, 'getUnsignedLong', (raw) => function getUnsignedLong(...args) {
    return BigInt.asUintN(64, raw.apply(this, args));
  });
}

// Buffer-like embind classes present in this build, and the other classes
// whose handles have a lifecycle.
const BUFFER_CLASSES = ['PlatformBuffer', 'LinearBuffer', 'PooledBuffer', 'StreamBuffer', 'GrowableBuffer'];
const OTHER_CLASSES = ['BufferPool', 'StreamProcessor', 'Utf8StreamDecoder'];

// options: createZonebuf's { trackLeaks, onLeak } (lifecycle.mjs).
export function extendModule(zb, memory, options = {}) {
  zb.memory = memory;
  Object.assign(zb, errorTypes);
  const life = makeLifecycle(options);
  zb.leaks = life.leaks;
  const buffers = BUFFER_CLASSES.filter((name) => zb[name]);
  for (const name of [...buffers, ...OTHER_CLASSES]) if (zb[name]) life.guardClass(zb[name], name);
  // LinearBuffer inherits PlatformBuffer's prototype methods.
  const own = buffers.filter((name) => name !== 'LinearBuffer').map((name) => zb[name]);
  for (const cls of own) patch64(cls.prototype);
  // StreamProcessor: append(lease), readInto(dst) read the buffer's cursor in C++, so its JS state goes first.
  const synced = [zb.PlatformBuffer, zb.LinearBuffer, zb.LinearBuffer?.prototype, zb.BufferPool?.prototype,
    zb.StreamProcessor?.prototype, zb.Utf8StreamDecoder?.prototype,
    zb.LinearMemoryAllocator].filter(Boolean);
  const hot = installHotPaths(zb, memory, own, synced, life.deletedError);
  life.prepareHandles(hot.prepare);
  trackCreators(zb, life, own);
  installConveniences(zb, own.map((cls) => cls.prototype));
  installStream(zb, life, hot);
  if (zb.BufferPool) {
    extendPool(zb, life, hot.afterCall);
    installTransfer(zb, memory, life, hot);
  }
  for (const name of buffers) settleMethods(zb[name].prototype);
  return zb;
}

// Every way JS gets a new handle registers it with the safety net.
function trackCreators(zb, life, bufferClasses) {
  life.trackResults(zb.PlatformBuffer, 'allocate', 'PlatformBuffer');
  for (const name of ['allocate', 'from']) life.trackResults(zb.LinearBuffer, name, 'LinearBuffer');
  replaceMethod(zb.LinearBuffer, 'viewOf', (raw) => function viewOf(buffer) {
    return life.track(raw.call(this, buffer), 'LinearBuffer', buffer);
  });
  for (const cls of bufferClasses) {
    for (const name of ['slice', 'readBytes', 'duplicate']) life.trackResults(cls.prototype, name, 'PlatformBuffer', true);
  }
  if (zb.BufferPool) life.trackResults(zb.BufferPool.prototype, 'acquire', 'PooledBuffer', true);
}

// BufferPool: configuration and statistics as plain objects (they cross the
// boundary as JSON), and withBuffer on top of acquire().
function extendPool(zb, life, afterCall) {
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
      try {
        return life.track(Reflect.construct(target, args), 'BufferPool');
      } finally {
        afterCall();
      }
    },
  });
}
