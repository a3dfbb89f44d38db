#!/usr/bin/env node
// A tiny static server for the example pages on 127.0.0.1: / is js/ (so the
// page can import ../bench/), /pkg/ is the built package, /pkg-threads/ the
// threaded one (threads.html). Every response carries the COOP/COEP headers
// that make a page cross-origin isolated, which SharedArrayBuffer (the
// threaded package's memory) requires.
//   node js/examples/serve.mjs [--package DIR] [--threads-package DIR] [--port N]   (port 0: any free)
// Prints the page URL on its first line of output.
import http from 'node:http';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const roots = {
  '/pkg/': path.resolve(option('--package', process.env.ZONEBUF_JS_DIR ?? path.join(here, '../../build/wasm/js'))),
  '/pkg-threads/': path.resolve(option('--threads-package', path.join(here, '../../build/wasm-threads/js'))),
  '/': path.resolve(here, '..'),
};
const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.ts': 'text/plain' };

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
  const root = roots[prefix];
  const file = path.resolve(root, decodeURIComponent(url.pathname.slice(prefix.length)));
  if (!file.startsWith(root + path.sep) && file !== root) {
    res.writeHead(403, isolation).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store', ...isolation });
    res.end(body);
  } catch {
    res.writeHead(404, isolation).end('not found');
  }
});

server.listen(Number(option('--port', 8080)), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}/examples/index.html`);
});
