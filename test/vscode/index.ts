// Entry point VS Code loads as extensionTestsPath: runs every bundled *.itest.js beside it with mocha, inside
// the extension host (the vscode API is real). Results go to the JSON file named by the environment variable
// POD_PROFILER_ITEST_RESULTS (read by test/support/extensionHost.ts) and to the log as one marker line.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ItestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export const RESULTS_MARKER = 'POD_PROFILER_ITEST_RESULTS';

export async function run(): Promise<void> {
  // mocha 12 is ESM-only; the extension host's Node (24) loads it with import().
  const { default: Mocha } = (await import('mocha')) as { default: typeof import('mocha') };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const only = process.env.POD_PROFILER_ITEST_GREP;
  if (only) mocha.grep(only);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.itest.js')).sort();
  for (const f of files) mocha.addFile(join(__dirname, f));
  await mocha.loadFilesAsync();
  const results: ItestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('fail', (t, err: Error) =>
      results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: `${err?.stack ?? err}`.slice(0, 4000) }),
    );
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending', durationMs: 0 }));
  });
  const out = JSON.stringify({ files, results });
  // The driver sets this in code-server's environment, which the extension host inherits.
  if (process.env.POD_PROFILER_ITEST_RESULTS) writeFileSync(process.env.POD_PROFILER_ITEST_RESULTS, out);
  console.log(`${RESULTS_MARKER} ${out}`);
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
