// JS strings into bytes, per WHATWG: a JS string is UTF-16 code units and may
// hold lone surrogates, which no charset can encode.
//   Lenient: a lone surrogate is U+FFFD, so UTF-8 output is exactly
//     TextEncoder's and UTF-16 output is exactly that of s.toWellFormed();
//     Ascii/Latin1 write '?' for each code point they cannot represent (a
//     surrogate pair is one code point, so one '?').
//   Strict: MalformedTextError naming the UTF-16 index of the first lone
//     surrogate (or of the first unrepresentable code point).
// The functions here only read the string and write where they are told:
// callers check room first (encodedLength, or encodeUtf8's own check) so a
// failed write changes nothing.
import { MalformedTextError } from './errors.mjs';

export const UTF8 = 0, UTF16BE = 1, UTF16LE = 2, ASCII = 3, LATIN1 = 4;
const CHARSET_NAMES = ['UTF-8', 'UTF-16BE', 'UTF-16LE', 'US-ASCII', 'ISO-8859-1'];
const encoder = new TextEncoder();

const isHigh = (c) => (c & 0xfc00) === 0xd800;
const isLow = (c) => (c & 0xfc00) === 0xdc00;
const hex = (c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

// The UTF-16 index of the first lone surrogate in s, or -1.
export function loneSurrogateIndex(s) {
  if (s.isWellFormed?.() === true) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c & 0xf800) !== 0xd800) continue;
    if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) i++;
    else return i;
  }
  return -1;
}

function throwLoneSurrogate(op, s, i) {
  throw new MalformedTextError(`${op}: the text has a lone surrogate ${hex(s.charCodeAt(i))} at UTF-16 index ${i}, ` +
    'which no charset can encode; pass TextPolicy.Lenient to write U+FFFD for it (as TextEncoder does), ' +
    'or repair the text first (String.prototype.toWellFormed)');
}

// Strict checks that do not depend on the room in the buffer.
export function checkStrict(op, s, charset) {
  const lone = loneSurrogateIndex(s);
  if (lone >= 0) throwLoneSurrogate(op, s, lone);
  if (charset !== ASCII && charset !== LATIN1) return;
  const max = charset === ASCII ? 0x7f : 0xff;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) <= max) continue;
    const cp = s.codePointAt(i);
    throw new MalformedTextError(`${op}: cannot encode ${hex(cp)} (at UTF-16 index ${i} of the text) as ` +
      `${CHARSET_NAMES[charset]}, which only has U+0000..${hex(max)}; pass TextPolicy.Lenient to replace it ` +
      "with '?', or use Charset.Utf8");
  }
}

// Code points of s (surrogate pairs count once, lone surrogates once each).
function codePointCount(s) {
  let n = s.length;
  for (let i = 0; i + 1 < s.length; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) { n--; i++; }
  }
  return n;
}

// Exactly the bytes encodeInto writes for s, or 0 when it surely fits in
// `room` (UTF-8 is measured by encodeUtf8, not here).
export function encodedLength(s, charset, room) {
  switch (charset) {
    case UTF16BE: case UTF16LE: return 2 * s.length;
    default: return s.length <= room ? 0 : codePointCount(s);
  }
}

// UTF-8 into u8[at, at + room): the bytes written, or minus the bytes needed
// when they do not fit (then nothing was written). A text that may not fit
// is encoded into a scratch array first: TextEncoder there, one copy after,
// is faster than measuring in JS. So is every text when u8 is over a shared
// memory (`shared`): browsers refuse to encode into a SharedArrayBuffer.
let scratch = new Uint8Array(0);
export function encodeUtf8(s, u8, at, room, shared = false) {
  if (s.length * 3 <= room && !shared) return encoder.encodeInto(s, u8.subarray(at, at + room)).written;
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  const { written } = encoder.encodeInto(s, scratch);
  if (written > room) return -written;
  u8.set(scratch.subarray(0, written), at);
  return written;
}

// Writes s (not UTF-8) into u8/dv at `at` (room checked by the caller);
// returns the bytes written.
export function encodeInto(s, charset, u8, dv, at) {
  switch (charset) {
    case UTF16BE: case UTF16LE: return encodeUtf16(s, dv, at, charset === UTF16LE);
    default: return encodeSingleByte(s, u8, at, charset === ASCII ? 0x7f : 0xff);
  }
}

function encodeUtf16(s, dv, at, little) {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if ((c & 0xf800) === 0xd800) {
      if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
        dv.setUint16(at + 2 * i, c, little);
        c = s.charCodeAt(++i);
      } else {
        c = 0xfffd;
      }
    }
    dv.setUint16(at + 2 * i, c, little);
  }
  return 2 * s.length;
}

function encodeSingleByte(s, u8, at, max) {
  let out = at;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= max) { u8[out++] = c; continue; }
    if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) i++;
    u8[out++] = 0x3f;  // '?'
  }
  return out - at;
}

// The WHATWG decoders readString uses for UTF-8 and UTF-16: a byte-order mark
// is data (ignoreBOM), Lenient replaces (fatal: false), Strict throws.
export function makeDecoders() {
  const make = (label, fatal) => new TextDecoder(label, { ignoreBOM: true, fatal });
  const labels = ['utf-8', 'utf-16be', 'utf-16le'];
  return { lenient: labels.map((l) => make(l, false)), strict: labels.map((l) => make(l, true)) };
}
