// The README's test command: builds, then runs every suite with Node's test runner.
// Usage: node scripts/test.mjs [unit|e2e|all]   (default all)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const which = process.argv[2] ?? 'all';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

if (run(process.execPath, ['scripts/build.mjs', '--tests']) !== 0) process.exit(1);
let failed = 0;
if (which === 'unit' || which === 'all') {
  failed += run(process.execPath, ['--test', '--test-reporter=spec', 'out/**/*.test.js']) === 0 ? 0 : 1;
}
process.exit(failed ? 1 : 0);
