// The definition index on the fixture programs' sources and name-only resolution of their real eBPF
// profiles. Expected lines are read off the source files (test/fixtures/sources) independently of the
// index: by a plain regex over the file text.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFolded } from '../formats/folded';
import type { Frame } from '../model/profile';
import { DefinitionIndex } from './definitionIndex';
import { createNameResolver, summarizeUnresolved } from './nameResolver';
import { PathMapper } from './pathMapper';
import { resolveProfile } from './profileResolver';
import { repoRoot } from '../../test/support/repoRoot';

const root = repoRoot();
const sources = join(root, 'test/fixtures/sources');
const profiles = join(root, 'test/fixtures/profiles');

/** 1-based line of the first line of `file` matching `re`: the independent oracle. */
function lineMatching(file: string, re: RegExp): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => re.test(l));
  assert.ok(i >= 0, `${re} not found in ${file}`);
  return i + 1;
}

const user = (name: string): Frame => ({ name, kind: 'user' });

describe('definition index and name resolution on the fixture sources', () => {
  let index: DefinitionIndex;
  before(async () => {
    index = await DefinitionIndex.create({ roots: [sources] });
    const progress: Array<[number, number]> = [];
    const stats = await index.ensureBuilt({ onProgress: (d, t) => progress.push([d, t]) });
    // Independent count: every source file below the fixture sources, by extension.
    const expected = (readdirSync(sources, { recursive: true }) as string[]).filter((f) => /\.(go|cpp|rs|java|js|ts|py)$/.test(f)).length;
    assert.ok(expected >= 7, 'go (2), cpp, rust, java, node, python');
    assert.equal(stats.files, expected);
    assert.deepEqual(progress[progress.length - 1], [expected, expected]);
  });

  test('go.folded: parseCatalog and readCatalogFile land on their declarations in main.go', () => {
    const mainGo = join(sources, 'go/main.go');
    const profile = decodeFolded(readFileSync(join(profiles, 'go.folded'), 'utf8'), { source: 'go.folded' });
    const resolver = createNameResolver(index);
    const resolutions = resolveProfile(profile, { paths: new PathMapper([]), names: resolver });
    const byName = new Map(profile.frames.map((f, i) => [f.name, resolutions[i]]));
    const parse = byName.get('main.(*productCatalog).parseCatalog');
    const read = byName.get('main.(*productCatalog).readCatalogFile');
    const serve = byName.get('main.(*productCatalog).ServeHTTP');
    assert.equal(parse?.location?.path, mainGo);
    assert.equal(parse?.location?.line, lineMatching(mainGo, /^func \(c \*productCatalog\) parseCatalog\(/));
    assert.equal(parse?.location?.line, 38);
    assert.equal(read?.location?.line, lineMatching(mainGo, /^func \(c \*productCatalog\) readCatalogFile\(/));
    assert.equal(read?.location?.line, 26);
    assert.equal(serve?.location?.line, lineMatching(mainGo, /^func \(c \*productCatalog\) ServeHTTP\(/));
    assert.equal(parse?.reason, undefined);
    // Stdlib frames are not in the workspace: no frame of net/http resolves to a fixture file.
    assert.equal(byName.get('net/http.(*conn).serve')?.location, undefined);
  });

  test('C++ and Rust fixture frames land on their definitions', () => {
    const cpp = join(sources, 'cpp/inventory.cpp');
    const rs = join(sources, 'rust/src/main.rs');
    const resolver = createNameResolver(index);
    const disc = resolver.resolve(user('shop::pricing::PriceEngine::discountFor(int) const [clone .isra.0]'));
    assert.deepEqual(disc.location, { path: cpp, line: lineMatching(cpp, /double discountFor\(int qty\)/), functionLine: lineMatching(cpp, /double discountFor\(int qty\)/) });
    assert.equal(resolver.resolve(user('sumValues<double>')).location?.line, lineMatching(cpp, /double sumValues\(/));
    assert.equal(resolver.resolve(user('shop::pricing::PriceEngine::computeTotals[abi:cxx11](int) const')).location?.line, lineMatching(cpp, /computeTotals\(int rounds\)/));
    const sum = resolver.resolve(user('ledger::ledger::accounts::Ledger::checksum::h3e100643e21cb24a'));
    assert.equal(sum.location?.path, rs);
    assert.equal(sum.location?.line, lineMatching(rs, /pub fn checksum\(/));
    assert.equal(resolver.resolve(user('ledger::summarize::h3a26010ac6c72da3')).location?.line, lineMatching(rs, /^fn summarize</));
  });

  test('kernel, runtime, unsymbolized and missing frames say why', () => {
    const resolver = createNameResolver(index);
    assert.equal(resolver.resolve({ name: 'do_syscall_64_[k]', kind: 'kernel' }).reason, 'kernel');
    assert.equal(resolver.resolve({ name: 'runtime.mallocgc', kind: 'runtime' }).reason, 'runtime');
    assert.equal(resolver.resolve({ name: '[unknown]', kind: 'unknown' }).reason, 'unsymbolized');
    assert.equal(resolver.resolve({ name: '[unknown]', kind: 'user' }).reason, 'unsymbolized');
    assert.equal(resolver.resolve({ name: 'pod:shop/catalog-7d9', kind: 'k8s' }).reason, 'k8s');
    assert.equal(resolver.resolve(user('main.(*productCatalog).notThere')).reason, 'no-source');
    // Right name, wrong receiver: not silently matched.
    assert.equal(resolver.resolve(user('main.(*otherType).parseCatalog')).reason, 'no-source');
    assert.equal(resolver.resolve(user('com.example.orders.MissingClass.aggregateByCustomer')).reason, 'no-source');
    // The recorded Java program's method, in the JDK perf-map spelling (return type and arguments).
    const java = join(sources, 'java/src/com/example/orders/OrderProcessor.java');
    const agg = resolver.resolve({ name: 'java.util.Map com.example.orders.OrderProcessor.aggregateByCustomer()', kind: 'java' });
    assert.deepEqual([agg.location?.path, agg.location?.line], [java, lineMatching(java, /Map<Integer, Double> aggregateByCustomer\(\)/)]);
  });

  test('summarizeUnresolved counts leaf samples by reason, adding up to the total', () => {
    const profile = decodeFolded(readFileSync(join(profiles, 'go.folded'), 'utf8'), { source: 'go.folded' });
    const resolver = createNameResolver(index);
    const summary = summarizeUnresolved(profile, resolveProfile(profile, { paths: new PathMapper([]), names: resolver }));
    const unresolved = Object.values(summary.byReason).reduce((n, b) => n + (b?.selfSamples ?? 0), 0);
    assert.equal(summary.resolvedSelfSamples + unresolved, summary.totalSamples);
    // Independent count: samples of lines whose leaf is a main.* frame.
    let mainLeaf = 0;
    let kernelLeaf = 0;
    for (const line of readFileSync(join(profiles, 'go.folded'), 'utf8').split('\n')) {
      const cut = line.lastIndexOf(' ');
      if (cut <= 0) continue;
      const frames = line.slice(0, cut).split(';');
      const leaf = frames[frames.length - 1];
      if (leaf.startsWith('main.')) mainLeaf += Number(line.slice(cut + 1));
      if (leaf.endsWith('_[k]')) kernelLeaf += Number(line.slice(cut + 1));
    }
    assert.equal(summary.resolvedSelfSamples, mainLeaf);
    assert.equal(summary.byReason.kernel?.selfSamples, kernelLeaf);
    assert.ok((summary.byReason.runtime?.selfSamples ?? 0) > 0);
  });
});

describe('ambiguity, overloads and edits in a scratch workspace', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pp-resolve-'));
    mkdirSync(join(dir, 'svc/a'), { recursive: true });
    mkdirSync(join(dir, 'svc/b'), { recursive: true });
    mkdirSync(join(dir, 'lib/x/util'), { recursive: true });
    mkdirSync(join(dir, 'lib/y/util'), { recursive: true });
    writeFileSync(join(dir, 'lib/x/util/u.go'), 'package util\n\nfunc Clean() {}\n');
    writeFileSync(join(dir, 'lib/y/util/u.go'), 'package util\n\nfunc Clean() {}\n');
    mkdirSync(join(dir, 'ignored'), { recursive: true });
    writeFileSync(join(dir, '.gitignore'), 'ignored/\n');
    writeFileSync(join(dir, 'svc/a/a.go'), 'package a\n\nfunc Handle() {}\n');
    writeFileSync(join(dir, 'svc/b/b.go'), 'package b\n\nfunc Handle() {}\n');
    writeFileSync(join(dir, 'ignored/x.go'), 'package main\n\nfunc hidden() {}\n');
    writeFileSync(join(dir, 'over.cpp'), 'namespace n {\nint f(int x) { return x; }\nint f(const char* s) { return 0; }\n}\n');
    writeFileSync(join(dir, 'scorer.py'), 'class RiskScorer:\n    def score_record(self, r):\n        return 1\n\ndef score_record(r):\n    return 2\n');
    writeFileSync(join(dir, 'report.js'), 'function header() {}\n\nconst formatRow = (r) => {\n  return r;\n};\nclass Report { render() { return 1; } }\n');
    writeFileSync(join(dir, 'Orders.java'), 'package com.example.orders;\n\npublic class OrderProcessor {\n  public int aggregateByCustomer() {\n    return 1;\n  }\n  static class Inner { void run() {} }\n}\n');
  });

  test('same name in two packages without go.mod is ambiguous, with both candidates', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    const r = createNameResolver(index).resolve(user('example.com/proj/util.Clean'));
    assert.equal(r.reason, 'ambiguous');
    assert.deepEqual(r.candidates?.map((c) => c.path), [join(dir, 'lib/x/util/u.go'), join(dir, 'lib/y/util/u.go')]);
    // An import path that spells more of one directory picks it.
    assert.equal(createNameResolver(index).resolve(user('example.com/proj/lib/y/util.Clean')).location?.path, join(dir, 'lib/y/util/u.go'));
    assert.equal(createNameResolver(index).resolve(user('example.com/proj/lib/y/util.Clean')).reason, undefined);
    // Different package names never match each other.
    assert.equal(createNameResolver(index).resolve(user('example.com/svc/b.Handle')).location?.path, join(dir, 'svc/b/b.go'));
    assert.equal(index.lookup('hidden').length, 0, '.gitignore honoured');
  });

  test('C++ overloads by argument types; Python, Node and Java shapes', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    assert.equal(resolver.resolve(user('n::f(int)')).location?.line, 2);
    assert.equal(resolver.resolve(user('n::f(char const*)')).location?.line, 3);
    assert.equal(resolver.resolve(user('_ZN1n1fEPKc')).location?.line, 3);
    assert.equal(resolver.resolve(user('py::RiskScorer.score_record:/app/scorer.py')).location?.line, 2);
    assert.equal(resolver.resolve(user('score_record (/app/scorer.py:6)')).location?.line, 5);
    assert.equal(resolver.resolve(user('JS:*formatRow /app/report.js:3:19')).location?.line, 3);
    assert.equal(resolver.resolve(user('LazyCompile:~Report.render /app/report.js:6:16')).location?.line, 6);
    assert.equal(resolver.resolve({ name: 'com.example.orders.OrderProcessor.aggregateByCustomer', kind: 'java' }).location?.line, 4);
    assert.equal(resolver.resolve(user('com.example.orders.OrderProcessor$Inner.run')).location?.line, 7);
    assert.equal(resolver.resolve(user('com.example.orders.OrderProcessor.lambda$aggregateByCustomer$0')).location?.line, 4);
    assert.equal(resolver.enclosingFunctionLine(join(dir, 'report.js'), 4), 3);
  });

  test('the index follows edits: updateFile, removeFile, and a restored cache re-parses only changed files', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    assert.equal(resolver.resolve(user('a.Handle')).location?.line, 3);
    writeFileSync(join(dir, 'svc/a/a.go'), 'package a\n\n// moved down\n\nfunc Handle() {}\n\nfunc Added() {}\n');
    await index.updateFile(join(dir, 'svc/a/a.go'));
    assert.equal(resolver.resolve(user('a.Handle')).location?.line, 5);
    assert.equal(resolver.resolve(user('a.Added')).location?.line, 7);
    const json = JSON.parse(JSON.stringify(index.toJSON()));
    index.removeFile(join(dir, 'svc/a/a.go'));
    assert.equal(resolver.resolve(user('a.Added')).reason, 'no-source');

    const restored = await DefinitionIndex.create({ roots: [dir] }, json);
    writeFileSync(join(dir, 'svc/b/b.go'), 'package b\n\n\nfunc Handle() {}\n');
    const stats = await restored.ensureBuilt();
    assert.equal(stats.parsed, 1, 'only the edited file is parsed again');
    assert.equal(stats.reusedFromCache, stats.files - 1);
    assert.equal(createNameResolver(restored).resolve(user('b.Handle')).location?.line, 4);
    assert.equal(createNameResolver(restored).resolve(user('a.Added')).location?.line, 7);
  });

  test('a cache not in the index\'s shape (edited, damaged) is ignored whole: the build parses every file', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    const files = (await index.ensureBuilt()).files;
    const good = index.toJSON();
    const damaged = (damage: (c: { files: Array<Record<string, unknown>> }) => void) => {
      const copy = JSON.parse(JSON.stringify(good));
      damage(copy);
      return copy;
    };
    const first = (c: { files: Array<Record<string, unknown>> }) => c.files.find((f) => Array.isArray(f.defs) && (f.defs as unknown[]).length > 0)!;
    for (const [what, cache] of [
      ['a definition without parts', damaged((c) => delete (first(c).defs as Array<Record<string, unknown>>)[0].parts)],
      ['defs null', damaged((c) => (first(c).defs = null))],
      ['a line that is not a number', damaged((c) => ((first(c).defs as Array<Record<string, unknown>>)[0].line = '3'))],
      ['a closure without children', damaged((c) => (first(c).closures = [{ line: 3, endLine: 3 }]))],
      ['an unknown language', damaged((c) => ((first(c).defs as Array<Record<string, unknown>>)[0].language = 'cobol'))],
    ] as const) {
      const restored = await DefinitionIndex.create({ roots: [dir] }, cache);
      const stats = await restored.ensureBuilt();
      assert.equal(stats.reusedFromCache, 0, what);
      assert.equal(stats.parsed, files, what);
      assert.equal(createNameResolver(restored).resolve(user('b.Handle')).location?.line, 4, what);
    }
    // The undamaged cache is taken.
    const restored = await DefinitionIndex.create({ roots: [dir] }, JSON.parse(JSON.stringify(good)));
    assert.equal((await restored.ensureBuilt()).reusedFromCache, files);
  });

  test('a build can be cancelled', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(index.ensureBuilt({ signal: ac.signal }), { name: 'AbortError' });
    assert.equal(index.isBuilt, false);
    await index.ensureBuilt();
    assert.equal(index.isBuilt, true);
  });

  test('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});

describe('Go module workspace: exact import paths, offsets, generics, escaped dots, edits of the symbol table', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pp-gomod-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/shop\n\ngo 1.19\n');
    for (const d of ['net/http', 'vendor/example.com/shop/net/http', 'yaml.v3']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'net/http/h.go'), 'package http\n\nfunc Serve() {}\n\ntype Server struct{}\n\nfunc (s *Server) Run() {}\n\nfunc Map[K comparable](k K) K { return k }\n');
    // A deeper directory whose import path merely ends with the same segments.
    writeFileSync(join(dir, 'vendor/example.com/shop/net/http/h.go'), 'package http\n\n\nfunc Serve() {}\n');
    writeFileSync(join(dir, 'yaml.v3/y.go'), 'package yaml\n\nfunc Unmarshal() {}\n');
  });

  test('the exact import path wins over a suffix match; offsets, .abi0, closures and generics land on the function', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    const h = join(dir, 'net/http/h.go');
    const serveLine = lineMatching(h, /^func Serve\(/);
    const runLine = lineMatching(h, /^func \(s \*Server\) Run\(/);
    const mapLine = lineMatching(h, /^func Map\[/);
    for (const name of ['example.com/shop/net/http.Serve', 'example.com/shop/net/http.Serve+0x1f', 'example.com/shop/net/http.Serve+113', 'example.com/shop/net/http.Serve.abi0', 'example.com/shop/net/http.Serve.func1']) {
      const r = resolver.resolve(user(name));
      assert.equal(r.reason, undefined, name);
      assert.deepEqual(r.location && [r.location.path, r.location.line], [h, serveLine], name);
    }
    for (const name of ['example.com/shop/net/http.(*Server).Run', 'example.com/shop/net/http.Server.Run', 'example.com/shop/net/http.(*Server).Run+0x8']) {
      assert.equal(resolver.resolve(user(name)).location?.line, runLine, name);
    }
    assert.equal(resolver.resolve(user('example.com/shop/net/http.Map[...]')).location?.line, mapLine);
    assert.equal(resolver.resolve(user('example.com/shop/net/http.Map[go.shape.int_0]')).location?.line, mapLine);
    // The vendored copy is found by its own import path.
    const v = join(dir, 'vendor/example.com/shop/net/http/h.go');
    assert.deepEqual(resolver.resolve(user('example.com/shop/vendor/example.com/shop/net/http.Serve')).location?.path, v);
    // The linker escapes '.' in the last element of an import path.
    assert.equal(resolver.resolve(user('example.com/shop/yaml%2ev3.Unmarshal')).location?.path, join(dir, 'yaml.v3/y.go'));
    assert.equal(index.goSymbols.entry('example.com/shop/yaml%2ev3.Unmarshal')?.defs.length, 1);
  });

  test('the symbol table follows edits and removals', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    const y = join(dir, 'yaml.v3/y.go');
    writeFileSync(y, 'package yaml\n\n\n\nfunc Unmarshal() {}\n');
    await index.updateFile(y);
    assert.equal(index.goSymbols.entry('example.com/shop/yaml%2ev3.Unmarshal')?.defs.length, 1);
    assert.equal(resolver.resolve(user('example.com/shop/yaml%2ev3.Unmarshal')).location?.line, 5);
    index.removeFile(y);
    assert.equal(index.goSymbols.entry('example.com/shop/yaml%2ev3.Unmarshal'), undefined);
    assert.equal(resolver.resolve(user('example.com/shop/yaml%2ev3.Unmarshal')).reason, 'no-source');
  });

  test('a created folder is indexed whole (watchers can miss files written into a new folder), with its own go.mod and excludes', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    // As a checkout would leave it: a new module with a package, its node_modules and a git-ignored file.
    const plugin = join(dir, 'plugins/report');
    mkdirSync(join(plugin, 'render'), { recursive: true });
    mkdirSync(join(plugin, 'node_modules/dep'), { recursive: true });
    writeFileSync(join(plugin, 'go.mod'), 'module example.com/report\n\ngo 1.21\n');
    writeFileSync(join(plugin, 'render/page.go'), 'package render\n\n// Page draws one page.\nfunc Page() {}\n');
    writeFileSync(join(plugin, 'render/draft.go'), 'package render\n\nfunc Draft() {}\n');
    writeFileSync(join(plugin, '.gitignore'), 'render/draft.go\n');
    writeFileSync(join(plugin, 'node_modules/dep/index.js'), 'function depOnly() {}\n');
    assert.equal(resolver.resolve(user('example.com/report/render.Page')).reason, 'no-source', 'not indexed before the folder event');
    await index.updateFile(join(dir, 'plugins'));
    const page = resolver.resolve(user('example.com/report/render.Page'));
    assert.deepEqual(page.location && [page.location.path, page.location.line], [join(plugin, 'render/page.go'), lineMatching(join(plugin, 'render/page.go'), /^func Page\(/)]);
    assert.equal(resolver.resolve(user('example.com/report/render.Draft')).reason, 'no-source', 'a git-ignored file was indexed');
    assert.ok(![...index.filePaths()].some((f) => f.includes('node_modules')), 'node_modules was indexed');
    // A folder event for an excluded folder, or for one that is gone, changes nothing.
    const before = index.generation;
    await index.updateFile(join(plugin, 'node_modules'));
    await index.updateFile(join(dir, 'no-such-folder'));
    assert.equal(index.generation, before);
    rmSync(join(dir, 'plugins'), { recursive: true });
    index.removeFile(join(dir, 'plugins'));
    assert.equal(resolver.resolve(user('example.com/report/render.Page')).reason, 'no-source');
  });

  test('a folder with a dot in its name (gopkg.in/yaml.v3) is read whole, and dropped with a batch of deletions', async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    const yaml = join(dir, 'third/yaml.v3');
    const sibling = join(dir, 'third/yaml.v30');
    for (const [folder, fn] of [[yaml, 'Unmarshal'], [sibling, 'Marshal']]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'yaml.go'), `package yaml\n\nfunc ${fn}() {}\n`);
      await index.updateFile(folder);
    }
    const where = (name: string) => resolver.resolve(user(name)).location?.path;
    // The toolchain escapes the dot of the last import path element.
    assert.equal(where('example.com/shop/third/yaml%2ev3.Unmarshal'), join(yaml, 'yaml.go'));
    assert.equal(where('example.com/shop/third/yaml%2ev30.Marshal'), join(sibling, 'yaml.go'));
    // A clean deletes many things at once: one pass drops the folder, not its sibling sharing the prefix.
    const before = index.generation;
    index.removeFiles([yaml, ...Array.from({ length: 20 }, (_, i) => join(dir, `build/obj${i}.o`))]);
    assert.ok(index.generation > before);
    assert.equal(resolver.resolve(user('example.com/shop/third/yaml%2ev3.Unmarshal')).reason, 'no-source');
    assert.equal(where('example.com/shop/third/yaml%2ev30.Marshal'), join(sibling, 'yaml.go'));
    rmSync(join(dir, 'third'), { recursive: true });
  });

  test('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});
