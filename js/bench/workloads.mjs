// The JS interop workloads, each a { name, group, zone, items, bytes, run,
// dispose } record: `items` values (or `bytes` bytes) are processed per
// run(). Groups share a baseline measured in the same run: pure JS on an
// ArrayBuffer, so every figure can be reported as a ratio to it.
const INTS_PER_KIB = 256;

function dataViewReader(view, count) {
  return () => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += view.getInt32(i * 4, false);
    return sum;
  };
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
    items: 2 * INTS_PER_KIB, run: () => {
      for (let i = 0; i < INTS_PER_KIB; i++) plain.setInt32(i * 4, i, false);
      let s = 0;
      for (let i = 0; i < INTS_PER_KIB; i++) s += plain.getInt32(i * 4, false);
      return s;
    } });
  const jsSrc = new Uint8Array(1024).fill(7);
  const jsDst = new Uint8Array(1024);
  out.push({ name: 'JS Uint8Array.set 1 KiB', group: 'copies', zone: 'JS', baseline: true, items: 1, bytes: 1024,
    run: () => jsDst.set(jsSrc) });
  const owned = [];
  for (const zoneName of ['Heap', 'Direct', 'SharedMemory']) {
    const zone = zb.AllocationZone[zoneName];
    const buf = zb.PlatformBuffer.allocate(1024, zone);
    const src = zb.PlatformBuffer.allocate(1024, zone);
    owned.push(buf, src);
    out.push({ name: 'zonebuf writeInt/readInt (embind call each)', group: 'primitives', zone: zoneName,
      items: 2 * INTS_PER_KIB, run: () => {
        buf.resetForWrite();
        for (let i = 0; i < INTS_PER_KIB; i++) buf.writeInt(i);
        buf.resetForRead();
        let s = 0;
        for (let i = 0; i < INTS_PER_KIB; i++) s += buf.readInt();
        return s;
      } });
    const view = buf.dataView();
    out.push({ name: 'DataView over zonebuf buffer (zero-copy)', group: 'primitives', zone: zoneName,
      items: 2 * INTS_PER_KIB, run: () => {
        for (let i = 0; i < INTS_PER_KIB; i++) view.setInt32(i * 4, i, false);
        let s = 0;
        for (let i = 0; i < INTS_PER_KIB; i++) s += view.getInt32(i * 4, false);
        return s;
      } });
    out.push({ name: 'zonebuf write(src) 1 KiB buffer-to-buffer', group: 'copies', zone: zoneName, items: 1,
      bytes: 1024, run: () => { src.resetForWrite(); buf.resetForWrite(); buf.write(src); } });
    out.push({ name: 'zonebuf writeFromJsArray 1 KiB', group: 'copies', zone: zoneName, items: 1, bytes: 1024,
      run: () => { buf.resetForWrite(); buf.writeFromJsArray(jsSrc, 0, 1024); } });
  }
  const dispose = () => { for (const b of owned) if (!b.isDeleted()) b.delete(); };
  return out.map((w) => ({ ...w, dispose }));
}

// Measures every workload in `rounds` round-robin passes and keeps each one's
// best pass (so JIT warm-up and the order of runs bias no workload), then adds
// items/bytes per second and the ratio to its group's baseline.
export function runWorkloads(workloads, measure, { rounds = 3, ...options } = {}) {
  const best = workloads.map(() => null);
  for (let round = 0; round < rounds; round++) {
    workloads.forEach((w, i) => {
      const m = measure(w.run, options);
      if (!best[i] || m.callsPerSecond > best[i].callsPerSecond) best[i] = m;
    });
  }
  const results = workloads.map((w, i) => ({
    ...w, itemsPerSecond: best[i].callsPerSecond * w.items,
    bytesPerSecond: w.bytes ? best[i].callsPerSecond * w.bytes : undefined, iterations: best[i].calls, ms: best[i].ms,
  }));
  for (const r of results) {
    const base = results.find((b) => b.baseline && b.group === r.group);
    r.ratioToBaseline = base ? r.itemsPerSecond / base.itemsPerSecond : undefined;
  }
  for (const w of workloads) w.dispose?.();
  return results;
}
