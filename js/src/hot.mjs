// The buffer API's hot paths, in JavaScript over the module's memory: cursor,
// primitives, byte copies, views and text run without crossing into C++.
//
// One copy of the state: a buffer's data pointer, capacity, position, limit
// and byte order are read from (and position/limit written to) the C++
// PlatformBuffer object itself, in linear memory, at the offsets C++ measured
// (js/bindings/buffer_layout.cpp). So C++ and JS agree by construction, before
// and after any call on either side.
// Views survive memory growth: growth detaches the old ArrayBuffer, so a read
// through the old views gives undefined; every access starts with such a read
// (the byte order) and rebuilds the views when it does.
// Errors are C++'s: any case the fast path does not take (a bad argument, a
// bounds failure, a deleted handle, an empty lease) goes to the C++ method
// (`slow`), which throws exactly as before and changes nothing; checks that
// only JS makes throw the same C++ error through __zbThrowOverflow/Underflow.
// A handle's address is cached in its embind record as $$.zbAddr: undefined
// until first use, 0 once deleted (or a lease released), else the address of
// the PlatformBuffer.
import { InvalidArgumentError } from './errors.mjs';
import { replaceMethod } from './methods.mjs';
import { checkStrict, encodedLength, encodeInto, encodeUtf8, makeDecoders, UTF8, LATIN1, ASCII } from './text.mjs';

// [name, byte width]; the index is the kind used by load/store/valid.
const ELEMENTS = [['Byte', 1], ['UnsignedByte', 1], ['Short', 2], ['UnsignedShort', 2], ['Int', 4],
  ['UnsignedInt', 4], ['Long', 8], ['UnsignedLong', 8], ['Float', 4], ['Double', 8]];
const FLOAT_MAX = 3.4028234663852886e38;
const I64_MIN = -(1n << 63n), I64_MAX = (1n << 63n) - 1n, U64_MAX = (1n << 64n) - 1n;

// Values the C++ method would accept unchanged (anything else goes to it and
// gets its error, or its handling: infinities and NaN for Float).
function valid(kind, v) {
  switch (kind) {
    case 0: return (v << 24 >> 24) === v;
    case 1: return (v & 0xff) === v;
    case 2: return (v << 16 >> 16) === v;
    case 3: return (v & 0xffff) === v;
    case 4: return (v | 0) === v;
    case 5: return (v >>> 0) === v;
    case 6: return typeof v === 'bigint' && v >= I64_MIN && v <= I64_MAX;
    case 7: return typeof v === 'bigint' && v >= 0n && v <= U64_MAX;
    case 8: return typeof v === 'number' && v <= FLOAT_MAX && v >= -FLOAT_MAX;
    default: return typeof v === 'number';
  }
}

