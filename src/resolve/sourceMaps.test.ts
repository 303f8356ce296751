// Compiled-JS frames mapped back to TypeScript through a real tsc output (test/fixtures/sources/node-ts:
// src/report.ts compiled by `tsc -p .` into dist/report.js + dist/report.js.map). Expected positions are
// read off the two files with plain regexes, independently of the source map and of the index.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileBuilder, type Profile } from '../model/profile';
import { DefinitionIndex } from './definitionIndex';
import { createNameResolver } from './nameResolver';
import { loadSourceMaps, workspaceFileFor } from './sourceMaps';
import { repoRoot } from '../../test/support/repoRoot';

const ws = join(repoRoot(), 'test/fixtures/sources/node-ts');
const compiled = join(ws, 'dist/report.js');
const original = join(ws, 'src/report.ts');

/** 1-based line and the 1-based column of the '(' that opens the parameters (where V8 puts a function). */
function v8Position(file: string, re: RegExp): { line: number; column: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  assert.ok(i >= 0, `${re} in ${file}`);
  return { line: i + 1, column: lines[i].indexOf('(') + 1 };
}

function lineOf(file: string, re: RegExp): number {
  return v8Position(file, re).line;
}

function profileOf(names: string[]): Profile {
  const b = new ProfileBuilder();
  b.addStack(names.map((name) => ({ name, kind: 'user' as const })), 3);
  return b.build({ source: 'test', unit: 'samples' });
}

describe('source maps: compiled frames land on the TypeScript source', () => {
  let index: DefinitionIndex;
  const row = v8Position(compiled, /^function formatRow\(/);
  const build = v8Position(compiled, /^\s+buildReport\(\)/);
  const formatFrame = `JS:*formatRow /app/dist/report.js:${row.line}:${row.column}`;
  const buildFrame = `JS:~ReportBuilder.buildReport /app/dist/report.js:${build.line}:${build.column}`;
  before(async () => {
    index = await DefinitionIndex.create({ roots: [ws] });
    await index.ensureBuilt();
  });

  test('the fixture is a real compilation: compiled and original lines differ', () => {
    assert.notEqual(row.line, lineOf(original, /^export function formatRow\(/));
    assert.match(readFileSync(compiled, 'utf8'), /\/\/# sourceMappingURL=report\.js\.map\s*$/);
  });

  test('with the map, formatRow and a class method resolve to their TS declarations', async () => {
    const profile = profileOf([buildFrame, formatFrame]);
    const maps = await loadSourceMaps(profile, { roots: [ws] });
    const resolver = createNameResolver(index, { sourceMaps: maps });
    const f = resolver.resolve({ name: formatFrame, kind: 'user' });
    assert.equal(f.reason, undefined);
    assert.deepEqual([f.location?.path, f.location?.line], [original, lineOf(original, /^export function formatRow\(/)]);
    assert.match(f.via ?? '', /source map to formatRow in report\.ts/);
    const b = resolver.resolve({ name: buildFrame, kind: 'user' });
    assert.deepEqual([b.location?.path, b.location?.line], [original, lineOf(original, /^\s+buildReport\(\): number/)]);
  });

  test('a position the map leads outside every definition keeps the CodeLens on that line', () => {
    // (A lookup that answers one position: what the resolver does with it, not how maps are read.)
    const outside = lineOf(original, /^interface Row \{/);
    const resolver = createNameResolver(index, { sourceMaps: { original: () => ({ path: original, line: outside, column: 1 }) } });
    const r = resolver.resolve({ name: formatFrame, kind: 'user' });
    assert.deepEqual(r.location, { path: original, line: outside, functionLine: outside });
    assert.equal(r.via, `source map to report.ts:${outside}`);
  });

  test('without a map the same frame stays on the compiled file (what the map changes)', () => {
    const r = createNameResolver(index).resolve({ name: formatFrame, kind: 'user' });
    assert.equal(r.location?.path, compiled);
  });

  test('container paths map to workspace files by their longest suffix', () => {
    assert.equal(workspaceFileFor('/app/dist/report.js', [ws]), compiled);
    assert.equal(workspaceFileFor('file:///srv/x/dist/report.js', [ws]), compiled);
    assert.equal(workspaceFileFor('/app/dist/missing.js', [ws]), undefined);
  });

  test('a broken map is skipped, not thrown: resolution falls back to names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-maps-'));
    try {
      cpSync(ws, dir, { recursive: true });
      writeFileSync(join(dir, 'dist/report.js.map'), '{ not json');
      const idx = await DefinitionIndex.create({ roots: [dir] });
      await idx.ensureBuilt();
      const maps = await loadSourceMaps(profileOf([formatFrame]), { roots: [dir] });
      const r = createNameResolver(idx, { sourceMaps: maps }).resolve({ name: formatFrame, kind: 'user' });
      assert.equal(r.location?.path, join(dir, 'dist/report.js'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cancellation', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(loadSourceMaps(profileOf([formatFrame]), { roots: [ws], signal: ac.signal }), { name: 'AbortError' });
  });
});
