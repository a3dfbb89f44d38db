// read/write/get/set of each primitive, specialised per element type.
//
// One template is compiled per element type with `new Function`, so that each
// method has its own code and type feedback: with closures shared by all types
// the DataView access and the value check stay generic (a switch on the type
// per call, about 3x slower in Node 20). Code generation from strings is
// needed anyway: embind (Emscripten 3.1.6) builds its own functions that way.
//
// The generated methods use the state object hot.mjs keeps for each handle
// ($$.zbS: zbD, zbL, zbP, zbLe) and `M`: { dv (the current DataView over
// memory), onRefresh (called with the new DataView after growth), none (the
// state of a handle that has none yet), bound(handle) (true if it just bound a
// handle that was not bound: retry), LE / BE (the zb.ByteOrder values) }.
// Any case they do not handle goes to `slow`, the C++ method.

// [name, width, DataView suffix, the check of `v` (a value C++ accepts as is)]
export const ELEMENT_TYPES = [
  ['Byte', 1, 'Int8', '(v << 24 >> 24) === v'],
  ['UnsignedByte', 1, 'Uint8', '(v & 0xff) === v'],
  ['Short', 2, 'Int16', '(v << 16 >> 16) === v'],
  ['UnsignedShort', 2, 'Uint16', '(v & 0xffff) === v'],
  ['Int', 4, 'Int32', '(v | 0) === v'],
  ['UnsignedInt', 4, 'Uint32', '(v >>> 0) === v'],
  ['Long', 8, 'BigInt64', "typeof v === 'bigint' && v >= M.I64_MIN && v <= M.I64_MAX"],
  ['UnsignedLong', 8, 'BigUint64', "typeof v === 'bigint' && v >= 0n && v <= M.U64_MAX"],
  ['Float', 4, 'Float32', "typeof v === 'number' && v <= M.FLOAT_MAX && v >= -M.FLOAT_MAX"],
  ['Double', 8, 'Float64', "typeof v === 'number'"],
];

// A handle that is not bound (never used, deleted, released) has zbL = -1, so
// every bounds check below fails and the call binds the handle and retries,
// or goes to the C++ method (for its error).
// Types wider than a byte take an optional last argument, a zb.ByteOrder for
// this call only (C++'s per-call order overloads); it is handled out of the
// default path, in `ordered`, so the default path stays one test longer only.
// `le` turns it into DataView's flag, or undefined for anything else (then C++
// rejects it with its own message).
function template(name, width, type, check) {
  const get = (at, le = 'r.zbLe') => `dv.get${type}(${at}, ${le})`;
  const set = (at, le = 'r.zbLe') => `dv.set${type}(${at}, v, ${le})`;
  const hasOrder = width > 1;
  const dispatch = (op, args) => (hasOrder ? `if (o !== undefined) return ordered.${op}${name}.call(this, ${args});` : '');
  const o = hasOrder ? ', o' : '';
  return `
    let dv = M.dv;
    M.onRefresh.push((view) => { dv = view; });
    const le = (o) => (o === M.LE ? true : o === M.BE ? false : undefined);
    const ordered = {
      read${name}(o) {
        const r = this.$$.zbS || M.none, p = r.zbP, l = le(o);
        if (l !== undefined && r.zbL - p >= ${width}) {
          r.zbP = p + ${width};
          return ${get('r.zbD + p', 'l')};
        }
        return M.bound(this) ? this.read${name}(o) : slow.read${name}.call(this, o);
      },
      write${name}(v, o) {
        const r = this.$$.zbS || M.none, p = r.zbP, l = le(o);
        if (${check} && l !== undefined && r.zbL - p >= ${width}) {
          ${set('r.zbD + p', 'l')};
          r.zbP = p + ${width};
          return;
        }
        return M.bound(this) ? this.write${name}(v, o) : slow.write${name}.call(this, v, o);
      },
      get${name}(i, o) {
        const r = this.$$.zbS || M.none, lim = r.zbL, l = le(o);
        if (l !== undefined && (i >>> 0) === i && i <= lim && lim - i >= ${width}) return ${get('r.zbD + i', 'l')};
        return M.bound(this) ? this.get${name}(i, o) : slow.get${name}.call(this, i, o);
      },
      set${name}(i, v, o) {
        const r = this.$$.zbS || M.none, lim = r.zbL, l = le(o);
        if (${check} && l !== undefined && (i >>> 0) === i && i <= lim && lim - i >= ${width}) {
          ${set('r.zbD + i', 'l')};
          return;
        }
        return M.bound(this) ? this.set${name}(i, v, o) : slow.set${name}.call(this, i, v, o);
      },
    };
    return {
      read${name}: function read${name}(${hasOrder ? 'o' : ''}) {
        ${dispatch('read', 'o')}
        const r = this.$$.zbS || M.none, p = r.zbP;
        if (r.zbL - p >= ${width}) {
          r.zbP = p + ${width};
          return ${get('r.zbD + p')};
        }
        return M.bound(this) ? this.read${name}() : slow.read${name}.call(this);
      },
      write${name}: function write${name}(v${o}) {
        ${dispatch('write', 'v, o')}
        const r = this.$$.zbS || M.none, p = r.zbP;
        if (${check} && r.zbL - p >= ${width}) {
          ${set('r.zbD + p')};
          r.zbP = p + ${width};
          return;
        }
        return M.bound(this) ? this.write${name}(v) : slow.write${name}.call(this, v);
      },
      get${name}: function get${name}(i${o}) {
        ${dispatch('get', 'i, o')}
        const r = this.$$.zbS || M.none, l = r.zbL;
        if ((i >>> 0) === i && i <= l && l - i >= ${width}) return ${get('r.zbD + i')};
        return M.bound(this) ? this.get${name}(i) : slow.get${name}.call(this, i);
      },
      set${name}: function set${name}(i, v${o}) {
        ${dispatch('set', 'i, v, o')}
        const r = this.$$.zbS || M.none, l = r.zbL;
        if (${check} && (i >>> 0) === i && i <= l && l - i >= ${width}) {
          ${set('r.zbD + i')};
          return;
        }
        return M.bound(this) ? this.set${name}(i, v) : slow.set${name}.call(this, i, v);
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
