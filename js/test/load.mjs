// Locates the built package: $ZONEBUF_JS_DIR, else the wasm preset's output.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(process.env.ZONEBUF_JS_DIR ?? path.join(here, '../../build/wasm/js'));

export async function loadZonebuf() {
  const { default: createZonebuf } = await import(pathToFileURL(path.join(packageDir, 'zonebuf.mjs')).href);
  return createZonebuf();
}

// Asserts that fn throws a zonebuf error of `name` whose message matches `pattern`.
export function throwsZb(assert, fn, name, pattern) {
  assert.throws(fn, (e) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}
