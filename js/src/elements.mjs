// read/write/get/set of each primitive, specialised per element type.
//
// One template is compiled per element type with `new Function`, so that each
// method has its own code and type feedback: with closures shared by all types
// the DataView access and the value check stay generic (a switch on the type
// per call, about 3x slower in Node 20). Code generation from strings is
// needed anyway: embind (Emscripten 3.1.6) builds its own functions that way.
//
// The generated methods read and write the state fields hot.mjs keeps on the
// handle itself (zbP, zbL, zbLe and zbV, a DataView over exactly the buffer's
// bytes): one object and one view per access, so TurboFan inlines a call into
// the caller's loop with a single map check on the handle. `M` is { bound(handle)
// (true if it just bound a handle that was not bound: retry), LE / BE (the
// zb.ByteOrder values), I64_MIN, I64_MAX, U64_MAX, FLOAT_MAX }.
// Any case they do not handle goes to `slow`, the C++ method.

// The bounds the checks below name (the module's buffers and SharedLease put
// them in their `M`).
export const FLOAT_MAX = 3.4028234663852886e38;
export const I64_MIN = -(1n << 63n), I64_MAX = (1n << 63n) - 1n, U64_MAX = (1n << 64n) - 1n;

// [name, width, DataView suffix, the check of `v` (a value C++ accepts as is)]
export const ELEMENT_TYPES = [
  ['Byte', 1, 'Int8', '(v << 24 >> 24) === v'],
  ['UnsignedByte', 1, 'Uint8', '(v & 0xff) === v'],
  ['Short', 2, 'Int16', '(v << 16 >> 16) === v'],
  ['UnsignedShort', 2, 'Uint16', '(v & 0xffff) === v'],
  ['Int', 4, 'Int32', '(v | 0) === v'],
  ['UnsignedInt', 4, 'Uint32', '(v >>> 0) === v'],
  ['Long', 8, 'BigInt64', "typeof v === 'bigint' && v >= I64_MIN && v <= I64_MAX"],
  ['UnsignedLong', 8, 'BigUint64', "typeof v === 'bigint' && v >= 0n && v <= U64_MAX"],
  ['Float', 4, 'Float32', "typeof v === 'number' && v <= FLOAT_MAX && v >= -FLOAT_MAX"],
  ['Double', 8, 'Float64', "typeof v === 'number'"],
];

