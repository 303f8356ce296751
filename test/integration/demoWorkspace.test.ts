// The demo workspace `npm start` opens: its settings name a profile that exists and decodes, and the Go
// sources are those the profile was recorded from (the overlays land on the right lines).
// Run: node scripts/build.mjs --tests && node --test out/test/integration/demoWorkspace.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/repoRoot';
import { readPprofWire } from '../support/pprofWire';
import { expectedLenses } from '../support/goCpuExpectations';

const demo = join(repoRoot(), 'demo');

/** settings.json is JSONC: drop // comments (none of ours sit inside strings) and trailing commas. */
function readJsonc(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(text) as Record<string, unknown>;
}

test('demo settings open a real profile on startup', () => {
  const settings = readJsonc(join(demo, '.vscode', 'settings.json'));
  const rel = settings['podProfiler.openOnStartup'];
  assert.equal(typeof rel, 'string');
  const file = join(demo, rel as string);
  assert.ok(existsSync(file), `${file} is missing`);
  const p = readPprofWire(readFileSync(file));
  assert.deepEqual(p.sampleTypes.map((t) => t.type), ['samples', 'cpu']);
  assert.ok(p.samples.length > 100);
});

test('demo main.go is the recorded service: the hot path is parseCatalog -> readCatalogFile', () => {
  const e = expectedLenses(join(demo, 'profiles', 'go-cpu.pb.gz'), join(demo, 'main.go'));
  assert.ok(parseFloat(e.readCatalogFile.totalPercent) > 80, e.readCatalogFile.totalPercent);
  assert.equal(readFileSync(join(demo, 'main.go'), 'utf8'), readFileSync(join(repoRoot(), 'test', 'fixtures', 'sources', 'go', 'main.go'), 'utf8'));
});

test('the after-fix profile no longer spends the CPU in readCatalogFile', () => {
  const file = join(demo, 'profiles', 'go-cpu-after-fix.pb.gz');
  assert.ok(existsSync(file));
  const e = expectedLenses(file, join(demo, 'main.go'));
  assert.ok(parseFloat(e.readCatalogFile.totalPercent) < 1, `readCatalogFile still at ${e.readCatalogFile.totalPercent}`);
  assert.ok(e.allSamples > 50, `${e.allSamples} samples`);
});
