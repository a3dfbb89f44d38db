// Strings per WHATWG, checked against Node's own TextEncoder/TextDecoder on
// generated inputs that include lone surrogates and ill-formed bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadZonebuf, throwsZb } from './load.mjs';

const zb = await loadZonebuf();
const { Charset, TextPolicy } = zb;

// A small deterministic PRNG (xorshift32), so failures reproduce.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
}
// Code units drawn from every class that matters: ASCII, 2- and 3-byte BMP,
// high and low surrogates alone, and valid pairs.
const UNITS = [() => 0x41, () => 0x7f, () => 0xe9, () => 0x7ff, () => 0x4e2d, () => 0xfeff, () => 0xfffd,
  () => 0xd800, () => 0xdbff, () => 0xdc00, () => 0xdfff];
function randomString(next) {
  let s = '';
  const n = next(24);
  for (let i = 0; i < n; i++) {
    if (next(6) === 0) s += '\u{1F600}';
    else s += String.fromCharCode(UNITS[next(UNITS.length)]());
  }
  return s;
}
function firstLone(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else if ((c & 0xf800) === 0xd800) return i;
  }
  return -1;
}
function written(buf, from = 0) {
  return [...buf.bytes().subarray(from, buf.position())];
}
const utf16 = (s, little) => {
  const b = Buffer.from(s.toWellFormed(), 'utf16le');
  if (!little) b.swap16();
  return [...b];
};

test('the lone surrogates of issue 15 are U+FFFD, as TextEncoder writes them', () => {
  const buf = zb.PlatformBuffer.allocate(64, zb.AllocationZone.Direct);
  for (const [s, bytes] of [['\ud800A', [0xef, 0xbf, 0xbd, 0x41]], ['\ud83d', [0xef, 0xbf, 0xbd]],
    ['A\udc00B', [0x41, 0xef, 0xbf, 0xbd, 0x42]], ['\ud83d\ude00', [0xf0, 0x9f, 0x98, 0x80]]]) {
    buf.resetForWrite();
    assert.equal(buf.writeString(s), bytes.length);
    assert.deepEqual(written(buf), bytes, JSON.stringify(s));
    assert.deepEqual(written(buf), [...new TextEncoder().encode(s)]);
  }
  buf.delete();
});

test('writeString Lenient matches TextEncoder (UTF-8) and toWellFormed (UTF-16) on generated strings', () => {
  const next = rng(15);
  const buf = zb.PlatformBuffer.allocate(256, zb.AllocationZone.Heap);
  for (let round = 0; round < 2000; round++) {
    const s = randomString(next);
    buf.resetForWrite();
    const n = buf.writeString(s);
    assert.deepEqual(written(buf), [...new TextEncoder().encode(s)], JSON.stringify(s));
    assert.equal(n, buf.position());
    for (const [cs, little] of [[Charset.Utf16LittleEndian, true], [Charset.Utf16BigEndian, false]]) {
      buf.resetForWrite();
      assert.equal(buf.writeString(s, cs, TextPolicy.Lenient), 2 * s.length);
      assert.deepEqual(written(buf), utf16(s, little), JSON.stringify(s));
    }
  }
  buf.delete();
});

test('writeString Strict: MalformedTextError naming the UTF-16 index; nothing written', () => {
  const next = rng(7);
  const buf = zb.PlatformBuffer.allocate(256, zb.AllocationZone.Direct);
  let rejected = 0;
  for (let round = 0; round < 1000; round++) {
    const s = randomString(next);
    const lone = firstLone(s);
    for (const cs of [Charset.Utf8, Charset.Utf16BigEndian, Charset.Utf16LittleEndian]) {
      buf.resetForWrite();
      buf.writeByte(1);
      const before = [...buf.bytes()];
      if (lone < 0) {
        buf.writeString(s, cs, TextPolicy.Strict);
        continue;
      }
      rejected++;
      throwsZb(assert, () => buf.writeString(s, cs, TextPolicy.Strict), 'MalformedTextError',
        new RegExp(`^writeString: the text has a lone surrogate U\\+D[89A-F][0-9A-F]{2} at UTF-16 index ${lone},`));
      assert.equal(buf.position(), 1);
      assert.deepEqual([...buf.bytes()], before);
    }
  }
  assert.ok(rejected > 100, 'the generator makes lone surrogates');
  buf.delete();
});

test('writeString checks room before writing, at the exact boundary', () => {
  const buf = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Direct);
  buf.bytes().fill(0xaa);
  buf.writeByte(0);
  // 7 bytes of room; "中中" + "A" is 7 bytes of UTF-8 but 3 * 3 = 9 > 7 units' worth.
  assert.equal(buf.writeString('中中A'), 7);
  buf.position(1);
  const before = [...buf.bytes()];
  throwsZb(assert, () => buf.writeString('中中AB'), 'BufferOverflowError',
    /^writeString needs 8 bytes but only 7 remain \(position 1, limit 8\)/);
  throwsZb(assert, () => buf.writeString('\ud800\ud800\ud800', Charset.Utf8), 'BufferOverflowError', /needs 9 bytes/);
  throwsZb(assert, () => buf.writeString('abcd', Charset.Utf16LittleEndian), 'BufferOverflowError', /needs 8 bytes/);
  assert.equal(buf.position(), 1);
  assert.deepEqual([...buf.bytes()], before);
  throwsZb(assert, () => buf.writeString(42), 'InvalidArgumentError', /^writeString: expected a string, got a number/);
  throwsZb(assert, () => buf.writeString('a', 0), 'InvalidArgumentError', /expected a zb.Charset value/);
  throwsZb(assert, () => buf.writeString('a', Charset.Utf8, 'strict'), 'InvalidArgumentError', /zb.TextPolicy/);
  buf.delete();
});

