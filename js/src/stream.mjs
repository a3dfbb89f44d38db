// The JS side of the stream layer (js/bindings/stream_bindings.cpp,
// stream_buffer_bindings.cpp, text_stream_bindings.cpp; docs/stream.md):
//  * StreamProcessor: append() takes a lease (moved in: its JS-side state is
//    dropped, so the empty lease is never read through a stale cursor), a
//    Uint8Array/Int8Array or a plain array of bytes (copied); text and
//    unsigned 64-bit fields are fixed up as for buffers (conveniences.mjs).
//  * GrowableBuffer: the buffer moves when it grows or is taken, so the
//    handle's JS-side state is dropped after those calls (hot.mjs reads it
//    afresh at the next use); write() grows for bytes and for buffers.
//  * Utf8StreamDecoder: the text of each chunk, decoded from C++'s UTF-8.
//  * Constructors and results are tracked by the lifecycle safety net, each
//    depending on what it needs alive (a stream or growable buffer its pool,
//    a StreamBuffer its stream, a taken lease its growable buffer).
import { InvalidArgumentError } from './errors.mjs';
import { bytesOfArray, checkLiveArgs, utf8Bytes, utf8Text } from './conveniences.mjs';
import { replaceMethod } from './methods.mjs';

const isByteArray = (a) => a instanceof Uint8Array || a instanceof Int8Array;

// new cls(...args), tracked, with args[0] (a pool) as its owner when given.
function trackedClass(cls, className, life, afterCall, ownsPool) {
  return new Proxy(cls, {
    construct(target, args) {
      checkLiveArgs(`new ${className}`, args);
      try {
        return life.track(Reflect.construct(target, args), className, ownsPool ? args[0] : undefined);
      } finally {
        afterCall();
      }
    },
  });
}

function extendStreamProcessor(zb, life, hot) {
  const proto = zb.StreamProcessor.prototype;
  const { Charset, TextPolicy, PooledBuffer } = zb;
  replaceMethod(proto, 'append', (raw) => function append(chunk) {
    checkLiveArgs('StreamProcessor.append', [chunk]);
    if (Array.isArray(chunk)) chunk = bytesOfArray('StreamProcessor.append', chunk);
    try {
      return raw.call(this, chunk);
    } finally {
      if (chunk instanceof PooledBuffer) hot.forget(chunk);
    }
  });
  for (const name of ['readUnsignedLong', 'peekUnsignedLong']) {
    replaceMethod(proto, name, (raw) => function (...args) { return BigInt.asUintN(64, raw.apply(this, args)); });
  }
  replaceMethod(proto, 'indexOf', (raw) => function indexOf(needle, ...from) {
    return raw.call(this, typeof needle === 'string' ? utf8Bytes(needle) : needle, ...from);
  });
  proto.indexOfString = function indexOfString(pattern) {
    if (typeof pattern !== 'string') {
      throw new InvalidArgumentError(`StreamProcessor.indexOfString: expected a string, got a ${typeof pattern}`);
    }
    return this.indexOf(utf8Bytes(pattern), 0);
  };
  replaceMethod(proto, 'readString', (raw) => function readString(n, charset, policy) {
    return utf8Text(raw.call(this, n, charset ?? Charset.Utf8, policy ?? TextPolicy.Lenient));
  });
  replaceMethod(proto, 'readInto', (raw) => function readInto(dst, n) {
    checkLiveArgs('StreamProcessor.readInto', [dst]);
    return raw.call(this, dst, n);
  });
  life.trackResults(proto, 'readBuffer', 'StreamBuffer', true);
  proto.stats = function stats() { return JSON.parse(this.statsJson()); };
}

function extendGrowableBuffer(zb, life, hot) {
  const proto = zb.GrowableBuffer.prototype;
  const moves = (raw) => function (...args) {
    try {
      return raw.apply(this, args);
    } finally {
      hot.forget(this);
    }
  };
  for (const name of ['__writeBytes', 'take']) replaceMethod(proto, name, moves);
  replaceMethod(proto, 'ensureWritable', (raw) => {
    const grow = moves(raw);
    return function ensureWritable(n) {
      grow.call(this, n);
      return this;
    };
  });
  replaceMethod(proto, 'write', (bufferWrite) => function write(src) {
    checkLiveArgs('write', [src]);
    if (Array.isArray(src)) src = bytesOfArray('write', src);
    if (isByteArray(src)) return this.__writeBytes(src);
    // Growing gives the old buffer back to the pool, and src may view it
    // (g.write(g.duplicate())): then its bytes are copied out first.
    if (typeof src?.remaining === 'function' && src.remaining() > this.remaining()) {
      this.__writeBytes(src.toByteArray());
      src.position(src.limit());
      return undefined;
    }
    return bufferWrite.call(this, src);
  });
  // GrowableBuffer::capacity(): 0 before the first lease (the buffer API's
  // capacity would take one).
  replaceMethod(proto, 'capacity', (bufferCapacity) => function capacity() {
    return this.zbA > 0 ? bufferCapacity.call(this) : this.__capacity();
  });
  life.trackResults(proto, 'take', 'PooledBuffer', true);
}

function extendDecoder(zb) {
  const proto = zb.Utf8StreamDecoder.prototype;
  const bytesIn = (op, chunk) => (Array.isArray(chunk) ? bytesOfArray(op, chunk) : chunk);
  replaceMethod(proto, 'decode', (raw) => function decode(chunk) {
    return utf8Text(raw.call(this, bytesIn('Utf8StreamDecoder.decode', chunk)));
  });
  replaceMethod(proto, 'finish', (raw) => function finish() { return utf8Text(raw.call(this)); });
  replaceMethod(proto, 'validate', (raw) => function validate(chunk) {
    return raw.call(this, bytesIn('Utf8StreamDecoder.validate', chunk));
  });
}

// hot: installHotPaths' { afterCall, forget }.
export function installStream(zb, life, hot) {
  if (!zb.StreamProcessor) return;
  extendStreamProcessor(zb, life, hot);
  extendGrowableBuffer(zb, life, hot);
  extendDecoder(zb);
  zb.StreamProcessor = trackedClass(zb.StreamProcessor, 'StreamProcessor', life, hot.afterCall, true);
  zb.GrowableBuffer = trackedClass(zb.GrowableBuffer, 'GrowableBuffer', life, hot.afterCall, true);
  zb.Utf8StreamDecoder = trackedClass(zb.Utf8StreamDecoder, 'Utf8StreamDecoder', life, hot.afterCall, false);
}
