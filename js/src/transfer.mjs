// The JS half of handing a lease to another thread (threaded package only;
// the C++ half and the slot states are in js/bindings/lease_transfer.cpp).
// A transfer message is a plain object that postMessage copies:
//   { memory, table, slot, check, offset, capacity }
// memory: the module's shared WebAssembly.Memory; table: the byte address of
// the slot table in it; slot and check: which lease, and the check value
// that proves the message is the current one; offset and capacity: the
// lease's bytes, memory[offset, offset + capacity).
// Invariant: every state change here is one Atomics.compareExchange that
// expects the message's check value, so a stale, forged or repeated message
// fails before anything changes.
import { InvalidArgumentError, LeaseTransferError } from './errors.mjs';

// As in lease_transfer.cpp (Free is 0).
const SENT = 1, ADOPTED = 2, RETURNED = 3;
const TAG = 0, DATA = 1, CAPACITY = 2, POSITION = 3, LIMIT = 4, LITTLE_ENDIAN = 5;
const RETURNED_COUNT = 0, LAST_CHECK = 1, MAGIC = 2, SLOTS = 3, TOKEN = 4;
export const TABLE_MAGIC = 0x7a627472;  // 'zbtr', the table's header word MAGIC
const HEADER_WORDS = 8, SLOT_WORDS = 8;

const tagOf = (check, state) => ((check << 2) | state) >>> 0;

// The table's words, for the owner (from C++'s layout) and for a worker (from a message).
export function tableWords(memory, address) {
  const header = new Uint32Array(memory.buffer, address, HEADER_WORDS);
  if (Atomics.load(header, MAGIC) !== TABLE_MAGIC) return undefined;
  return new Uint32Array(memory.buffer, address, HEADER_WORDS + Atomics.load(header, SLOTS) * SLOT_WORDS);
}

const isShared = (memory) => memory instanceof WebAssembly.Memory && typeof SharedArrayBuffer === 'function' &&
  memory.buffer instanceof SharedArrayBuffer;
const isU32 = (n) => (n >>> 0) === n;

function notAMessage(op, why) {
  return new InvalidArgumentError(`${op}: expected a lease transfer message (what transfer() returns, passed ` +
    `through postMessage), but ${why}`);
}

// The words of msg's table and the index of its slot's first word; throws
// InvalidArgumentError for anything that is not a transfer message.
function locate(op, msg) {
  if (typeof msg !== 'object' || msg === null) throw notAMessage(op, `got ${msg === null ? 'null' : typeof msg}`);
  if (!isShared(msg.memory)) throw notAMessage(op, 'its memory is not a shared WebAssembly.Memory');
  for (const field of ['table', 'slot', 'check', 'offset', 'capacity']) {
    if (!isU32(msg[field])) throw notAMessage(op, `its ${field} is not an unsigned 32-bit integer`);
  }
  let words;
  try {
    words = msg.table % 4 === 0 ? tableWords(msg.memory, msg.table) : undefined;
  } catch {
    words = undefined;  // out of the memory's range
  }
  if (words === undefined) throw notAMessage(op, `there is no lease table at address ${msg.table}`);
  const slots = (words.length - HEADER_WORDS) / SLOT_WORDS;
  if (msg.slot >= slots) throw notAMessage(op, `its slot ${msg.slot} is not below the table's ${slots} slots`);
  return { words, at: HEADER_WORDS + msg.slot * SLOT_WORDS };
}

// Why the tag is not the one msg expects, as the typed error.
function mismatch(op, msg, tag) {
  const sameCheck = tag >>> 2 === msg.check;
  const state = tag & 3;
  if (sameCheck && state === ADOPTED) {
    return new LeaseTransferError(`${op}: this lease was already adopted (a transfer message is good for one ` +
      'adoption); post the message to one thread only');
  }
  if (sameCheck && state === RETURNED) {
    return new LeaseTransferError(`${op}: this lease was already released by the thread that adopted it`);
  }
  return new LeaseTransferError(`${op}: the message is stale or forged: slot ${msg.slot} does not hold the lease ` +
    'it describes with this check value (it was adopted and passed on or released, or never sent); use the ' +
    'message of the latest transfer()');
}

