// read/write/get/set of each primitive, specialised per element type.
//
// One template is compiled per element type with `new Function`, so that each
// method has its own code and type feedback: with closures shared by all types
// the DataView access and the value check stay generic (a switch on the type
// per call, about 3x slower in Node 20). Code generation from strings is
// needed anyway: embind (Emscripten 3.1.6) builds its own functions that way.
//
// The generated methods use the state hot.mjs keeps in the handle's embind
// record (zbA, zbD, zbL, zbP, zbLe) and `M`: { dv (the current DataView over
// memory), onRefresh (called with the new DataView after growth), bind(handle),
// retry(error) (rebuilds the views after growth or rethrows) }. Any case they do not handle goes to `slow`, the C++ method.

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

function template(name, width, type, check) {
  const access = (op, at, value = '') => `dv.${op}${type}(${at}${value}, r.zbLe)`;
  const guarded = (stmt) => `try { ${stmt} } catch (e) { M.retry(e); ${stmt} }`;
  return `
    let dv = M.dv;
    M.onRefresh.push((view) => { dv = view; });
    const r$ = (self) => { const r = self.$$; return r.zbA || M.bind(self) ? r : undefined; };
    return {
      read${name}: function read${name}() {
        const r = r$(this);
        if (r !== undefined) {
          const p = r.zbP;
          if (r.zbL - p >= ${width}) {
            let x;
            ${guarded(`x = ${access('get', 'r.zbD + p')};`)}
            r.zbP = p + ${width};
            return x;
          }
        }
        return slow.read${name}.call(this);
      },
      write${name}: function write${name}(v) {
        const r = ${check} ? r$(this) : undefined;
        if (r !== undefined) {
          const p = r.zbP;
          if (r.zbL - p >= ${width}) {
            ${guarded(`${access('set', 'r.zbD + p', ', v')};`)}
            r.zbP = p + ${width};
            return;
          }
        }
        return slow.write${name}.call(this, v);
      },
      get${name}: function get${name}(i) {
        const r = r$(this);
        if (r !== undefined && (i >>> 0) === i && i <= r.zbL && r.zbL - i >= ${width}) {
          ${guarded(`return ${access('get', 'r.zbD + i')};`)}
        }
        return slow.get${name}.call(this, i);
      },
      set${name}: function set${name}(i, v) {
        const r = ${check} ? r$(this) : undefined;
        if (r !== undefined && (i >>> 0) === i && i <= r.zbL && r.zbL - i >= ${width}) {
          ${guarded(`${access('set', 'r.zbD + i', ', v')}; return;`)}
        }
        return slow.set${name}.call(this, i, v);
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
