#!/usr/bin/env node
// Headless-Chromium check of the example page: serves it on 127.0.0.1, opens
// it in a fresh Chromium profile, waits until the page reports `done`, checks
// that the example printed 42 and that every benchmark row has a number, and
// saves a screenshot. With --threads-package it then opens the threaded page
// (threads.html: a lease handed to a Web Worker and back, and one released
// there), checks what the page and the worker saw and saves a screenshot of
// it next to the first (OUT-threads.png). Talks to Chromium over --remote-debugging-pipe (the
// DevTools protocol as NUL-terminated JSON on fds 3/4), so it needs nothing
// beyond node and the chromium binary.
//   node js/examples/page-test.mjs --package DIR --screenshot OUT.png [--threads-package DIR]
//     [--chromium BIN] [--timeout-ms N] [--min-ms N]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const packageDir = path.resolve(option('--package', path.join(here, '../../build/wasm/js')));
const threadsDir = option('--threads-package', undefined);
const screenshot = path.resolve(option('--screenshot', path.join(here, '../../build/js/page.png')));
const chromium = option('--chromium', 'chromium');
const timeoutMs = Number(option('--timeout-ms', 120000));
// Wall time per workload measurement on the page (app.js's default when absent).
const minMs = option('--min-ms', undefined);

function startServer() {
  const threads = threadsDir === undefined ? [] : ['--threads-package', path.resolve(threadsDir)];
  const child = spawn(process.execPath, [path.join(here, 'serve.mjs'), '--package', packageDir, ...threads,
    '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve({ child, url: String(d).trim().split('\n')[0] }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

// A minimal DevTools-protocol client over the pipe.
function connect(browser) {
  let nextId = 1;
  let buffered = '';
  const pending = new Map();
  browser.stdio[4].on('data', (chunk) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const waiter = pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  return (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, method });
    browser.stdio[3].write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'zonebuf-chromium-'));
  const { child: server, url } = await startServer();
  const browser = spawn(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', `--user-data-dir=${profile}`, '--remote-debugging-pipe',
    '--window-size=1100,1500', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let browserLog = '';
  browser.stderr.on('data', (d) => { browserLog += d; });
  try {
    const send = connect(browser);
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    const page = (method, params) => send(method, params, sessionId);
    await page('Page.enable');
    await page('Runtime.enable');
    await page('Page.navigate', { url: minMs === undefined ? url : `${url}?minMs=${Number(minMs)}` });
    const evaluate = async (expression) =>
      (await page('Runtime.evaluate', { expression, returnByValue: true })).result.value;
    const deadline = Date.now() + timeoutMs;
    const finished = async () => {
      let state;
      while ((state = await evaluate('document.body && document.body.dataset.state')) !== 'done') {
        if (state === 'error') throw new Error(`page failed: ${await evaluate("document.getElementById('status').textContent")}`);
        if (Date.now() > deadline) throw new Error(`page did not finish within ${timeoutMs} ms (state ${state})`);
        await sleep(250);
      }
    };
    await finished();
    const example = await evaluate("document.getElementById('example-output').textContent");
    const results = await evaluate('window.zonebufResults');
    const rows = await evaluate("document.querySelectorAll('#results tbody tr').length");
    const shot = await page('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
    await mkdir(path.dirname(screenshot), { recursive: true });
    await writeFile(screenshot, Buffer.from(shot.data, 'base64'));
    const problems = [];
    if (!example.includes('view.getInt32(0, false) = 42')) problems.push(`example output: ${example}`);
    if (!example.includes('"Hello from WASM"')) problems.push('the TextDecoder line is missing');
    if (!Array.isArray(results) || results.length === 0 || rows !== results.length) problems.push('no result rows');
    for (const r of results ?? []) {
      if (!(r.itemsPerSecond > 0 && Number.isFinite(r.itemsPerSecond))) problems.push(`no number for ${r.name}/${r.zone}`);
    }
    let threads;
    if (threadsDir !== undefined) {
      await page('Page.navigate', { url: url.replace(/index\.html$/, 'threads.html') });
      await sleep(100);
      await finished();
      threads = await evaluate('window.zonebufThreads');
      const threadsShot = await page('Page.captureScreenshot', { format: 'png' });
      await writeFile(screenshot.replace(/\.png$/, '-threads.png'), Buffer.from(threadsShot.data, 'base64'));
      const expected = { read: 42, text: 'Hello from the page', workerWrote: 43, sameBytes: true,
        senderError: 'InvalidArgumentError', releasedRead: 7, outstandingBefore: 1, outstandingAfter: 0 };
      for (const [key, value] of Object.entries(expected)) {
        if (threads?.[key] !== value) problems.push(`threads page: ${key} is ${threads?.[key]}, expected ${value}`);
      }
    }
    console.log(JSON.stringify({ url, screenshot, example, results, threads }, null, 2));
    if (problems.length) throw new Error(problems.join('; '));
  } catch (e) {
    if (browserLog) console.error(browserLog.split('\n').slice(-15).join('\n'));
    throw e;
  } finally {
    // Chromium keeps writing its profile until it has exited.
    const exited = browser.exitCode !== null ? Promise.resolve() : new Promise((resolve) => browser.once('exit', resolve));
    browser.kill();
    await Promise.race([exited, sleep(5000)]);
    server.kill();
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

main().catch((e) => {
  console.error(`page test FAILED: ${e.message}`);
  process.exit(1);
});