// The token of the module that owns the table (the owner writes it once).
export const tokenOf = (words) => Atomics.load(words, TOKEN);
export function setToken(words) {
  const token = new Uint32Array(1);
  do crypto.getRandomValues(token); while (token[0] === 0);
  Atomics.store(words, TOKEN, token[0]);
  return token[0];
}

// The table of a message and its owner's token (InvalidArgumentError if it is not a message).
export function tableOf(op, msg) {
  const { words } = locate(op, msg);
  return { words, token: tokenOf(words) };
}

// Adopts msg's lease: { words, at, check, data, capacity, position, limit,
// littleEndian }, the slot now Adopted by the caller.
export function claim(op, msg) {
  const { words, at } = locate(op, msg);
  const sent = tagOf(msg.check, SENT), adopted = tagOf(msg.check, ADOPTED);
  const tag = msg.check === 0 || msg.check > 0x3fffffff ? -1 : Atomics.compareExchange(words, at + TAG, sent, adopted);
  if (tag !== sent) throw mismatch(op, msg, tag);
  const data = Atomics.load(words, at + DATA), capacity = Atomics.load(words, at + CAPACITY);
  if (data !== msg.offset || capacity !== msg.capacity) {
    Atomics.store(words, at + TAG, sent);  // it stays the true message's
    throw new LeaseTransferError(`${op}: the message is forged: slot ${msg.slot} holds ${capacity} bytes at ` +
      `${data}, not ${msg.capacity} at ${msg.offset}`);
  }
  return {
    words, at, check: msg.check, data, capacity,
    position: Atomics.load(words, at + POSITION),
    limit: Atomics.load(words, at + LIMIT),
    littleEndian: Atomics.load(words, at + LITTLE_ENDIAN) === 1,
  };
}

// The message of a lease the owner just parked in `slot`.
export function sentMessage(memory, words, address, slot) {
  const at = HEADER_WORDS + slot * SLOT_WORDS;
  return {
    memory, table: address, slot, check: Atomics.load(words, at + TAG) >>> 2,
    offset: Atomics.load(words, at + DATA), capacity: Atomics.load(words, at + CAPACITY),
  };
}

// An adopter passes its lease on (c: what claim returned; the cursor as it
// is now): the new message; c's check is no longer valid.
export function passOn(memory, c, position, limit) {
  Atomics.store(c.words, c.at + POSITION, position);
  Atomics.store(c.words, c.at + LIMIT, limit);
  let check;
  do check = (Atomics.add(c.words, LAST_CHECK, 1) + 1) & 0x3fffffff; while (check === 0);  // as nextCheck() in C++
  const was = Atomics.compareExchange(c.words, c.at + TAG, tagOf(c.check, ADOPTED), tagOf(check, SENT));
  if (was !== tagOf(c.check, ADOPTED)) throw new LeaseTransferError('transfer: this thread no longer holds the lease');
  const table = c.words.byteOffset;
  return { memory, table, slot: (c.at - HEADER_WORDS) / SLOT_WORDS, check, offset: c.data, capacity: c.capacity };
}

// An adopter gives the lease back to its pool; the owner thread's next pool
// call (or transfer) reclaims it.
export function giveBack(c) {
  const was = Atomics.compareExchange(c.words, c.at + TAG, tagOf(c.check, ADOPTED), tagOf(c.check, RETURNED));
  if (was !== tagOf(c.check, ADOPTED)) throw new LeaseTransferError('release: this thread no longer holds the lease');
  Atomics.add(c.words, RETURNED_COUNT, 1);
}

export const returnedCount = (words) => Atomics.load(words, RETURNED_COUNT);
export { isShared };