test('Ascii and Latin1: one ? per unrepresentable code point; Strict names the UTF-16 index', () => {
  const buf = zb.PlatformBuffer.allocate(32, zb.AllocationZone.Heap);
  assert.equal(buf.writeString('a\u00e9\u{1F600}\ud800b', Charset.Ascii), 5);
  assert.deepEqual(written(buf), [0x61, 0x3f, 0x3f, 0x3f, 0x62]);
  buf.resetForWrite();
  assert.equal(buf.writeString('a\u00e9\u{1F600}\u4e2d', Charset.Latin1), 4);
  assert.deepEqual(written(buf), [0x61, 0xe9, 0x3f, 0x3f]);
  buf.resetForWrite();
  throwsZb(assert, () => buf.writeString('ab\u00e9', Charset.Ascii, TextPolicy.Strict), 'MalformedTextError',
    /^writeString: cannot encode U\+00E9 \(at UTF-16 index 2 of the text\) as US-ASCII/);
  throwsZb(assert, () => buf.writeString('\u{1F600}', Charset.Latin1, TextPolicy.Strict), 'MalformedTextError',
    /cannot encode U\+1F600 \(at UTF-16 index 0 of the text\) as ISO-8859-1/);
  throwsZb(assert, () => buf.writeString('a\udc00', Charset.Latin1, TextPolicy.Strict), 'MalformedTextError',
    /lone surrogate U\+DC00 at UTF-16 index 1/);
  assert.equal(buf.position(), 0);
  buf.delete();
});

function randomBytes(next) {
  const n = next(20);
  const out = new Uint8Array(n);
  const interesting = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0xf5,
    0xff, 0xd8, 0xdc, 0xfe, 0x9f, 0xa0];
  for (let i = 0; i < n; i++) out[i] = next(3) === 0 ? next(256) : interesting[next(interesting.length)];
  return out;
}

test('readString equals TextDecoder (ignoreBOM: true) for UTF-8 and UTF-16, fatal or not', () => {
  const next = rng(99);
  const buf = zb.PlatformBuffer.allocate(64, zb.AllocationZone.Direct);
  const cases = [[Charset.Utf8, 'utf-8'], [Charset.Utf16LittleEndian, 'utf-16le'], [Charset.Utf16BigEndian, 'utf-16be']];
  let malformed = 0;
  for (let round = 0; round < 3000; round++) {
    const bytes = randomBytes(next);
    for (const [cs, label] of cases) {
      buf.resetForWrite();
      buf.writeBytes(bytes);
      buf.resetForRead();
      const lenient = new TextDecoder(label, { ignoreBOM: true }).decode(bytes);
      assert.equal(buf.readString(bytes.length, cs), lenient, `${label} ${[...bytes]}`);
      assert.equal(buf.position(), bytes.length);
      buf.position(0);
      let strict;
      try {
        strict = new TextDecoder(label, { ignoreBOM: true, fatal: true }).decode(bytes);
      } catch {
        malformed++;
        throwsZb(assert, () => buf.readString(bytes.length, cs, TextPolicy.Strict), 'MalformedTextError');
        assert.equal(buf.position(), 0, 'a failed read moves nothing');
        continue;
      }
      assert.equal(buf.readString(bytes.length, cs, TextPolicy.Strict), strict);
    }
  }
  assert.ok(malformed > 500, 'the generator makes ill-formed input');
  buf.delete();
});

test('a byte-order mark is data on both sides', () => {
  const buf = zb.PlatformBuffer.allocate(16, zb.AllocationZone.Heap);
  buf.writeString('\ufeffA');
  buf.writeString('\ufeffA', Charset.Utf16BigEndian);
  assert.deepEqual(written(buf), [0xef, 0xbb, 0xbf, 0x41, 0xfe, 0xff, 0x00, 0x41]);
  buf.resetForRead();
  assert.equal(buf.readString(4), '\ufeffA');
  assert.equal(buf.readString(4, Charset.Utf16BigEndian), '\ufeffA');
  buf.delete();
});

test('readString underflow and argument errors change nothing', () => {
  const buf = zb.PlatformBuffer.allocate(8, zb.AllocationZone.Direct);
  buf.writeString('abc');
  buf.resetForRead();
  throwsZb(assert, () => buf.readString(4), 'BufferUnderflowError', /^readString needs 4 bytes but only 3 remain/);
  throwsZb(assert, () => buf.readString(4, Charset.Utf16LittleEndian), 'BufferUnderflowError', /^readString needs 4/);
  throwsZb(assert, () => buf.readString(1.5), 'InvalidArgumentError', /byteCount 1.5/);
  throwsZb(assert, () => buf.readString(1, 'utf8'), 'InvalidArgumentError', /zb.Charset/);
  assert.equal(buf.position(), 0);
  assert.equal(buf.readString(3, Charset.Latin1), 'abc');
  buf.delete();
});
