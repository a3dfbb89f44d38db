// SharedLease: a lease adopted by a thread that has no module instance of
// its own (a Worker or worker_threads thread of the threaded package): the
// buffer's bytes in the shared memory, zero-copy, with the JS half of the
// buffer API — cursor, primitives (elements.mjs, the same code as a module's
// buffers), bytes()/dataView(), writeBytes/readByteArray — and transfer() /
// release() to pass it on or give it back (transfer.mjs).
// Invariants: the cursor keeps 0 <= position <= limit <= capacity; a failed
// call throws a typed error and changes nothing; after transfer() or
// release() every method throws LeaseTransferError and the bytes are never
// touched again through this object. A SharedLease that becomes unreachable
// while it holds its lease gives it back (a FinalizationRegistry: when is up
// to the garbage collector, so release() stays the way to return it).
import { BufferOverflowError, BufferUnderflowError, InvalidArgumentError, LeaseTransferError } from './errors.mjs';
import { ELEMENT_TYPES, FLOAT_MAX, I64_MAX, I64_MIN, U64_MAX, compileElements } from './elements.mjs';
import { dispose } from './lifecycle.mjs';
import { claim, giveBack, passOn, tokenOf } from './transfer.mjs';

const isSize = (n) => (n >>> 0) === n;
const cursor = (p, l) => `(position ${p}, limit ${l})`;

// One shared state per module (its table's token: each message brings a new
// object for the same memory) for the compiled element methods.
const modules = new Map();
function moduleOf(token) {
  let M = modules.get(token);
  if (M === undefined) {
    // LE/BE: no zb.ByteOrder here, so no per-call order matches (slow() says so).
    M = { bound: () => false, I64_MIN, I64_MAX, U64_MAX, FLOAT_MAX, LE: Symbol('LE'), BE: Symbol('BE') };
    // The element methods are compiled per module (their type feedback is this memory's).
    M.Lease = class extends SharedLease {};
    Object.assign(M.Lease.prototype, compileElements(M, slowMethods()));
    modules.set(token, M);
  }
  return M;
}
// A lease passed on or released: every bounds check fails.
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
function emptied(lease) {
  lease.zbP = 0;
  lease.zbL = -1;
  lease.zbV = EMPTY_VIEW;
  lease.zbD = lease.zbC = 0;
}
// Holds each live SharedLease's claim (never the lease itself).
const forgotten = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((c) => {
  try {
    giveBack(c);
  } catch {
    // passed on or released meanwhile through another path: nothing to give back
  }
}) : null;

const goneError = (op) => new LeaseTransferError(`${op}: this SharedLease was passed on with transfer() or ` +
  'released; only the thread that adopts the message holds it now');

// The errors of the element methods, the cases their fast paths leave out
// (messages as C++'s, js/bindings and core/src/buffer_errors.cpp).
function slowMethods() {
  const slow = {};
  for (const [name, width, , check] of ELEMENT_TYPES) {
    const valid = new Function('I64_MIN', 'I64_MAX', 'U64_MAX', 'FLOAT_MAX', 'v', `return ${check};`)
      .bind(null, I64_MIN, I64_MAX, U64_MAX, FLOAT_MAX);
    const order = (op, o) => {
      if (o !== undefined) {
        throw new InvalidArgumentError(`${op}: a SharedLease reads and writes in its own byte order only ` +
          '(no per-call order); transfer it back to the module thread for that');
      }
    };
    const value = (op, v) => {
      if (!valid(v)) throw new InvalidArgumentError(`${op}: ${String(v)} is not a valid ${name} value`);
    };
    const live = (self, op) => {
      if (self.zbL < 0) throw goneError(op);
      return self;
    };
    const index = (r, op, i) => {
      if (!isSize(i) || i > r.zbL || r.zbL - i < width) {
        throw new InvalidArgumentError(`${op}(index ${String(i)}) needs ${width} bytes inside the limit ${r.zbL}; ` +
          `use an index in [0, limit - ${width}]`);
      }
    };
    slow[`read${name}`] = function (o) {
      const r = live(this, `read${name}`);
      order(`read${name}`, o);
      throw new BufferUnderflowError(`read${name} needs ${width} bytes but only ${r.zbL - r.zbP} remain ` +
        `${cursor(r.zbP, r.zbL)}; check remaining() before reading`);
    };
    slow[`write${name}`] = function (v, o) {
      const r = live(this, `write${name}`);
      value(`write${name}`, v);
      order(`write${name}`, o);
      throw new BufferOverflowError(`write${name} needs ${width} bytes but only ${r.zbL - r.zbP} remain ` +
        `${cursor(r.zbP, r.zbL)}; allocate a larger buffer or check remaining() before writing`);
    };
    slow[`get${name}`] = function (i, o) {
      const r = live(this, `get${name}`);
      index(r, `get${name}`, i);
      order(`get${name}`, o);
    };
    slow[`set${name}`] = function (i, v, o) {
      const r = live(this, `set${name}`);
      value(`set${name}`, v);
      index(r, `set${name}`, i);
      order(`set${name}`, o);
    };
  }
  return slow;
}

export class SharedLease {
  #claim;
  #memory;
  #views;