export function installHotPaths(zb, memory, classes, deletedError) {
  const layout = zb.__zbBufferLayout();
  const D = layout.data >>> 2, C = layout.capacity >>> 2, P = layout.position >>> 2, L = layout.limit >>> 2;
  const ORDER = layout.order, LE = layout.littleEndian;
  const decoders = makeDecoders();
  let u8, u32, dv;
  let le = false;  // the byte order of the buffer the last addr() call found
  const refresh = () => {
    u8 = new Uint8Array(memory.buffer);
    u32 = new Uint32Array(memory.buffer);
    dv = new DataView(memory.buffer);
  };
  refresh();

  // The PlatformBuffer's address (word index into u32: w = a >>> 2), or 0.
  function resolve(self) {
    if (!self.$$.ptr) return 0;
    let a = 0;
    try { a = self.__bufferAddress(); } catch { /* an empty lease: slow paths throw its error */ }
    self.$$.zbAddr = a;
    return a;
  }
  function addr(self) {
    let a = self.$$.zbAddr;
    if (a === undefined) a = resolve(self);
    if (!a) return 0;
    // A detached view reads undefined: the memory grew, so view it again.
    let order = u8[a + ORDER];
    if (order === undefined) {
      refresh();
      order = u8[a + ORDER];
    }
    le = order === LE;
    return a;
  }
  // Claims n bytes at the position: their address (position advanced), or -1.
  function take(self, n) {
    const a = addr(self);
    if (!a) return -1;
    const w = a >>> 2, p = u32[w + P];
    if (u32[w + L] - p < n) return -1;
    u32[w + P] = p + n;
    return u32[w + D] + p;
  }
  // The address of n bytes at index i inside the limit, or -1.
  function index(self, i, n) {
    const a = addr(self);
    if (!a || (i >>> 0) !== i) return -1;
    const l = u32[(a >>> 2) + L];
    return i <= l && l - i >= n ? u32[a >>> 2] + i : -1;
  }
  function load(kind, at) {
    switch (kind) {
      case 0: return dv.getInt8(at);
      case 1: return u8[at];
      case 2: return dv.getInt16(at, le);
      case 3: return dv.getUint16(at, le);
      case 4: return dv.getInt32(at, le);
      case 5: return dv.getUint32(at, le);
      case 6: return dv.getBigInt64(at, le);
      case 7: return dv.getBigUint64(at, le);
      case 8: return dv.getFloat32(at, le);
      default: return dv.getFloat64(at, le);
    }
  }
  function store(kind, at, v) {
    switch (kind) {
      case 0: case 1: u8[at] = v; return;
      case 2: case 3: dv.setUint16(at, v, le); return;
      case 4: case 5: dv.setUint32(at, v, le); return;
      case 6: dv.setBigInt64(at, v, le); return;
      case 7: dv.setBigUint64(at, v, le); return;
      case 8: dv.setFloat32(at, v, le); return;
      default: dv.setFloat64(at, v, le);
    }
  }

  function defineElement(proto, kind) {
    const [name, size] = ELEMENTS[kind];
    replaceMethod(proto, `read${name}`, (slow) => function () {
      const at = take(this, size);
      return at < 0 ? slow.call(this) : load(kind, at);
    });
    replaceMethod(proto, `write${name}`, (slow) => function (v) {
      const at = valid(kind, v) ? take(this, size) : -1;
      if (at < 0) return slow.call(this, v);
      store(kind, at, v);
    });
    replaceMethod(proto, `get${name}`, (slow) => function (i) {
      const at = index(this, i, size);
      return at < 0 ? slow.call(this, i) : load(kind, at);
    });
    replaceMethod(proto, `set${name}`, (slow) => function (i, v) {
      const at = valid(kind, v) ? index(this, i, size) : -1;
      if (at < 0) return slow.call(this, i, v);
      store(kind, at, v);
    });
  }

  // The cursor. Setters take the fast path for a size within bounds only.
  function defineCursor(proto) {
    const field = (f) => (slow) => function () {
      const a = addr(this);
      return a ? u32[(a >>> 2) + f] : slow.call(this);
    };
    replaceMethod(proto, 'capacity', field(C));
    replaceMethod(proto, 'limit', field(L));
    replaceMethod(proto, 'baseOffset', field(D));
    replaceMethod(proto, 'position', (slow) => function (n) {
      const a = addr(this), w = a >>> 2;
      if (arguments.length === 0) return a ? u32[w + P] : slow.call(this);
      if (!a || (n >>> 0) !== n || n > u32[w + L]) return slow.call(this, n);
      u32[w + P] = n;
    });
    replaceMethod(proto, 'setLimit', (slow) => function (n) {
      const a = addr(this), w = a >>> 2;
      if (!a || (n >>> 0) !== n || n > u32[w + C]) return slow.call(this, n);
      u32[w + L] = n;
      if (u32[w + P] > n) u32[w + P] = n;
    });
    replaceMethod(proto, 'remaining', (slow) => function () {
      const a = addr(this), w = a >>> 2;
      return a ? u32[w + L] - u32[w + P] : slow.call(this);
    });
    replaceMethod(proto, 'hasRemaining', (slow) => function () {
      const a = addr(this), w = a >>> 2;
      return a ? u32[w + P] < u32[w + L] : slow.call(this);
    });
    replaceMethod(proto, 'linearMemoryOffset', (slow) => function () {
      const a = addr(this), w = a >>> 2;
      return a ? u32[w + D] + u32[w + P] : slow.call(this);
    });
    replaceMethod(proto, 'resetForRead', (slow) => function () {
      const a = addr(this), w = a >>> 2;
      if (!a) return slow.call(this);
      u32[w + L] = u32[w + P];
      u32[w + P] = 0;
    });
    replaceMethod(proto, 'resetForWrite', (slow) => function () {
      const a = addr(this), w = a >>> 2;
      if (!a) return slow.call(this);
      u32[w + P] = 0;
      u32[w + L] = u32[w + C];
    });
  }

  // Views of exactly the capacity, over the current memory.
  function defineViews(proto) {
    // Throws the handle's error (deleted, empty lease) when it has no buffer.
    const need = (self) => addr(self) || self.__bufferAddress();
    proto.bytes = function bytes() {
      const w = need(this) >>> 2;
      return new Uint8Array(u8.buffer, u32[w + D], u32[w + C]);
    };
    proto.dataView = function dataView() {
      const w = need(this) >>> 2;
      return new DataView(u8.buffer, u32[w + D], u32[w + C]);
    };
  }

  const isByteArray = (a) => a instanceof Uint8Array || a instanceof Int8Array;
  const asUint8 = (a) => (a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.length));
  const isSize = (n) => (n >>> 0) === n;
  // The address of `length` bytes to copy at the position of a buffer whose
  // JS-array copy is in range and fits, or -1 (the C++ method then throws).
  function arrayCopyAt(self, array, offset, length) {
    if (!isByteArray(array) || !isSize(offset) || !isSize(length) || offset + length > array.length) return -1;
    return take(self, length);
  }

  function defineBytes(proto) {
    const { PlatformBuffer } = zb;
    replaceMethod(proto, 'writeFromJsArray', (slow) => function (array, offset, length) {
      const at = arrayCopyAt(this, array, offset, length);
      if (at < 0) return slow.call(this, array, offset, length);
      const src = asUint8(array);
      u8.set(offset === 0 && length === src.length ? src : src.subarray(offset, offset + length), at);
    });
    replaceMethod(proto, 'writeBytes', (slow) => function (array) {
      const at = isByteArray(array) ? take(this, array.length) : -1;
      if (at < 0) return slow.call(this, array);
      u8.set(asUint8(array), at);
    });
    replaceMethod(proto, 'readToJsArray', (slow) => function (array, offset, length) {
      const at = arrayCopyAt(this, array, offset, length);
      if (at < 0) return slow.call(this, array, offset, length);
      asUint8(array).set(u8.subarray(at, at + length), offset);
    });
    replaceMethod(proto, 'readByteArray', (slow) => function (n) {
      const at = isSize(n) ? take(this, n) : -1;
      return at < 0 ? slow.call(this, n) : u8.slice(at, at + n);
    });
    replaceMethod(proto, 'toByteArray', (slow) => function () {
      const a = addr(this), w = a >>> 2;
      return a ? u8.slice(u32[w + D] + u32[w + P], u32[w + D] + u32[w + L]) : slow.call(this);
    });
    // Buffer to buffer (same module): one copyWithin, which handles overlap.
    replaceMethod(proto, 'write', (slow) => function (src) {
      if (!(src instanceof PlatformBuffer)) return slow.call(this, src);
      if (!src.$$.ptr) throw deletedError('PlatformBuffer', 'write');
      const s = addr(src), ws = s >>> 2, n = s ? u32[ws + L] - u32[ws + P] : -1;
      const at = n >= 0 ? take(this, n) : -1;
      if (at < 0) return slow.call(this, src);
      const from = u32[ws + D] + u32[ws + P];
      u8.copyWithin(at, from, from + n);
      u32[ws + P] += n;
    });
  }

  // Text crosses in JS (text.mjs): no string is marshalled through embind.
  function defineText(proto) {
    const { Charset, TextPolicy } = zb;
    const charsetOf = (op, cs) => {
      if (cs === undefined) return UTF8;
      if (!(cs instanceof Charset)) {
        throw new InvalidArgumentError(`${op}: expected a zb.Charset value (Utf8, Utf16BigEndian, ` +
          `Utf16LittleEndian, Ascii or Latin1); got a ${typeof cs}`);
      }
      return cs.value;
    };
    const strictOf = (op, policy) => {
      if (policy === undefined || policy === TextPolicy.Lenient) return false;
      if (policy === TextPolicy.Strict) return true;
      throw new InvalidArgumentError(`${op}: expected a zb.TextPolicy value (Lenient or Strict); got a ${typeof policy}`);
    };
    proto.writeString = function writeString(text, charset, policy) {
      const a = addr(this) || this.__bufferAddress();
      if (typeof text !== 'string') {
        throw new InvalidArgumentError(`writeString: expected a string, got a ${typeof text}`);
      }
      const cs = charsetOf('writeString', charset);
      if (strictOf('writeString', policy)) checkStrict('writeString', text, cs);
      const w = a >>> 2, p = u32[w + P], l = u32[w + L], at = u32[w + D] + p;
      let written;
      if (cs === UTF8) {
        written = encodeUtf8(text, u8, at, l - p);
      } else {
        const need = encodedLength(text, cs, l - p);
        written = need > l - p ? -need : encodeInto(text, cs, u8, dv, at);
      }
      if (written < 0) zb.__zbThrowOverflow('writeString', -written, p, l);
      u32[w + P] = p + written;
      return written;
    };
    replaceMethod(proto, 'readString', (slow) => function (n, charset, policy) {
      const a = addr(this);
      const cs = charsetOf('readString', charset), strict = strictOf('readString', policy);
      const args = [n, charset ?? Charset.Utf8, policy ?? TextPolicy.Lenient];
      if (!a || !isSize(n) || cs === ASCII || cs === LATIN1) return slow.apply(this, args);
      const w = a >>> 2, p = u32[w + P], l = u32[w + L];
      if (n > l - p) zb.__zbThrowUnderflow('readString', n, p, l);
      const at = u32[w + D] + p;
      let text;
      try {
        text = (strict ? decoders.strict : decoders.lenient)[cs].decode(u8.subarray(at, at + n));
      } catch {
        // Ill-formed: C++ names the byte. Should it disagree, undo and say so.
        slow.apply(this, args);
        addr(this);  // the call may have grown memory
        u32[w + P] = p;
        throw new zb.MalformedTextError(`readString: the ${n} bytes at position ${p} are ill-formed`);
      }
      u32[w + P] = p + n;
      return text;
    });
  }

  for (const { prototype } of classes) {
    for (let kind = 0; kind < ELEMENTS.length; kind++) defineElement(prototype, kind);
    defineCursor(prototype);
    defineViews(prototype);
    defineBytes(prototype);
    defineText(prototype);
  }
}
