// 64-bit values cross as BigInt: the checks embind leaves to us (its own
// range error is a plain TypeError, and it accepts no plain numbers).
import { InvalidArgumentError } from './errors.mjs';

export const INT64 = { type: 'int64', min: -(1n << 63n), max: (1n << 63n) - 1n };
export const UINT64 = { type: 'uint64', min: 0n, max: (1n << 64n) - 1n };

// Throws InvalidArgumentError unless value is a BigInt inside range.
export function checkBigInt(op, value, range) {
  if (typeof value !== 'bigint') {
    throw new InvalidArgumentError(`${op}: expected a BigInt (64-bit values cross as BigInt), got a ` +
      `${typeof value}; pass e.g. 42n or BigInt(x)`);
  }
  if (value < range.min || value > range.max) {
    throw new InvalidArgumentError(`${op}: value ${value} is outside the ${range.type} range ` +
      `[${range.min}, ${range.max}]; values are never truncated`);
  }
}
