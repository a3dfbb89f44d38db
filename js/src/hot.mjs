// The buffer API's hot paths, in JavaScript over the module's memory: cursor,
// primitives, byte copies, views and text run without crossing into C++.
//
// State: while JS works on a buffer, its data address, capacity, position,
// limit and byte order are kept in fields of the handle itself (zbD, zbC, zbP,
// zbL, zbLe (1 for little-endian, else 0: a small integer field makes DataView's
// flag one test), with zbV a DataView over the buffer's bytes; zbA is the address
// of the C++ PlatformBuffer, 0 when there is none: deleted, released, an empty
// lease). The C++ object in linear memory
// holds the same state at offsets C++ measures (js/bindings/buffer_layout.cpp).
// Invariant: around every call into C++ (every other method, class function
// or constructor is wrapped by `syncing`), JS writes position and limit of the
// handles involved to the C++ object before the call and reads the whole state
// back after it, so C++ and JS never disagree about a buffer whichever side
// works on it.
// Views survive memory growth: memory grows only inside C++ calls, after which
// `syncing` rebuilds the module's views and every bound handle's zbV and zbU
// (a Uint8Array over the same bytes, the copies' whole-buffer view). The
// byte copies do not check the views first: a copy through a detached view
// throws, and they refresh and retry (fresh(), a typed array's length, cost
// about 1 ns of a 1 KiB copy's 20 in Chromium). A shared memory (the threaded
// package) detaches nothing when it grows: memory.buffer becomes a longer
// SharedArrayBuffer and the old views keep their old length, so there a view
// is made only after comparing the lengths.
// Checked views: a view handle (slice, readBytes, duplicate, a stream's
// buffer...) remembers its C++ view slot (zbG, a word index; 0 for anything
// that is not a checked view) and generation (zbGv). A view is bound only
// while the two agree: readState checks them, and after every call into C++
// (the only place a buffer can be released) `syncing` sweeps the bound views
// if C++'s count of retired slots moved, flushing and unbinding the stale
// ones. An unbound view takes the C++ paths, which throw StaleViewError; the
// JS paths themselves check nothing per access.
// Errors are C++'s: any case the fast path does not take (a bad argument, a
// bounds failure, a deleted handle, an empty lease) goes to the C++ method
// (`slow`), which throws exactly as before and changes nothing; checks that
// only JS makes throw the same C++ error through __zbThrowOverflow/Underflow.
import { InvalidArgumentError } from './errors.mjs';
import { ELEMENT_TYPES, FLOAT_MAX, I64_MAX, I64_MIN, U64_MAX, compileElements } from './elements.mjs';
import { replaceMethod } from './methods.mjs';
import { checkStrict, encodedLength, encodeInto, encodeUtf8, makeDecoders, UTF8, LATIN1, ASCII } from './text.mjs';

