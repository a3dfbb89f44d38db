// The JS interop workloads, each a { name, group, zone, items, bytes, run,
// arg, dispose } record: `items` values (or `bytes` bytes) are processed per
// run(arg) (`arg`: the buffer or DataView the loop works on, a parameter as
// in a user's function; see measure.mjs). Groups share a baseline measured in the same run: pure JS on an
// ArrayBuffer, so every figure can be reported as a ratio to it.
const INTS_PER_KIB = 256;

function dataViewReader(view, count) {
  return () => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += view.getInt32(i * 4, false);
    return sum;
  };
}

// W1: writeInt x256, resetForRead, readInt x256 on a 1 KiB buffer, and the
// same loop on a DataView.
function w1Loop(buf) {
  buf.resetForWrite();
  for (let i = 0; i < INTS_PER_KIB; i++) buf.writeInt(i);
  buf.resetForRead();
  let s = 0;
  for (let i = 0; i < INTS_PER_KIB; i++) s += buf.readInt();
  return s;
}
function w1DataView(view) {
  let at = 0;
  for (let i = 0; i < INTS_PER_KIB; i++, at += 4) view.setInt32(at, i, false);
  let s = 0;
  for (let i = 0, p = 0; i < INTS_PER_KIB; i++, p += 4) s += view.getInt32(p, false);
  return s;
}
// W1 through a zero-copy DataView over a zonebuf buffer (the page's zones).
function w1ZeroCopy(buf) {
  return w1DataView(buf.dataView());
}

function filled(zb, size, zone) {
  const buf = zb.PlatformBuffer.allocate(size, zone);
  const view = buf.dataView();
  for (let i = 0; i < size / 4; i++) view.setInt32(i * 4, i, false);
  return buf;
}

// Reading and writing a buffer's bytes from JS (the node benchmark).
export function readWriteWorkloads(zb, size) {
  const ints = size / 4;
  const direct = filled(zb, size, zb.AllocationZone.Direct);
  const jsCopy = new Uint8Array(size);
  const copyView = new DataView(jsCopy.buffer);
  const plain = new DataView(new ArrayBuffer(size));
  for (let i = 0; i < ints; i++) plain.setInt32(i * 4, i, false);
  const source = new Uint8Array(size).map((_, i) => i);
  const target = zb.PlatformBuffer.allocate(size, zb.AllocationZone.Direct);
  const zeroCopy = dataViewReader(direct.dataView(), ints);
  const readCopied = dataViewReader(copyView, ints);
  return [
    { name: `js/read_int32/arraybuffer_dataview/${size}`, group: `read/${size}`, baseline: true, items: ints,
      bytes: size, run: dataViewReader(plain, ints) },
    { name: `js/read_int32/direct_dataview_zero_copy/${size}`, group: `read/${size}`, items: ints, bytes: size,
      run: zeroCopy },
    { name: `js/read_int32/direct_read_to_js_array_copy/${size}`, group: `read/${size}`, items: ints, bytes: size,
      run: () => { direct.resetForWrite(); direct.readToJsArray(jsCopy, 0, size); return readCopied(); } },
    { name: `js/copy_bytes/uint8array_set/${size}`, group: `write/${size}`, baseline: true, items: 1, bytes: size,
      run: () => jsCopy.set(source) },
    { name: `js/copy_bytes/direct_write_from_js_array/${size}`, group: `write/${size}`, items: 1, bytes: size,
      run: () => { target.resetForWrite(); target.writeFromJsArray(source, 0, size); } },
  ].map((w) => ({ ...w, dispose: () => { direct.isDeleted() || direct.delete(); target.isDeleted() || target.delete(); } }));
}

