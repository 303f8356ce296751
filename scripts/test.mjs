// The README's test command: builds, installs what the real-VS-Code tests need, then runs every suite with
// Node's test runner and ends with one plain line "N passed, N failed" (summed over all runs).
// Usage: node scripts/test.mjs [all|unit|e2e]   (default all)
//   unit: every out/**/*.test.js outside test/e2e (unit and integration with fakes, incl. real kubectl)
//   e2e:  test/e2e/*.test.js one file at a time: the flamegraph page in Chromium, the Profile Pod UI flow and
//         the extension-host (mocha) suites in code-server
// Environment: POD_PROFILER_TEST_FILTER=regex runs only test files whose path matches.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const which = process.argv[2] ?? 'all';
if (!['all', 'unit', 'e2e'].includes(which)) {
  console.error(`usage: node scripts/test.mjs [all|unit|e2e] (got ${which})`);
  process.exit(2);
}
const outputDir = join(root, '.test-output');
mkdirSync(outputDir, { recursive: true });
const started = Date.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedRuns = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

function testFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

function filtered(files) {
  const f = process.env.POD_PROFILER_TEST_FILTER;
  return f ? files.filter((p) => new RegExp(f).test(relative(root, p))) : files;
}

/** One `node --test` run over files; adds its counts to the totals. */
function nodeTest(name, files, extraArgs = []) {
  if (files.length === 0) {
    console.log(`\n== ${name}: no test files`);
    return;
  }
  console.log(`\n== ${name}: ${files.length} file(s)`);
  const counts = join(outputDir, `counts-${name}.json`);
  const syncCounts = join(outputDir, `counts-${name}.sync.json`);
  rmSync(counts, { force: true });
  rmSync(syncCounts, { force: true });
  const code = run(process.execPath, [
    '--test',
    ...extraArgs,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'countReporter.mjs')}`,
    `--test-reporter-destination=${counts}`,
    ...files.map((f) => relative(root, f)),
  ], { env: { ...process.env, POD_PROFILER_COUNTS_FILE: syncCounts } });
  let n = { passed: 0, failed: 0, skipped: 0 };
  // The reporter's stream destination, else the copy it rewrites synchronously after each test.
  for (const f of [counts, syncCounts]) {
    try {
      n = JSON.parse(readFileSync(f, 'utf8'));
      break;
    } catch {}
  }
  // A run that failed without a failing test (a crash, a failed hook outside tests) still counts as a failure.
  if (code !== 0 && n.failed === 0) n.failed = 1;
  totals.passed += n.passed;
  totals.failed += n.failed;
  totals.skipped += n.skipped;
  if (code !== 0) failedRuns.push(name);
  console.log(`== ${name}: ${n.passed} passed, ${n.failed} failed${n.skipped ? `, ${n.skipped} skipped` : ''}`);
}

function finish() {
  const min = ((Date.now() - started) / 60000).toFixed(1);
  if (failedRuns.length) console.log(`\nfailed: ${failedRuns.join(', ')} (screenshots and logs in .test-output/)`);
  console.log(`\n(${min} min${totals.skipped ? `, ${totals.skipped} skipped` : ''})`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 || failedRuns.length > 0 ? 1 : 0);
}

console.log('== build');
if (run(process.execPath, ['scripts/build.mjs', '--tests']) !== 0) {
  totals.failed++;
  failedRuns.push('build');
  finish();
}

// Strict TypeScript over everything (esbuild only strips types).
console.log('\n== typecheck');
if (run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit']) !== 0) {
  totals.failed++;
  failedRuns.push('typecheck');
}

const out = join(root, 'out');
const e2eDir = join(out, 'test', 'e2e');
const all = testFiles(out);
const e2e = all.filter((f) => f.startsWith(e2eDir + sep));
const unit = all.filter((f) => !f.startsWith(e2eDir + sep));

if (which !== 'unit') {
  // Debian packages (kubectl is used by the integration suite too) and code-server.
  console.log('\n== tools');
  if (run(process.execPath, ['scripts/ensureTools.mjs']) !== 0) {
    totals.failed++;
    failedRuns.push('ensureTools');
    finish();
  }
}
// Unit and integration: the runner's default concurrency; no test may take 10 minutes.
if (which !== 'e2e') nodeTest('unit', filtered(unit), ['--test-timeout=600000']);
// Real browsers and code-server: one file at a time (2 cores), each file bounded.
if (which !== 'unit') nodeTest('e2e', filtered(e2e), ['--test-concurrency=1', '--test-timeout=900000']);
finish();