  constructor(token, memory, c) {
    if (token !== adoptToken) throw new InvalidArgumentError('SharedLease: use adoptLease(message) to make one');
    this.#memory = memory;
    this.#claim = c;
    // The fields the compiled element methods use (as on a module's handle,
    // hot.mjs). A view of a shared memory stays valid whatever the memory does.
    this.zbP = c.position;
    this.zbL = c.limit;
    this.zbV = new DataView(memory.buffer, c.data, c.capacity);
    this.zbLe = c.littleEndian ? 1 : 0;
    this.zbD = c.data;
    this.zbC = c.capacity;
    forgotten?.register(this, c, this);
  }

  #live(op) {
    if (this.zbL < 0) throw goneError(op);
    return this;
  }

  active() { return this.zbL >= 0; }
  capacity() { return this.#live('capacity').zbC; }
  baseOffset() { return this.#live('baseOffset').zbD; }
  position(n) {
    const r = this.#live('position');
    if (arguments.length === 0) return r.zbP;
    if (!isSize(n) || n > r.zbL) {
      throw new InvalidArgumentError(`position(${String(n)}) is outside [0, limit ${r.zbL}]; ` +
        'set a position between 0 and the limit');
    }
    r.zbP = n;
  }
  limit() { return this.#live('limit').zbL; }
  setLimit(n) {
    const r = this.#live('setLimit');
    if (!isSize(n) || n > r.zbC) {
      throw new InvalidArgumentError(`setLimit(${String(n)}) is outside [0, capacity ${r.zbC}]; ` +
        'set a limit between 0 and the capacity');
    }
    r.zbL = n;
    if (r.zbP > n) r.zbP = n;
  }
  remaining() { const r = this.#live('remaining'); return r.zbL - r.zbP; }
  hasRemaining() { const r = this.#live('hasRemaining'); return r.zbP < r.zbL; }
  resetForRead() { const r = this.#live('resetForRead'); r.zbL = r.zbP; r.zbP = 0; }
  resetForWrite() { const r = this.#live('resetForWrite'); r.zbP = 0; r.zbL = r.zbC; }
  isLittleEndian() { return this.#live('isLittleEndian').zbLe === 1; }

  // Views of exactly the capacity over the shared bytes (they stay valid
  // while this thread holds the lease, whatever the memory does).
  bytes() { return this.#viewsOf('bytes').bytes; }
  dataView() { return this.#viewsOf('dataView').dataView; }
  #viewsOf(op) {
    const r = this.#live(op);
    this.#views ??= { bytes: new Uint8Array(this.#memory.buffer, r.zbD, r.zbC),
      dataView: new DataView(this.#memory.buffer, r.zbD, r.zbC) };
    return this.#views;
  }

  writeBytes(array) {
    const r = this.#live('writeBytes');
    if (!(array instanceof Uint8Array || array instanceof Int8Array)) {
      throw new InvalidArgumentError('writeBytes: expected a Uint8Array or an Int8Array');
    }
    if (r.zbL - r.zbP < array.length) {
      throw new BufferOverflowError(`writeBytes needs ${array.length} bytes but only ${r.zbL - r.zbP} remain ` +
        `${cursor(r.zbP, r.zbL)}; allocate a larger buffer or check remaining() before writing`);
    }
    this.bytes().set(new Uint8Array(array.buffer, array.byteOffset, array.length), r.zbP);
    r.zbP += array.length;
  }
  // A copy (not shared) of the next n bytes.
  readByteArray(n) {
    const r = this.#live('readByteArray');
    if (!isSize(n)) throw new InvalidArgumentError(`readByteArray: ${String(n)} is not a byte count`);
    if (r.zbL - r.zbP < n) {
      throw new BufferUnderflowError(`readByteArray needs ${n} bytes but only ${r.zbL - r.zbP} remain ` +
        `${cursor(r.zbP, r.zbL)}; check remaining() before reading`);
    }
    const out = this.bytes().slice(r.zbP, r.zbP + n);
    r.zbP += n;
    return out;
  }

  // Passes the lease on (to the module thread or another worker) with its
  // cursor: the message to post. This object is empty afterwards.
  transfer() {
    const r = this.#live('transfer');
    const message = passOn(this.#memory, this.#claim, r.zbP, r.zbL);
    this.#end();
    return message;
  }
  // Gives the lease back to its pool (the module thread reclaims it at its
  // next pool call). This object is empty afterwards.
  release() {
    this.#live('release');
    giveBack(this.#claim);
    this.#end();
  }
  delete() { this.release(); }
  [dispose]() { if (this.active()) this.release(); }
  #end() {
    forgotten?.unregister(this);
    emptied(this);
    this.#views = undefined;
  }
}

const adoptToken = Symbol('adopt');

// Adopts the lease a transfer message describes, in a thread without a module
// instance: a SharedLease over the same bytes. LeaseTransferError for a
// message already adopted, stale or forged; InvalidArgumentError for
// anything that is not a transfer message.
export function adoptLease(message) {
  const c = claim('adoptLease', message);
  const { Lease } = moduleOf(tokenOf(c.words));
  return new Lease(adoptToken, message.memory, c);
}