// Per-zone primitive and copy workloads (the example page): embind calls,
// a zero-copy DataView over the zone's buffer, and JS baselines.
export function zoneWorkloads(zb) {
  const out = [];
  const plain = new DataView(new ArrayBuffer(1024));
  out.push({ name: 'JS DataView over ArrayBuffer', group: 'primitives', zone: 'JS', baseline: true,
    items: 2 * INTS_PER_KIB, run: w1DataView, arg: plain });
  const jsSrc = new Uint8Array(1024).fill(7);
  const jsDst = new Uint8Array(1024);
  out.push({ name: 'JS Uint8Array.set 1 KiB', group: 'copies', zone: 'JS', baseline: true, items: 1, bytes: 1024,
    run: () => jsDst.set(jsSrc) });
  const owned = [];
  // Every buffer first: an allocation may grow memory, which detaches the
  // DataViews made before it.
  const zones = ['Heap', 'Direct', 'SharedMemory'].map((zoneName) => {
    const zone = zb.AllocationZone[zoneName];
    const pair = { zoneName, buf: zb.PlatformBuffer.allocate(1024, zone), src: zb.PlatformBuffer.allocate(1024, zone) };
    owned.push(pair.buf, pair.src);
    return pair;
  });
  for (const { zoneName, buf, src } of zones) {
    out.push({ name: 'zonebuf writeInt/readInt (W1)', group: 'primitives', zone: zoneName,
      items: 2 * INTS_PER_KIB, run: w1Loop, arg: buf });
    out.push({ name: 'DataView over zonebuf buffer (zero-copy)', group: 'primitives', zone: zoneName,
      items: 2 * INTS_PER_KIB, run: w1ZeroCopy, arg: buf });
    out.push({ name: 'zonebuf write(src) 1 KiB buffer-to-buffer', group: 'copies', zone: zoneName, items: 1,
      bytes: 1024, run: () => { src.resetForWrite(); buf.resetForWrite(); buf.write(src); } });
    out.push({ name: 'zonebuf writeFromJsArray 1 KiB', group: 'copies', zone: zoneName, items: 1, bytes: 1024,
      run: () => { buf.resetForWrite(); buf.writeFromJsArray(jsSrc, 0, 1024); } });
  }
  const dispose = () => { for (const b of owned) if (!b.isDeleted()) b.delete(); };
  return out.map((w) => ({ ...w, dispose }));
}

// Measures every workload in `slices` short slices, each right after a slice
// of its group's baseline, so that both sample the same stretch of a shared,
// noisy machine (measuring each once for long, apart, let a burst of load on
// one of them swing a ratio by 2x). A figure is the median of its slices (a
// baseline's: of all its slices in the group); each slice runs for
// minMs / 4. Then adds items/bytes per second and the ratio to the baseline.
export function runWorkloads(workloads, measure, { slices = 12, minMs = 200, ...options } = {}) {
  const samples = workloads.map(() => []);
  const sliceOptions = { ...options, minMs: minMs / 4, warmupMs: 0 };
  const sample = (i) => {
    const last = samples[i].at(-1);
    samples[i].push(measure(workloads[i].run, { ...sliceOptions, batch: last ? last.calls : 1, arg: workloads[i].arg }));
  };
  workloads.forEach((w, i) => {
    measure(w.run, { ...options, minMs: 0, arg: w.arg });  // warm-up (measure's own)
    const base = w.baseline ? -1 : workloads.findIndex((b) => b.baseline && b.group === w.group);
    for (let k = 0; k < slices; k++) {
      if (base >= 0) sample(base);
      sample(i);
    }
  });
  const median = (xs) => {
    const sorted = [...xs].sort((x, y) => x.callsPerSecond - y.callsPerSecond);
    return sorted[sorted.length >> 1];
  };
  const results = workloads.map((w, i) => {
    const m = median(samples[i]);
    return { ...w, itemsPerSecond: m.callsPerSecond * w.items,
      bytesPerSecond: w.bytes ? m.callsPerSecond * w.bytes : undefined, iterations: m.calls, ms: m.ms };
  });
  for (const r of results) {
    const base = results.find((b) => b.baseline && b.group === r.group);
    r.ratioToBaseline = base ? r.itemsPerSecond / base.itemsPerSecond : undefined;
  }
  for (const w of workloads) w.dispose?.();
  return results;
}

