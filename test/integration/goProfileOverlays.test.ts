// The whole non-UI path of the tutorial's story on real recordings of the Go fixture service:
// decode -> resolve against the workspace (recorded paths for pprof, names only for eBPF folded stacks)
// -> hotspots that CodeLens and heat show. Expected numbers are computed independently from the raw files.
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
import { readPprofWire } from '../support/pprofWire';

const root = process.cwd();
const goDir = join(root, 'test/fixtures/sources/go');
const mainGo = join(goDir, 'main.go');
const profiles = join(root, 'test/fixtures/profiles');
const parseCatalog = 'main.(*productCatalog).parseCatalog';
const readCatalogFile = 'main.(*productCatalog).readCatalogFile';

/** Declaration lines found by a plain regex over the source, independent of the tree-sitter index. */
function declLine(method: string): number {
  const lines = readFileSync(mainGo, 'utf8').split('\n');
  return lines.findIndex((l) => new RegExp(`^func \\(c \\*productCatalog\\) ${method}\\(`).test(l)) + 1;
}

async function workspace() {
  const files = readdirSync(goDir).map((f) => join(goDir, f));
  const index = await DefinitionIndex.create({ roots: [goDir] });
  await index.ensureBuilt();
  return { paths: new PathMapper(files), names: createNameResolver(index) };
}

test('pprof from the Go endpoint: CodeLens numbers for parseCatalog/readCatalogFile match the raw samples', async () => {
  const bytes = readFileSync(join(profiles, 'go-cpu.pb.gz'));
  const profile = decodePprof(bytes);
  const h = computeHotspots(profile, resolveProfile(profile, await workspace()));

  // Independent: sum the CPU value of every raw sample whose stack contains the function (once per stack).
  const wire = readPprofWire(bytes);
  const vi = wire.sampleTypes.findIndex((t) => t.unit === 'nanoseconds');
  const expectTotal = (name: string) =>
    wire.samples
      .filter((s) => s.locationIds.some((id) => wire.locations.get(id)!.some((l) => wire.functions.get(l.functionId)!.name === name)))
      .reduce((n, s) => n + s.values[vi], 0);
  const grand = wire.samples.reduce((n, s) => n + s.values[vi], 0);
  assert.equal(h.totalValue, grand);

  const fns = h.files.get(mainGo)?.functions ?? [];
  for (const [name, method] of [[parseCatalog, 'parseCatalog'], [readCatalogFile, 'readCatalogFile']] as const) {
    const fn = fns.find((f) => f.name === name);
    assert.ok(fn, `${name} placed in main.go`);
    assert.equal(fn.total, expectTotal(name), `${name} total`);
    assert.equal(fn.line, declLine(method), `${name} CodeLens on its declaration line`);
    assert.ok(fn.total / grand > 0.5, `${name} is the hot path (${((100 * fn.total) / grand).toFixed(1)}%)`);
  }
  // json decoding is charged to readCatalogFile as the deepest workspace function.
  const rcf = fns.find((f) => f.name === readCatalogFile)!;
  assert.ok(rcf.deepest > rcf.self);
  // Hot lines carry self time inside the functions' bodies.
  const lines = h.files.get(mainGo)!.lines;
  assert.ok([...lines.values()].some((l) => l.total > 0 && l.line > declLine('readCatalogFile') && l.line < declLine('parseCatalog')));
});

test('eBPF folded stacks (names only): the same functions land on their declarations by name', async () => {
  const text = readFileSync(join(profiles, 'go.folded'), 'utf8');
  const profile = decodeFolded(text);
  const res = resolveProfile(profile, await workspace());
  const h = computeHotspots(profile, res);

  // Independent: sum the counts of lines whose stack contains the function.
  const expectTotal = (name: string) =>
    text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => ({ frames: l.slice(0, l.lastIndexOf(' ')).split(';'), n: Number(l.slice(l.lastIndexOf(' ') + 1)) }))
      .filter((r) => r.frames.includes(name))
      .reduce((n, r) => n + r.n, 0);

  const fns = h.files.get(mainGo)?.functions ?? [];
  for (const [name, method] of [[parseCatalog, 'parseCatalog'], [readCatalogFile, 'readCatalogFile']] as const) {
    const fn = fns.find((f) => f.name === name);
    assert.ok(fn, `${name} resolved by name`);
    assert.equal(fn.line, declLine(method));
    assert.equal(fn.total, expectTotal(name));
  }
  // Kernel and runtime samples are accounted for, not silently dropped.
  assert.ok((h.unresolvedLeafValue.get('kernel') ?? 0) > 0);
  assert.ok((h.unresolvedLeafValue.get('runtime') ?? 0) > 0);
});

test('a profile recorded from edited code (stale lines) still puts each CodeLens on its own function', async () => {
  // demo/profiles/go-cpu-after-fix.pb.gz was recorded from main.go with the fix applied (lines moved);
  // the workspace here has the original main.go.
  const profile = decodePprof(readFileSync(join(root, 'demo/profiles/go-cpu-after-fix.pb.gz')));
  const h = computeHotspots(profile, resolveProfile(profile, await workspace()));
  const fns = h.files.get(mainGo)?.functions ?? [];
  assert.ok(fns.length >= 2, `functions placed: ${fns.map((f) => f.name)}`);
  const src = readFileSync(mainGo, 'utf8').split('\n');
  for (const fn of fns) {
    const method = fn.name.replace(/^main\.(\(\*?productCatalog\)\.)?/, '');
    assert.match(src[fn.line - 1], new RegExp(`^func (\\([^)]*\\) )?${method.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\(`), `${fn.name} lens on line ${fn.line}: "${src[fn.line - 1]}"`);
  }
});
