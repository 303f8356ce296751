// The flamegraph follows the editor cursor: every line of main.go maps to the hot function whose body holds
// it, checked on the recorded Go profile against function extents found by a plain scan of the source
// (`func` at column 0 down to the next `}` at column 0), with and without the tree-sitter index's ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodePprof } from '../../src/formats/pprof';
import { decodeFolded } from '../../src/formats/folded';
import { PathMapper } from '../../src/resolve/pathMapper';
import { DefinitionIndex } from '../../src/resolve/definitionIndex';
import { createNameResolver } from '../../src/resolve/nameResolver';
import { resolveProfile } from '../../src/resolve/profileResolver';
import { computeHotspots } from '../../src/model/hotspots';
import { hotFunctionAt } from '../../src/model/hotFunctionAt';

const goDir = join(process.cwd(), 'test/fixtures/sources/go');
const mainGo = join(goDir, 'main.go');
const source = readFileSync(mainGo, 'utf8').split('\n');

/** Top-level funcs of main.go: name, declaration line and closing line, by a column-0 scan. */
function funcExtents(): Array<{ name: string; line: number; end: number }> {
  const out: Array<{ name: string; line: number; end: number }> = [];
  source.forEach((l, i) => {
    const m = /^func (?:\([^)]*\) )?(\w+)\(/.exec(l);
    if (!m) return;
    let end = i;
    while (end < source.length && source[end] !== '}') end++;
    out.push({ name: m[1], line: i + 1, end: end + 1 });
  });
  return out;
}

async function workspace() {
  const index = await DefinitionIndex.create({ roots: [goDir] });
  await index.ensureBuilt();
  return { index, paths: new PathMapper(readdirSync(goDir).map((f) => join(goDir, f))), names: createNameResolver(index) };
}

const shortName = (full: string) => full.slice(full.lastIndexOf('.') + 1);

for (const [label, load] of [
  ['pprof with lines', () => decodePprof(readFileSync(join(process.cwd(), 'test/fixtures/profiles/go-cpu.pb.gz')))],
  ['folded eBPF stacks, names only', () => decodeFolded(readFileSync(join(process.cwd(), 'test/fixtures/profiles/go.folded'), 'utf8'))],
] as const) {
  test(`every line of a hot function's body selects that function (${label}), with the index's ranges`, async () => {
    const ws = await workspace();
    const profile = load();
    const resolutions = resolveProfile(profile, ws);
    const file = computeHotspots(profile, resolutions).files.get(mainGo);
    assert.ok(file, 'main.go has hot functions');
    const hot = new Set(file.functions.map((f) => shortName(f.name)));
    for (const want of ['parseCatalog', 'readCatalogFile', 'ServeHTTP']) assert.ok(hot.has(want), `${want} is hot`);
    const defs = ws.index.definitionsIn(mainGo);
    const extents = funcExtents();
    let checked = 0;
    for (let line = 1; line <= source.length; line++) {
      const around = extents.find((e) => line >= e.line && line <= e.end);
      const want = around && hot.has(around.name) ? around.name : undefined;
      const got = hotFunctionAt(file, line, resolutions, defs);
      assert.equal(got && shortName(got.name), want, `line ${line}: ${JSON.stringify(source[line - 1])}`);
      if (want) checked++;
    }
    assert.ok(checked > 20, `only ${checked} lines lie in hot functions`);
  });
}

test('without the index: a hot function from its declaration to its last sampled line, nothing past it', async () => {
  const ws = await workspace();
  const profile = decodePprof(readFileSync(join(process.cwd(), 'test/fixtures/profiles/go-cpu.pb.gz')));
  const resolutions = resolveProfile(profile, ws);
  const file = computeHotspots(profile, resolutions).files.get(mainGo)!;
  const extents = funcExtents();
  const parse = extents.find((e) => e.name === 'parseCatalog')!;
  const fn = file.functions.find((f) => shortName(f.name) === 'parseCatalog')!;
  const sampled = fn.frameIds.map((id) => resolutions[id]!.location!.line);
  const last = Math.max(...sampled);
  assert.ok(last < parse.end, 'the closing brace has no samples');
  for (let line = parse.line; line <= last; line++) assert.equal(hotFunctionAt(file, line, resolutions)?.name, fn.name, `line ${line}`);
  // Between parseCatalog's last sampled line and the next function: no guess.
  assert.equal(hotFunctionAt(file, parse.end, resolutions), undefined);
  // Above every function: nothing.
  assert.equal(hotFunctionAt(file, 1, resolutions), undefined);
});