// The hot paths of issue 15 at 1 KiB, each beside its pure-JS baseline (same
// work on an ArrayBuffer, or the Web API the method stands for).
export function hotPathWorkloads(zb) {
  const size = 1024;
  const buf = zb.PlatformBuffer.allocate(size, zb.AllocationZone.Direct);
  const src = zb.PlatformBuffer.allocate(size, zb.AllocationZone.Direct);
  const plain = new DataView(new ArrayBuffer(size));
  const plainBytes = new Uint8Array(plain.buffer);
  const js = new Uint8Array(size).map((_, i) => i);
  const jsOut = new Uint8Array(size);
  // A record of u8, u16, i32, i64 (BigInt), f64, i32 = 27 bytes; 37 records fill 999 bytes.
  const RECORDS = 37;
  const record = (buf) => {
    buf.resetForWrite();
    for (let i = 0; i < RECORDS; i++) {
      buf.writeUnsignedByte(i); buf.writeUnsignedShort(i); buf.writeInt(-i);
      buf.writeLong(BigInt(i)); buf.writeDouble(i / 3); buf.writeInt(i);
    }
    buf.resetForRead();
    let s = 0;
    for (let i = 0; i < RECORDS; i++) {
      s += buf.readUnsignedByte() + buf.readUnsignedShort() + buf.readInt();
      s += Number(buf.readLong()) + buf.readDouble() + buf.readInt();
    }
    return s;
  };
  const recordDataView = (plain) => {
    let at = 0;
    for (let i = 0; i < RECORDS; i++) {
      plain.setUint8(at, i); plain.setUint16(at + 1, i); plain.setInt32(at + 3, -i);
      plain.setBigInt64(at + 7, BigInt(i)); plain.setFloat64(at + 15, i / 3); plain.setInt32(at + 23, i);
      at += 27;
    }
    let s = 0;
    for (let i = 0, p = 0; i < RECORDS; i++, p += 27) {
      s += plain.getUint8(p) + plain.getUint16(p + 1) + plain.getInt32(p + 3);
      s += Number(plain.getBigInt64(p + 7)) + plain.getFloat64(p + 15) + plain.getInt32(p + 23);
    }
    return s;
  };
  // A summing loop of its own code (and type feedback) per workload, as each
  // user's loop has: one shared by a view of an ArrayBuffer and one of the
  // module's memory was polymorphic, and fast for whichever tiered up first.
  const ownCode = (name, body) => new Function('a', `// ${name}\n${body}`);
  const sumInts = (name) => ownCode(name, `let s = 0;
    for (let i = 0; i < ${size}; i += 4) s += a.getInt32(i, false);
    return s;`);
  const sumBytes = (name) => ownCode(name, `let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;`);
  const [sumPlainInts, sumViewInts] = [sumInts('arraybuffer'), sumInts('dataView')];
  const [sumPlainBytes, sumZonebufBytes] = [sumBytes('arraybuffer'), sumBytes('bytes')];
  const text = (unit) => unit.repeat(size / new TextEncoder().encode(unit).length);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const out = [
    { name: 'js/w1/arraybuffer_dataview/1024', group: 'w1', baseline: true, items: 512, run: w1DataView,
      arg: plain },
    { name: 'js/w1/zonebuf/1024', group: 'w1', items: 512, run: w1Loop, arg: buf },
    { name: 'js/record/arraybuffer_dataview/1024', group: 'record', baseline: true, items: 12 * RECORDS,
      run: recordDataView, arg: plain },
    { name: 'js/record/zonebuf/1024', group: 'record', items: 12 * RECORDS, run: record, arg: buf },
    { name: 'js/copy/uint8array_set/1024', group: 'copy', baseline: true, items: 1, bytes: size,
      run: () => jsOut.set(js) },
    { name: 'js/copy/write_src/1024', group: 'copy', items: 1, bytes: size,
      run: () => { src.resetForWrite(); buf.resetForWrite(); buf.write(src); } },
    { name: 'js/copy/write_from_js_array/1024', group: 'copy', items: 1, bytes: size,
      run: () => { buf.resetForWrite(); buf.writeFromJsArray(js, 0, size); } },
    { name: 'js/copy/read_to_js_array/1024', group: 'copy', items: 1, bytes: size,
      run: () => { buf.resetForWrite(); buf.readToJsArray(jsOut, 0, size); } },
    { name: 'js/view/arraybuffer_dataview/1024', group: 'view', baseline: true, items: 256, bytes: size,
      run: () => sumPlainInts(new DataView(plain.buffer)) },
    { name: 'js/view/dataview/1024', group: 'view', items: 256, bytes: size, run: () => sumViewInts(buf.dataView()) },
    { name: 'js/bytes/arraybuffer_uint8array/1024', group: 'bytes', baseline: true, items: size, bytes: size,
      run: () => sumPlainBytes(new Uint8Array(plainBytes.buffer)) },
    { name: 'js/bytes/bytes/1024', group: 'bytes', items: size, bytes: size, run: () => sumZonebufBytes(buf.bytes()) },
  ];
  for (const [script, unit] of [['ascii', 'a'], ['cjk', '中']]) {
    const s = text(unit);
    const encoded = encoder.encode(s);
    const target = new Uint8Array(size);
    out.push(
      { name: `js/text/write/text_encoder_encode_into/${script}/1024`, group: `write/${script}`, baseline: true,
        items: 1, bytes: size, run: () => encoder.encodeInto(s, target) },
      { name: `js/text/write/zonebuf/${script}/1024`, group: `write/${script}`, items: 1, bytes: size,
        run: () => { buf.resetForWrite(); return buf.writeString(s); } },
      { name: `js/text/read/text_decoder_decode/${script}/1024`, group: `read/${script}`, baseline: true,
        items: 1, bytes: size, run: () => decoder.decode(encoded) },
      { name: `js/text/read/zonebuf/${script}/1024`, group: `read/${script}`, items: 1, bytes: size,
        run: () => { buf.resetForWrite(); buf.writeFromJsArray(encoded, 0, encoded.length); buf.resetForRead();
          return buf.readString(encoded.length); } },
    );
  }
  // zone: for the page's table and chart (the buffers are Direct).
  return out.map((w) => ({ ...w, zone: w.baseline ? 'JS' : 'Direct',
    dispose: () => { for (const b of [buf, src]) if (!b.isDeleted()) b.delete(); } }));
}
