// Bundles the extension host (Node, CJS) and the flamegraph webview (browser, IIFE) with esbuild,
// and copies the WebAssembly files the bundles load at run time into dist/.
// Usage: node scripts/build.mjs [--production] [--tests]
//   --tests also bundles every *.test.ts (and test/**/*.ts entry points) into out/ for `node --test`.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');

// .proto files are bundled as text and parsed by protobufjs at run time: no file lookups after packaging.
const loader = { '.proto': 'text' };

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function copyWasm() {
  const dist = join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  const treeSitter = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  cpSync(treeSitter, join(dist, 'tree-sitter'), { recursive: true });
  const demangle = dirname(require.resolve('gecko-profiler-demangle/package.json'));
  cpSync(join(demangle, 'index_bg.wasm'), join(dist, 'demangle_bg.wasm'));
  // source-map 0.8 reads mappings.wasm beside its own code, which is dist/ once bundled.
  cpSync(join(dirname(require.resolve('source-map/package.json')), 'lib', 'mappings.wasm'), join(dist, 'mappings.wasm'));
}

const builds = [
  esbuild.build({
    entryPoints: [join(root, 'src/extension.ts')],
    outfile: join(root, 'dist/extension.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    loader,
    minify: production,
    sourcemap: !production,
    logLevel: 'warning',
  }),
  // Index parse workers (src/resolve/definitions/parsePool.ts) run this bundle on their own threads.
  esbuild.build({
    entryPoints: [join(root, 'src/resolve/definitions/parseWorker.ts')],
    outfile: join(root, 'dist/parseWorker.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    logLevel: 'warning',
  }),
  esbuild.build({
    entryPoints: [join(root, 'webview/main.ts')],
    outfile: join(root, 'dist/webview.js'),
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    loader,
    minify: production,
    sourcemap: !production,
    logLevel: 'warning',
  }),
];

if (withTests) {
  const entries = walk(join(root, 'src'))
    .concat(walk(join(root, 'webview')), walk(join(root, 'test')))
    .filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))
    .filter((p) => p.endsWith('.test.ts') || /test[\\/](vscode|e2e|bench|fakes|support)[\\/]/.test(relative(root, p)));
  builds.push(
    esbuild.build({
      entryPoints: entries,
      outdir: join(root, 'out'),
      outbase: root,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      packages: 'external',
      external: ['vscode'],
      loader,
      sourcemap: true,
      logLevel: 'warning',
    }),
  );
}

copyWasm();
await Promise.all(builds);
if (withTests) removeOrphans(join(root, 'out'));

/** Compiled tests whose source was renamed or deleted would still run: drop out/ files without a .ts. */
function removeOrphans(dir) {
  for (const file of walk(dir)) {
    const m = /^(.*)\.js(\.map)?$/.exec(relative(join(root, 'out'), file));
    if (m && !existsSync(join(root, `${m[1]}.ts`))) rmSync(file, { force: true });
  }
}
console.log(`built dist/${withTests ? ' and out/' : ''}${production ? ' (production)' : ''}`);
