// Synchronous C++/Rust demangling with the `gecko-profiler-demangle` WebAssembly module.
// The package is built for bundlers (ESM `import * as wasm from "./index_bg.wasm"`), which Node cannot load;
// we instantiate the .wasm ourselves with the package's JS glue so demangling stays synchronous.
import * as glue from 'gecko-profiler-demangle/index_bg.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let state: 'uninitialised' | 'ready' | 'unavailable' = 'uninitialised';

/** Where the .wasm may be: beside the bundle (dist/demangle_bg.wasm, see scripts/build.mjs) or in node_modules. */
function candidatePaths(explicit?: string): string[] {
  const paths: string[] = [];
  if (explicit) paths.push(explicit);
  paths.push(join(__dirname, 'demangle_bg.wasm'));
  try {
    paths.push(require.resolve('gecko-profiler-demangle/index_bg.wasm'));
  } catch {
    // Not resolvable inside a packaged extension: the dist/ copy is used instead.
  }
  return paths;
}

/** Loads the demangler once. Returns false (and demangle() becomes the identity) if the .wasm is missing. */
export function initDemangler(wasmPath?: string): boolean {
  if (state !== 'uninitialised') return state === 'ready';
  state = 'unavailable';
  for (const p of candidatePaths(wasmPath)) {
    if (!existsSync(p)) continue;
    try {
      const module = new WebAssembly.Module(readFileSync(p));
      const instance = new WebAssembly.Instance(module, { './index_bg.js': glue as unknown as WebAssembly.ModuleImports });
      glue.__wbg_set_wasm(instance.exports);
      (instance.exports.__wbindgen_start as () => void)();
      state = 'ready';
      break;
    } catch {
      // Try the next location.
    }
  }
  return state === 'ready';
}

const MANGLED = /^(_Z|__Z|_R|__R)/;

/** Demangles Itanium C++ (`_Z...`) and Rust (`_ZN...h<hash>E`, v0 `_R...`) names; other text is returned as is. */
export function demangle(name: string): string {
  if (!MANGLED.test(name)) return name;
  if (!initDemangler()) return name;
  try {
    return glue.demangle_any(name);
  } catch {
    return name;
  }
}
