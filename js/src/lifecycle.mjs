// The life of a JS handle to a C++ object (buffer, lease, pool):
//  * after delete() every method, and delete() itself, throws
//    ObjectDeletedError (an InvalidArgumentError) naming the method;
//  * [Symbol.dispose]() is delete() for `using` declarations, and does nothing
//    on an object already deleted (disposal must be idempotent);
//  * clone() throws: one C++ object has exactly one handle;
//  * a handle that becomes unreachable without delete() is deleted by a
//    FinalizationRegistry and counted in zb.leaks() (with its creation stack
//    when createZonebuf({ trackLeaks: true })). This is a safety net: when it
//    runs is up to the garbage collector, so delete() (or `using`) stays the
//    way to free memory.
// Invariant: a handle is registered with the registry from its creation until
// its delete(); the registry never holds the handle itself, only its embind
// record ($$), from which a stand-in handle is made to delete the object.
import { InvalidArgumentError, ObjectDeletedError } from './errors.mjs';
import { replaceMethod } from './methods.mjs';

export const dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');

function deletedError(className, op) {
  return new ObjectDeletedError(`${op}: this ${className} was already deleted; ` +
    'make a new one (delete() ends its life, and a `using` declaration deletes it at the end of its block)');
}

export function makeLifecycle({ trackLeaks = false, onLeak } = {}) {
  const counts = { freed: 0, byClass: {} };
  // Called with every new handle (hot.mjs gives buffers their state fields at
  // once, so each class's handles keep one shape from the start).
  let prepare;
  const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((held) => {
    if (!held.$$.ptr) return;  // deleted through another handle (a clone)
    const standIn = Object.create(held.proto, { $$: { value: held.$$ } });
    try {
      standIn.delete();
    } catch {
      return;  // e.g. a lease whose pool is gone: nothing left to free
    }
    counts.freed++;
    counts.byClass[held.className] = (counts.byClass[held.className] ?? 0) + 1;
    if (held.stack && onLeak) onLeak({ className: held.className, stack: held.stack });
  }) : null;

  // Registers a handle made by embind (a creator's result) with the net.
  // `owner`: the handle it depends on (a lease's pool, a view's buffer), kept
  // reachable as long as this one is, so the net never frees it first.
  function track(handle, className, owner) {
    if (owner && handle?.$$) handle.$$.zbOwner = owner;
    prepare?.(handle);
    if (registry && handle?.$$?.ptr) {
      const held = { $$: handle.$$, proto: Object.getPrototypeOf(handle), className };
      if (trackLeaks) held.stack = new Error(`${className} created here`).stack;
      registry.register(handle, held, handle);
    }
    return handle;
  }

  // Every embind method of the class checks the handle first; delete() also
  // leaves the net; [Symbol.dispose] is added. Runs before the hot paths are
  // installed, so their slow paths (the wrapped methods) check too.
  function guardClass(cls, className) {
    const proto = cls.prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name === 'isDeleted' || typeof proto[name] !== 'function') continue;
      replaceMethod(proto, name, (raw) => function guarded(...args) {
        if (!this.$$.ptr) throw deletedError(className, name);
        return raw.apply(this, args);
      });
    }
    replaceMethod(proto, 'delete', (raw) => function () {
      if (!this.$$.ptr) throw deletedError(className, 'delete');
      registry?.unregister(this);
      return raw.call(this);
    });
    proto[dispose] = function () { if (this.$$.ptr) this.delete(); };
    // Two handles on one C++ object would each keep their own copy of the
    // buffer state (hot.mjs); the C++ objects are move-only anyway.
    proto.clone = function clone() {
      throw new InvalidArgumentError(`clone: a ${className} cannot be shared between handles (it is move-only, ` +
        'as in C++); use slice() or LinearBuffer.viewOf() for a second view of the bytes');
    };
  }

  // Wraps obj[name] so that what it returns is tracked.
  // Wraps obj[name] so that what it returns is tracked; `dependent`: it
  // depends on the object it was called on.
  function trackResults(obj, name, className, dependent = false) {
    replaceMethod(obj, name, (raw) => function (...args) {
      return track(raw.apply(this, args), className, dependent ? this : undefined);
    });
  }

  const prepareHandles = (f) => { prepare = f; };
  return { track, guardClass, trackResults, prepareHandles, leaks: () => structuredClone(counts), deletedError };
}
