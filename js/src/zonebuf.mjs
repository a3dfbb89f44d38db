// zonebuf's entry point: `const zb = await createZonebuf()` in Node and in
// browsers. It fetches zonebuf.wasm itself (fs in Node, fetch elsewhere) and
// hands the instance to the Emscripten glue, so no loader path of the glue
// (whose Node code needs require/__dirname, and whose fetch path breaks under
// Node's global fetch) is ever taken.
import createZonebufGlue from './zonebuf.glue.mjs';
import { makeError } from './errors.mjs';
import { extendModule } from './extend.mjs';

export * from './errors.mjs';
// For a worker of the threaded package: adopts a lease another thread's
// transfer() handed over, without a module instance of its own.
export { adoptLease, SharedLease } from './shared-lease.mjs';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined';

async function instantiate(wasmUrl, imports) {
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.instantiate(await readFile(wasmUrl), imports);
  }
  const response = fetch(wasmUrl, { credentials: 'same-origin' });
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    try {
      return await WebAssembly.instantiateStreaming(response, imports);
    } catch {
      // A server without the application/wasm MIME type: compile from bytes.
    }
  }
  const bytes = await (await response).arrayBuffer();
  return WebAssembly.instantiate(bytes, imports);
}

/**
 * Creates one independent zonebuf module instance (its own linear memory).
 * @param {{ wasmUrl?: string | URL, print?: (s: string) => void, printErr?: (s: string) => void,
 *   trackLeaks?: boolean, onLeak?: (leak: { className: string, stack: string }) => void }} [options]
 */
export default async function createZonebuf(options = {}) {
  const wasmUrl = options.wasmUrl ?? new URL('./zonebuf.wasm', import.meta.url);
  let memory;
  let failLoad;
  const loadFailed = new Promise((_, reject) => { failLoad = reject; });
  const ready = createZonebufGlue({
    print: options.print,
    printErr: options.printErr,
    __zbMakeError: makeError,
    instantiateWasm(imports, receiveInstance) {
      instantiate(wasmUrl, imports).then(({ instance, module }) => {
        // Export and import names are minified in optimised builds: find it
        // by type. The threaded build imports its (shared) memory.
        const isMemory = (e) => e instanceof WebAssembly.Memory;
        memory = Object.values(instance.exports).find(isMemory) ??
          Object.values(imports).flatMap((m) => Object.values(m)).find(isMemory);
        receiveInstance(instance, module);
      }, failLoad);
      return {};  // asynchronous instantiation
    },
  });
  const zb = await Promise.race([ready, loadFailed]);
  return extendModule(zb, memory, { trackLeaks: options.trackLeaks, onLeak: options.onLeak });
}
