// The JS error types. C++ errors cross the embind boundary as instances of
// these (js/bindings/js_error.cpp), carrying the C++ type's name and message;
// argument checks done in JS throw them too.
export class ZonebufError extends Error {
  get name() { return 'ZonebufError'; }
}

// A subclass whose `name` (on instances and on the class) is the C++ type name.
function errorType(name, base = ZonebufError) {
  const type = class extends base {};
  Object.defineProperty(type, 'name', { value: name });
  Object.defineProperty(type.prototype, 'name', { get: () => name });
  return type;
}

export const BufferUnderflowError = errorType('BufferUnderflowError');
export const BufferOverflowError = errorType('BufferOverflowError');
export const InvalidArgumentError = errorType('InvalidArgumentError');
export const OutOfMemoryError = errorType('OutOfMemoryError');
export const MalformedTextError = errorType('MalformedTextError');
// A view of a buffer whose owner (or pool lease) was released.
export const StaleViewError = errorType('StaleViewError');
// JS only: a method called on a handle after its delete() (C++ has no such
// state to reach).
export const ObjectDeletedError = errorType('ObjectDeletedError', InvalidArgumentError);
// JS only: a lease transfer message that is not the current one (adopted
// twice, stale, forged), or a SharedLease used after it was passed on.
export const LeaseTransferError = errorType('LeaseTransferError', InvalidArgumentError);

export const errorTypes = {
  ZonebufError, BufferUnderflowError, BufferOverflowError, InvalidArgumentError, OutOfMemoryError,
  MalformedTextError, StaleViewError, ObjectDeletedError, LeaseTransferError,
};

// Called from C++ with the type name and message of the caught exception.
export function makeError(name, message) {
  const Type = Object.hasOwn(errorTypes, name) ? errorTypes[name] : ZonebufError;
  return new Type(message);
}
