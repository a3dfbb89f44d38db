// The example page: runs the README's interop example, then the per-zone
// benchmark and the hot-path workloads (../bench/workloads.mjs), and shows
// them as a table and a chart.
// Served by serve.mjs, which maps /pkg/ to the built package.
import createZonebuf from '/pkg/zonebuf.mjs';
import { measure } from '../bench/measure.mjs';
import { hotPathWorkloads, runWorkloads, zoneWorkloads } from '../bench/workloads.mjs';

const $ = (id) => document.getElementById(id);
const setState = (state, text) => { document.body.dataset.state = state; $('status').textContent = text; };
const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

function runSeedExample(zb) {
  const buf = zb.PlatformBuffer.allocate(1024, zb.AllocationZone.Direct);
  buf.writeInt(42);
  buf.writeString('Hello from WASM');
  const view = new DataView(zb.memory.buffer, buf.baseOffset(), 1024);
  const text = new TextDecoder().decode(new Uint8Array(zb.memory.buffer, buf.baseOffset() + 4, 15));
  const lines = [
    `view.getInt32(0, false) = ${view.getInt32(0, false)}`,
    `TextDecoder over bytes 4..19 = "${text}"`,
    `buf.baseOffset() = ${buf.baseOffset()} (in a ${zb.memory.buffer.byteLength / 2 ** 20} MiB linear memory)`,
  ];
  buf.delete();
  return lines.join('\n');
}

const format = (n) => n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M`
  : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);

function showTable(results) {
  const body = $('results').tBodies[0];
  body.replaceChildren(...results.map((r) => {
    const row = document.createElement('tr');
    for (const [text, cls] of [[r.name], [r.zone], [format(r.itemsPerSecond), 'num'],
      [r.ratioToBaseline.toFixed(3), 'num']]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (cls) cell.className = cls;
      row.append(cell);
    }
    return row;
  }));
}

// Horizontal bars, log scale (the figures span several orders of magnitude).
function drawChart(results) {
  const canvas = $('chart');
  const ctx = canvas.getContext('2d');
  const colors = { JS: '#7a8599', Heap: '#2f6fdb', Direct: '#14a37f', SharedMemory: '#c7761c' };
  const left = 420;
  const barHeight = Math.floor((canvas.height - 40) / results.length) - 4;
  const max = Math.log10(Math.max(...results.map((r) => r.itemsPerSecond)));
  const min = Math.floor(Math.log10(Math.min(...results.map((r) => r.itemsPerSecond)))) - 0.2;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  results.forEach((r, i) => {
    const y = 10 + i * (barHeight + 4);
    const width = ((Math.log10(r.itemsPerSecond) - min) / (max - min)) * (canvas.width - left - 80);
    ctx.fillStyle = '#1d2330';
    ctx.textAlign = 'right';
    ctx.fillText(`${r.name} · ${r.zone}`, left - 8, y + barHeight / 2);
    ctx.fillStyle = colors[r.zone];
    ctx.fillRect(left, y, Math.max(width, 1), barHeight);
    ctx.fillStyle = '#1d2330';
    ctx.textAlign = 'left';
    ctx.fillText(`${format(r.itemsPerSecond)}/s`, left + Math.max(width, 1) + 6, y + barHeight / 2);
  });
  ctx.fillStyle = '#5b6577';
  ctx.fillText('ops/s, log scale', left, canvas.height - 12);
}

async function main() {
  const zb = await createZonebuf();
  $('example-output').textContent = runSeedExample(zb);
  setState('running', 'running the benchmark…');
  await nextFrame();  // let the example paint first
  const minMs = Number(new URLSearchParams(location.search).get('minMs') ?? 60);
  const groups = ['primitives', 'copies', 'w1', 'record', 'copy', 'view', 'bytes'];
  const order = (r) => (groups.includes(r.group) ? groups.indexOf(r.group) : groups.length);
  const results = [...runWorkloads(zoneWorkloads(zb), measure, { minMs }),
    ...runWorkloads(hotPathWorkloads(zb), measure, { minMs })].sort((a, b) => order(a) - order(b));
  showTable(results);
  drawChart(results);
  window.zonebufResults = results.map(({ name, group, zone, itemsPerSecond, ratioToBaseline }) =>
    ({ name, group, zone, itemsPerSecond, ratioToBaseline }));
  setState('done', `done: ${results.length} benchmarks`);
}

main().catch((e) => {
  setState('error', `failed: ${e.name}: ${e.message}`);
  throw e;
});
