// `npm run bench`: builds with tests, then runs every benchmark (out/test/bench/*.js) one after the other,
// each under a header, and ends with a one-line summary. A benchmark that needs an optional tool (ctags,
// Go sources, Chromium...) says itself what it skipped; this script only reports benchmarks that crashed.
// Usage: node scripts/bench.mjs [name-filter]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];

const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--tests'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('bench: the build failed (node scripts/build.mjs --tests); nothing was measured');
  process.exit(1);
}

const dir = join(root, 'out/test/bench');
const benches = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js') && (!filter || f.includes(filter))).sort() : [];
if (benches.length === 0) {
  console.log(`bench: no benchmarks found in ${dir}${filter ? ` matching "${filter}"` : ''}`);
  process.exit(0);
}

const results = [];
for (const file of benches) {
  const name = file.replace(/\.js$/, '');
  console.log(`\n===== ${name} (test/bench/${name}.ts) =====`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(dir, file)], { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = r.status === 0;
  results.push({ name, ok, seconds, why: r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit code ${r.status}` });
  console.log(`----- ${name}: ${ok ? 'done' : 'FAILED'} in ${seconds} s`);
}

const failed = results.filter((r) => !r.ok);
console.log(`\n===== bench summary: ${results.length - failed.length} of ${results.length} benchmarks ran${failed.length ? `; failed: ${failed.map((f) => `${f.name} (${f.why})`).join(', ')}` : ''} =====`);
process.exit(failed.length ? 1 : 0);