// classes: the embind classes whose prototypes get the hot paths; synced: every
// other embind class or object whose functions call into C++.
export function installHotPaths(zb, memory, classes, synced, deletedError) {
  const layout = zb.__zbBufferLayout();
  const D = layout.data >>> 2, C = layout.capacity >>> 2, P = layout.position >>> 2, L = layout.limit >>> 2;
  const ORDER = layout.order, LE = layout.littleEndian;
  const RETIRED = zb.__zbViewRetirements() >>> 2;  // word index of C++'s retired-slot count
  const decoders = makeDecoders();
  let u8, u32, dv;
  // What the specialised element methods (elements.mjs) share with this file.
  const M = { bound, I64_MIN, I64_MAX, U64_MAX, FLOAT_MAX, LE: zb.ByteOrder.LittleEndian, BE: zb.ByteOrder.BigEndian };
  let generation = 0;  // of the views: one more after every growth
  // The bound handles, weakly (growth remakes their views; the safety net
  // may still collect them), and how many there were at the last purge.
  const live = new Set();
  let livePurged = 64;
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  const refresh = () => {
    generation++;
    u8 = new Uint8Array(memory.buffer);
    u32 = new Uint32Array(memory.buffer);
    dv = new DataView(memory.buffer);
    // Growth detached every view of the old memory (a shared one detaches
    // nothing: the old views stay valid over the bytes they cover).
    if (!shared) for (const ref of live) { const h = ref.deref(); if (h === undefined) live.delete(ref); else setView(h); }
  };
  const fresh = shared ? () => { if (u8.length !== memory.buffer.byteLength) refresh(); }
    : () => { if (u8.length === 0) refresh(); };
  refresh();

  // ---- the two copies of the state ------------------------------------------
  // A handle keeps its state in fields of its own (zbM: this module's M, so
  // another module's handle is never synced here; zbA: the address of the C++
  // PlatformBuffer, 0 when there is none (deleted, released, an empty lease),
  // -1 when it is to be read at the next use), defined once in one order so
  // that every bound handle of a class has one shape: a per-value call then
  // costs one map check and loads from one object (a state object of its own,
  // one hop further, ran at about 0.4x a bare DataView loop instead of 0.55x).
  // zbV is a DataView over exactly the buffer's bytes (positions index it
  // directly), made again when the address, the capacity or the memory changes.
  const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
  const EMPTY_BYTES = new Uint8Array(0);
  function initState(h) {
    if (h.zbA !== undefined) return;
    h.zbP = 0;
    h.zbL = -1;
    h.zbV = EMPTY_VIEW;
    h.zbLe = 0;
    h.zbD = 0;
    h.zbC = 0;
    h.zbA = -1;
    h.zbM = M;
    h.zbVd = -1;  // the address and generation zbV was made for
    h.zbVg = -1;
    h.zbRef = undefined;  // a WeakRef to the handle while it is bound (in `live`)
    h.zbG = 0;
    h.zbGv = 0;
    // The views memoryView/bytes/dataView reuse, with the memory generation
    // and the range they were made for.
    h.zbView = undefined;
    h.zbViewAt = -1;
    h.zbViewLength = -1;
    h.zbViewGen = -1;
    h.zbBytes = undefined;
    h.zbDataView = undefined;
    h.zbViewsGen = -1;
    h.zbU = EMPTY_BYTES;
  }
  function setView(h) {
    if (h.zbVg === generation && h.zbVd === h.zbD && h.zbV.byteLength === h.zbC) return;
    h.zbV = new DataView(u8.buffer, h.zbD, h.zbC);
    h.zbU = new Uint8Array(u8.buffer, h.zbD, h.zbC);
    h.zbVd = h.zbD;
    h.zbVg = generation;
  }
  function enlist(h) {
    if (h.zbRef !== undefined) return;
    h.zbRef = new WeakRef(h);
    live.add(h.zbRef);
    if (live.size >= 2 * livePurged) {
      for (const ref of live) if (ref.deref() === undefined) live.delete(ref);
      livePurged = Math.max(64, live.size);
    }
  }
  const rawAddress = new Map(classes.map((cls) => [cls.prototype, cls.prototype.__bufferAddress]));
  function readState(h, a) {
    fresh();
    const w = a >>> 2;
    h.zbA = a;
    h.zbD = u32[w + D];
    h.zbC = u32[w + C];
    h.zbP = u32[w + P];
    h.zbL = u32[w + L];
    h.zbLe = u8[a + ORDER] === LE ? 1 : 0;
    if (h.zbG !== 0 && u32[h.zbG] !== h.zbGv) return unbindStale(h);
    setView(h);
    if (h.zbBytes !== undefined && (h.zbBytes.byteOffset !== h.zbD || h.zbBytes.length !== h.zbC)) h.zbViewsGen = -1;
  }
  // Loads a handle's state on its first use; its C++ address, or 0.
  function bind(self) {
    const r = self.$$;
    if (!r.ptr) return 0;
    initState(self);
    let a = 0;
    for (let proto = Object.getPrototypeOf(self); proto && !a; proto = Object.getPrototypeOf(proto)) {
      const address = rawAddress.get(proto);
      if (!address) continue;
      try { a = address.call(self); } catch { break; }  // an empty lease
    }
    if (a) {
      const guard = zb.__zbViewGuardAt(a);
      self.zbG = guard.slot >>> 2;
      self.zbGv = guard.generation >>> 0;
      enlist(self);
      if (self.zbG !== 0) views.add(self.zbRef);
      readState(self, a);
    } else {
      unbind(self);
    }
    return self.zbA;
  }
  // No buffer behind the handle (deleted, released, an empty lease): every
  // bounds check fails (zbL = -1) and every call goes to C++, for its error.
  function unbind(h) {
    initState(h);
    if (h.zbRef !== undefined) {
      live.delete(h.zbRef);
      views.delete(h.zbRef);
      h.zbRef = undefined;
    }
    h.zbA = 0;
    h.zbD = h.zbC = h.zbP = 0;
    h.zbL = -1;
    h.zbV = EMPTY_VIEW;
    h.zbU = EMPTY_BYTES;
    h.zbVd = -1;
  }
  // The bound checked views (WeakRefs), and C++'s retired-slot count when
  // they were last checked.
  const views = new Set();
  let retiredSeen = u32[RETIRED];
  const unbindStale = unbind;
  // After a call into C++, with the memory views fresh (`syncing` refreshes them first).
  function sweepStaleViews() {
    if (u32[RETIRED] === retiredSeen) return;
    retiredSeen = u32[RETIRED];
    for (const ref of views) {
      const h = ref.deref();
      if (h === undefined) { views.delete(ref); continue; }
      if (u32[h.zbG] === h.zbGv) continue;
      flushState(h);  // the cursor JS moved since the last call stays C++'s
      unbindStale(h);
    }
  }
  // True if the handle had no state yet and now is bound (the caller retries).
  function bound(self) {
    return !(self.zbA >= 0) && bind(self) !== 0;
  }
  const isBound = (h) => h?.zbA > 0 && h.zbM === M;
  function flush(h) {
    if (isBound(h)) flushState(h);
  }
  function flushState(h) {
    fresh();
    const w = h.zbA >>> 2;
    u32[w + P] = h.zbP;
    u32[w + L] = h.zbL;
  }
  function reload(h) {
    if (!isBound(h)) return;
    if (h.$$.ptr) readState(h, h.zbA);
    else unbind(h);
  }
  const syncing = (raw) => function (...args) {
    flush(this);
    for (const x of args) flush(x);
    try {
      return raw.apply(this, args);
    } finally {
      fresh();
      reload(this);
      for (const x of args) reload(x);
      sweepStaleViews();
    }
  };
  const syncAll = (target) => {
    for (const name of Object.getOwnPropertyNames(target)) {
      const f = target[name];
      if (typeof f !== 'function' || name === 'constructor' || name === 'isDeleted' || name === '__bufferAddress' ||
          name === '__requireLive') continue;
      replaceMethod(target, name, syncing);
    }
  };
  for (const cls of classes) syncAll(cls.prototype);
  for (const target of synced) syncAll(target);
  for (const name of ['__zbThrowOverflow', '__zbThrowUnderflow']) replaceMethod(zb, name, syncing);
  // A released lease has no buffer (its own goes back to the pool).
  if (zb.PooledBuffer) {
    replaceMethod(zb.PooledBuffer.prototype, 'release', (raw) => function release() {
      try {
        return raw.call(this);
      } finally {
        unbind(this);
      }
    });
  }
  // A lease C++ moves out of its handle (transfer to another thread): the
  // cursor JS moved goes first; the handle is unbound after, or, if the move
  // failed, keeps its lease and its state as C++ left it.
  const moveOut = (h, move) => {
    flush(h);
    let moved = false;
    try {
      const result = move();
      moved = true;
      return result;
    } finally {
      fresh();
      if (moved) unbind(h);
      else reload(h);
      sweepStaleViews();
    }
  };

  // The handle itself if its buffer is bound, or undefined.
  function stateOf(self) {
    const a = self.zbA;
    if (a > 0) return self;
    if (a === 0) return undefined;
    return bind(self) ? self : undefined;
  }
  // Claims n bytes at the position: their address (position advanced), or -1.
  function take(self, n) {
    const s = stateOf(self);
    if (s === undefined) return -1;
    const p = s.zbP;
    if (s.zbL - p < n) return -1;
    s.zbP = p + n;
    return s.zbD + p;
  }

  // The cursor. Setters take the fast path for a size within bounds only.
  function defineCursor(proto) {
    const field = (f) => (slow) => function () {
      const r = stateOf(this);
      return r ? r[f] : slow.call(this);
    };
    replaceMethod(proto, 'capacity', field('zbC'));
    replaceMethod(proto, 'limit', field('zbL'));
    replaceMethod(proto, 'baseOffset', field('zbD'));
    replaceMethod(proto, 'position', (slow) => function (n) {
      const r = stateOf(this);
      if (arguments.length === 0) return r ? r.zbP : slow.call(this);
      if (!r || (n >>> 0) !== n || n > r.zbL) return slow.call(this, n);
      r.zbP = n;
    });
    replaceMethod(proto, 'setLimit', (slow) => function (n) {
      const r = stateOf(this);
      if (!r || (n >>> 0) !== n || n > r.zbC) return slow.call(this, n);
      r.zbL = n;
      if (r.zbP > n) r.zbP = n;
    });
    replaceMethod(proto, 'remaining', (slow) => function () {
      const r = stateOf(this);
      return r ? r.zbL - r.zbP : slow.call(this);
    });
    replaceMethod(proto, 'hasRemaining', (slow) => function () {
      const r = stateOf(this);
      return r ? r.zbP < r.zbL : slow.call(this);
    });
    replaceMethod(proto, 'linearMemoryOffset', (slow) => function () {
      const r = stateOf(this);
      return r ? r.zbD + r.zbP : slow.call(this);
    });
    // The resets are in every loop that reuses a buffer: small enough for V8
    // to inline them whatever else the loop inlines.
    replaceMethod(proto, 'resetForRead', (slow) => {
      const rest = (self) => (stateOf(self) ? self.resetForRead() : slow.call(self));
      return function resetForRead() {
        if (!(this.zbA > 0)) return rest(this);
        this.zbL = this.zbP;
        this.zbP = 0;
      };
    });
    replaceMethod(proto, 'resetForWrite', (slow) => {
      const rest = (self) => (stateOf(self) ? self.resetForWrite() : slow.call(self));
      return function resetForWrite() {
        if (!(this.zbA > 0)) return rest(this);
        this.zbP = 0;
        this.zbL = this.zbC;
      };
    });
  }

  // The record of a handle that has a buffer; else the handle's own error
  // from C++ (deleted, empty lease; StaleViewError naming `op` for a stale view).
  const need = (self, op) => stateOf(self) ?? (self.__bufferAddress(), self.__requireLive(op), undefined);

  // Views of exactly the capacity, over the current memory. Each handle keeps
  // the last ones it made and hands them out again until memory grows (or the
  // buffer is moved out: readState drops them).
  function defineViews(proto) {
    const refreshViews = (r) => {
      r.zbBytes = new Uint8Array(u8.buffer, r.zbD, r.zbC);
      r.zbDataView = new DataView(u8.buffer, r.zbD, r.zbC);
      r.zbViewsGen = generation;
    };
    // Refused (StaleViewError, from C++) for a view whose owner was released:
    // a bound view is live.
    proto.bytes = function bytes() {
      const r = need(this, 'bytes');
      fresh();
      if (r.zbViewsGen !== generation) refreshViews(r);
      return r.zbBytes;
    };
    proto.dataView = function dataView() {
      const r = need(this, 'dataView');
      fresh();
      if (r.zbViewsGen !== generation) refreshViews(r);
      return r.zbDataView;
    };
  }

  // A Uint8Array over memory[at, at + length). The last one of each handle is
  // kept (a view costs more than copying 1 KiB): loops that copy the same
  // range again reuse it while the memory has not grown (which empties it).
  function memoryView(r, at, length) {
    if (r.zbViewGen === generation && r.zbViewAt === at && r.zbViewLength === length) return r.zbView;
    r.zbViewGen = generation;
    r.zbViewAt = at;
    r.zbViewLength = length;
    return (r.zbView = u8.subarray(at, at + length));
  }
  // The fast copies skip fresh(): they copy all of a buffer through its zbU
  // (made again with zbV, so fresh whenever u8 is), anything else through a
  // view made here. A copy through a view of a detached memory throws, and
  // refreshAfter then refreshes the views (the caller retries) or, if they
  // were fresh, rethrows. A shared memory detaches nothing (an old view stays
  // valid), but u8 may be shorter than a memory another thread grew: a view
  // made for a copy first checks that.
  function sourceView(r, at, length) {
    fresh();
    return memoryView(r, at, length);
  }
  function refreshAfter(e) {
    const g = generation;
    fresh();
    if (g === generation) throw e;
  }
  const isByteArray = (a) => a instanceof Uint8Array || a instanceof Int8Array;
  const asUint8 = (a) => (a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.length));
  const isSize = (n) => (n >>> 0) === n;
  // The address of `length` bytes to copy at the position of a buffer whose
  // JS-array copy is in range and fits, or -1 (the C++ method then throws).
  function arrayCopyAt(self, array, offset, length) {
    if (!isByteArray(array) || !isSize(offset) || !isSize(length) || offset + length > array.length) return -1;
    fresh();
    return take(self, length);
  }

  function defineBytes(proto) {
    const { PlatformBuffer } = zb;
    // The copies' common cases (all of a Uint8Array; another buffer of this
    // module) come first and small enough to inline; the rest is out of line.
    replaceMethod(proto, 'writeFromJsArray', (slow) => {
      const rest = (self, array, offset, length) => {
        const at = arrayCopyAt(self, array, offset, length);
        if (at < 0) return slow.call(self, array, offset, length);
        const src = asUint8(array);
        u8.set(offset === 0 && length === src.length ? src : src.subarray(offset, offset + length), at);
      };
      return function writeFromJsArray(array, offset, length) {
        const p = this.zbP;
        if (array instanceof Uint8Array && offset === 0 && length === array.length && this.zbL - p >= length) {
          this.zbP = p + length;
          try {
            u8.set(array, this.zbD + p);
          } catch (e) {
            this.zbP = p;
            refreshAfter(e);
            return this.writeFromJsArray(array, offset, length);
          }
          return;
        }
        return rest(this, array, offset, length);
      };
    });
    replaceMethod(proto, 'writeBytes', (slow) => function (array) {
      const at = isByteArray(array) ? arrayCopyAt(this, array, 0, array.length) : -1;
      if (at < 0) return slow.call(this, array);
      u8.set(asUint8(array), at);
    });
    replaceMethod(proto, 'readToJsArray', (slow) => {
      const rest = (self, array, offset, length) => {
        const at = arrayCopyAt(self, array, offset, length);
        if (at < 0) return slow.call(self, array, offset, length);
        asUint8(array).set(memoryView(self, at, length), offset);
      };
      return function readToJsArray(array, offset, length) {
        const p = this.zbP;
        if (array instanceof Uint8Array && offset === 0 && length === array.length && this.zbL - p >= length) {
          const v = p === 0 && length === this.zbC ? this.zbU : sourceView(this, this.zbD + p, length);
          this.zbP = p + length;
          try {
            array.set(v);
          } catch (e) {
            this.zbP = p;
            refreshAfter(e);
            return this.readToJsArray(array, offset, length);
          }
          return;
        }
        return rest(this, array, offset, length);
      };
    });
    replaceMethod(proto, 'readByteArray', (slow) => function (n) {
      fresh();
      const at = isSize(n) ? take(this, n) : -1;
      return at < 0 ? slow.call(this, n) : u8.slice(at, at + n);
    });
    replaceMethod(proto, 'toByteArray', (slow) => function () {
      const r = stateOf(this);
      if (!r) return slow.call(this);
      fresh();
      return u8.slice(r.zbD + r.zbP, r.zbD + r.zbL);
    });
    // Buffer to buffer (same module): one copy.
    replaceMethod(proto, 'write', (slow) => {
      const rest = (self, src) => {
        // Not a buffer, or this very buffer (C++ rejects both, changing nothing).
        if (!(src instanceof PlatformBuffer) || src === self) return slow.call(self, src);
        if (!src.$$.ptr) throw deletedError('PlatformBuffer', 'write');
        const s = stateOf(src);
        const n = s ? s.zbL - s.zbP : -1;
        const at = n >= 0 ? take(self, n) : -1;
        if (at < 0) return slow.call(self, src);
        fresh();
        u8.set(memoryView(s, s.zbD + s.zbP, n), at);
        s.zbP += n;
      };
      return function write(src) {
        if (src !== this && src?.zbM === M) {
          const p = this.zbP, sp = src.zbP, n = src.zbL - sp;
          // n < 0: src is not bound (its limit is -1).
          if (n >= 0 && this.zbL - p >= n) {
            const v = sp === 0 && n === src.zbC ? src.zbU : sourceView(src, src.zbD + sp, n), at = this.zbD + p;
            // The positions move first: after the call TurboFan would check
            // both handles' maps again. set() throws only before it copies.
            this.zbP = p + n;
            src.zbP = sp + n;
            try {
              // set() from a view of the same memory copies as if from a clone of
              // the source, so overlap is fine; V8 does it faster than copyWithin.
              u8.set(v, at);
            } catch (e) {
              this.zbP = p;
              src.zbP = sp;
              refreshAfter(e);
              return this.write(src);
            }
            return;
          }
        }
        return rest(this, src);
      };
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
      const r = need(this, 'writeString');
      if (typeof text !== 'string') {
        throw new InvalidArgumentError(`writeString: expected a string, got a ${typeof text}`);
      }
      const cs = charsetOf('writeString', charset);
      if (strictOf('writeString', policy)) checkStrict('writeString', text, cs);
      const p = r.zbP, l = r.zbL, at = r.zbD + p;
      fresh();
      let written;
      if (cs === UTF8) {
        written = encodeUtf8(text, u8, at, l - p, shared);
      } else {
        const needed = encodedLength(text, cs, l - p);
        written = needed > l - p ? -needed : encodeInto(text, cs, u8, dv, at);
      }
      if (written < 0) zb.__zbThrowOverflow('writeString', -written, p, l);
      r.zbP = p + written;
      return written;
    };
    replaceMethod(proto, 'readString', (slow) => function (n, charset, policy) {
      const r = stateOf(this);
      const cs = charsetOf('readString', charset), strict = strictOf('readString', policy);
      const args = [n, charset ?? Charset.Utf8, policy ?? TextPolicy.Lenient];
      if (!r || !isSize(n) || cs === ASCII || cs === LATIN1) return slow.apply(this, args);
      const p = r.zbP, l = r.zbL;
      if (n > l - p) zb.__zbThrowUnderflow('readString', n, p, l);
      const at = r.zbD + p;
      fresh();
      let text;
      try {
        // Browsers refuse to decode from a SharedArrayBuffer: a copy first.
        text = (strict ? decoders.strict : decoders.lenient)[cs].decode(shared ? u8.slice(at, at + n) : u8.subarray(at, at + n));
      } catch {
        // Ill-formed: C++ names the byte. Should it disagree, undo and say so.
        slow.apply(this, args);
        r.zbP = p;
        throw new zb.MalformedTextError(`readString: the ${n} bytes at position ${p} are ill-formed`);
      }
      r.zbP = p + n;
      return text;
    });
  }

  for (const { prototype } of classes) {
    const slow = Object.fromEntries(ELEMENT_TYPES.flatMap(([name]) =>
      ['read', 'write', 'get', 'set'].map((op) => [op + name, prototype[op + name]])));
    // replaceMethod: the wider types' methods are overloaded (a per-call order).
    for (const [name, method] of Object.entries(compileElements(M, slow))) replaceMethod(prototype, name, () => method);
    defineCursor(prototype);
    defineViews(prototype);
    defineBytes(prototype);
    defineText(prototype);
  }
  // afterCall: for C++ calls made elsewhere (BufferPool's constructor): memory
  // may have grown. forget: for a handle whose C++ buffer moved (a lease
  // appended to a stream, a GrowableBuffer that grew): its state is read
  // afresh at its next use.
  const forget = (h) => {
    if (!h?.$$ || h.zbA === undefined) return;
    unbind(h);
    h.zbA = -1;
  };
  const afterCall = () => {
    fresh();
    sweepStaleViews();
  };
  // prepare: a new handle of a buffer class gets its (unbound) state fields.
  const prepare = (h) => {
    if (h?.$$ && typeof h.__bufferAddress === 'function') initState(h);
  };
  return { afterCall, forget, moveOut, prepare };
}
