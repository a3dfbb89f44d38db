// The JS side of the buffer conveniences (js/bindings/buffer_conveniences.hpp;
// docs/stream.md): text crosses as UTF-8 bytes both ways (JS strings never go
// through embind's string marshalling, see text.mjs), 64-bit arguments are
// checked as BigInt and unsigned 64-bit results get their sign fixed, and a
// buffer passed as an argument is checked for deletion before C++ converts it
// (hot.mjs syncs its cursor around the call like any argument).
import { INT64, UINT64, checkBigInt } from './bigint.mjs';
import { InvalidArgumentError, ObjectDeletedError } from './errors.mjs';
import { replaceMethod } from './methods.mjs';
import { checkStrict, UTF8 } from './text.mjs';

const encoder = new TextEncoder();
// Exactly the bytes' text: C++ hands out well-formed UTF-8, and a byte-order
// mark in it is data.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
export const utf8Text = (bytes) => (bytes === null ? null : decoder.decode(bytes));
export const utf8Bytes = (text) => encoder.encode(text);

// ObjectDeletedError for a deleted handle among the arguments of op.
export function checkLiveArgs(op, args) {
  for (const a of args) {
    if (a?.$$ !== undefined && !a.$$.ptr) {
      throw new ObjectDeletedError(`${op}: the ${a.constructor?.name ?? 'object'} passed to it was already ` +
        'deleted; pass a live one');
    }
  }
}

// A plain array of byte values as a Uint8Array; InvalidArgumentError for an
// element that is not an integer in [0, 255] (nothing is truncated).
export function bytesOfArray(op, array) {
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if ((v & 0xff) !== v) {
      throw new InvalidArgumentError(`${op}: element ${i} of the array (${String(v)}) is not a byte, an integer ` +
        'in [0, 255]; pass a Uint8Array for raw bytes');
    }
  }
  return Uint8Array.from(array);
}

const unsigned64 = (raw) => function (...args) { return BigInt.asUintN(64, raw.apply(this, args)); };
const checked64 = (op, range) => (raw) => function (v, ...rest) {
  checkBigInt(op, v, range);
  return raw.call(this, v, ...rest);
};

// protos: the prototypes of the buffer classes with their own methods.
export function installConveniences(zb, protos) {
  const { TextPolicy } = zb;
  for (const proto of protos) {
    replaceMethod(proto, 'indexOf', (raw) => function indexOf(needle) {
      return raw.call(this, typeof needle === 'string' ? encoder.encode(needle) : needle);
    });
    for (const name of ['mismatch', 'contentEquals', 'compareTo']) {
      replaceMethod(proto, name, (raw) => function (other) {
        checkLiveArgs(name, [other]);
        return raw.call(this, other);
      });
    }
    for (const name of ['hash', 'readUnsignedNumber', 'readVarUInt']) replaceMethod(proto, name, unsigned64);
    replaceMethod(proto, 'writeVarUInt', checked64('writeVarUInt', UINT64));
    replaceMethod(proto, 'writeVarInt', checked64('writeVarInt', INT64));
    replaceMethod(proto, 'writeUnsignedNumber', checked64('writeUnsignedNumber', UINT64));
    replaceMethod(proto, 'writeSignedNumber', checked64('writeSignedNumber', INT64));
    replaceMethod(proto, 'readLine', (raw) => function readLine(policy) {
      return utf8Text(raw.call(this, policy));
    });
    replaceMethod(proto, 'readLengthPrefixedString', (raw) => function readLengthPrefixedString(policy) {
      return utf8Text(raw.call(this, policy));
    });
    // Strict rejects a lone surrogate as writeString does; Lenient writes
    // U+FFFD for it (TextEncoder). C++ checks the length and the room.
    replaceMethod(proto, 'writeLengthPrefixedString', (raw) => function writeLengthPrefixedString(text, policy) {
      if (typeof text !== 'string') {
        throw new InvalidArgumentError(`writeLengthPrefixedString: expected a string, got a ${typeof text}`);
      }
      if (policy === TextPolicy.Strict) checkStrict('writeLengthPrefixedString', text, UTF8);
      return raw.call(this, encoder.encode(text), policy);
    });
  }
  replaceMethod(zb.PlatformBuffer, 'varUIntSize', checked64('varUIntSize', UINT64));
}