// A handle that is not bound (never used, deleted, released) has zbL = -1 (or
// no fields yet: undefined), so every bounds check below fails and the call
// binds the handle and retries, or goes to the C++ method (for its error).
// Positions and indices are offsets in zbV, which covers [0, capacity) and
// the limit never exceeds the capacity, so zbV's own bounds check never fails.
// `limit - width >= position` (not `limit - position >= width`): the same test
// in fewer bytecodes, and V8 inlines by bytecode size.
// Types wider than a byte take an optional last argument, a zb.ByteOrder for
// this call only (C++'s per-call order overloads): any `o` fails the default
// path's test, and `miss` (everything but the default path, out of line)
// takes it to `ordered`. The default path stays this small so that TurboFan
// inlines a dozen calls into one loop (its budget is bytecode size).
// `le` turns an order into DataView's flag, or undefined for anything else
// (then C++ rejects it with its own message).
// Why the miss stays a branch to a call: Chromium's TurboFan (V8 15) hoists a
// loop's invariant loads (zbV, zbLe, the view's length and data pointer) only
// out of a loop it can peel, and it peels none whose inlined body throws or
// deoptimises unconditionally, and keeps nothing across a call that rejoins the
// fast path; so a W1 loop reloads the handle's state on every call there (0.29x
// a DataView loop). A guard it compiles to a conditional deoptimisation instead
// (`u8[limit - position - width] === undefined` on a view of the memory, every
// handle bound at creation, and zbP moved off the offset where a view keeps its
// buffer: a store to it made TurboFan reload and recheck the views) made the
// loop clean, 0.37x, but cost the record loop its inlining (0.54x -> 0.43x: the
// methods grew by 6 bytecodes) and Node 20, whose TurboFan reloads every field
// after a DataView store, a fifth (W1 0.54x -> 0.42x, record 0.67x -> 0.55x).
function template(name, width, type, check) {
  const get = (at, le = 'this.zbLe') => `this.zbV.get${type}(${at}, ${le})`;
  const set = (at, le = 'this.zbLe') => `this.zbV.set${type}(${at}, v, ${le})`;
  const hasOrder = width > 1;
  const none = hasOrder ? 'o === undefined && ' : '';
  const o = hasOrder ? ', o' : '';
  // The fallbacks of the default path: a per-call order, an unbound handle
  // (bind and retry), anything else (C++, for its error).
  // (Function declarations: a call needs no check that the name is initialised.)
  const miss = (fn, op, args, plain) => `function ${fn}(self${args ? `, ${args}` : ''}) {
      return ${hasOrder ? `o !== undefined ? ordered.${op}${name}.call(self, ${args}) : ` : ''}` +
    `M.bound(self) ? self.${op}${name}(${plain}) : slow.${op}${name}.call(self${plain ? `, ${plain}` : ''});
    }`;
  return `
    const { I64_MIN, I64_MAX, U64_MAX, FLOAT_MAX } = M;
    const le = (o) => (o === M.LE ? true : o === M.BE ? false : undefined);
    const ordered = {
      read${name}(o) {
        const p = this.zbP, l = le(o);
        if (l !== undefined && this.zbL - ${width} >= p) {
          this.zbP = p + ${width};
          return ${get('p', 'l')};
        }
        return M.bound(this) ? this.read${name}(o) : slow.read${name}.call(this, o);
      },
      write${name}(v, o) {
        const p = this.zbP, l = le(o);
        if (${check} && l !== undefined && this.zbL - ${width} >= p) {
          ${set('p', 'l')};
          this.zbP = p + ${width};
          return;
        }
        return M.bound(this) ? this.write${name}(v, o) : slow.write${name}.call(this, v, o);
      },
      get${name}(i, o) {
        const lim = this.zbL, l = le(o);
        if (l !== undefined && (i >>> 0) === i && lim - ${width} >= i) return ${get('i', 'l')};
        return M.bound(this) ? this.get${name}(i, o) : slow.get${name}.call(this, i, o);
      },
      set${name}(i, v, o) {
        const lim = this.zbL, l = le(o);
        if (${check} && l !== undefined && (i >>> 0) === i && lim - ${width} >= i) {
          ${set('i', 'l')};
          return;
        }
        return M.bound(this) ? this.set${name}(i, v, o) : slow.set${name}.call(this, i, v, o);
      },
    };
    ${miss('missRead', 'read', hasOrder ? 'o' : '', '')}
    ${miss('missWrite', 'write', `v${o}`, 'v')}
    ${miss('missGet', 'get', `i${o}`, 'i')}
    ${miss('missSet', 'set', `i, v${o}`, 'i, v')}
    return {
      read${name}: function read${name}(${hasOrder ? 'o' : ''}) {
        const p = this.zbP;
        if (${none}this.zbL - ${width} >= p) {
          this.zbP = p + ${width};
          return ${get('p')};
        }
        return missRead(this${o});
      },
      write${name}: function write${name}(v${o}) {
        const p = this.zbP;
        if (${none}${check} && this.zbL - ${width} >= p) {
          ${set('p')};
          this.zbP = p + ${width};
          return;
        }
        return missWrite(this, v${o});
      },
      get${name}: function get${name}(i${o}) {
        const l = this.zbL;
        if (${none}(i >>> 0) === i && l - ${width} >= i) return ${get('i')};
        return missGet(this, i${o});
      },
      set${name}: function set${name}(i, v${o}) {
        const l = this.zbL;
        if (${none}${check} && (i >>> 0) === i && l - ${width} >= i) {
          ${set('i')};
          return;
        }
        return missSet(this, i, v${o});
      },
    };`;
}

// The four methods of every element type for one prototype, given `M` and
// the prototype's current (C++) methods as `slow`.
export function compileElements(M, slow) {
  const methods = {};
  for (const type of ELEMENT_TYPES) Object.assign(methods, new Function('M', 'slow', template(...type))(M, slow));
  return methods;
}
