// The Go fast path of the name resolver (exact runtime symbol looked up in the index, then only the score
// terms that can differ between Go candidates) must answer exactly what scoring every frame the long way
// answers (`noFastPath: true`). Compared on every Go symbol shape built from the real fixture sources'
// index, on every frame of the recorded fixture profiles, and on a scratch module with the tricky cases:
// foreign-platform files, package main in two commands, closures, generics, several definitions of one
// name, escaped import paths, init.N and a vendored copy whose suffix match ties a foreign exact match.
// A few expected answers are also read off the sources by regex, so agreement on wrong answers fails too.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decodeFolded } from '../formats/folded';
import type { Frame } from '../model/profile';
import { DefinitionIndex } from './definitionIndex';
import { createNameResolver } from './nameResolver';
import { escapeImportPath } from './symbols/goSymbol';
import { guessLanguages } from './symbols/parseSymbol';
import { repoRoot } from '../../test/support/repoRoot';
import { lineMatching } from '../../test/support/fixtureText';

const sources = join(repoRoot(), 'test/fixtures/sources');
const profiles = join(repoRoot(), 'test/fixtures/profiles');

const lineOf = lineMatching;

/** Every spelling a profiler gives the Go definitions of `index`: receivers both ways, closures, suffixes. */
function goNames(index: DefinitionIndex): string[] {
  const out = new Set<string>();
  for (const file of index.toJSON().files) {
    for (const d of file.defs) {
      if (d.language !== 'go') continue;
      const pkg = escapeImportPath(d.parts[0]);
      const bases = d.container
        ? [`${pkg}.(*${d.container}).${d.name}`, `${pkg}.${d.container}.${d.name}`, `${pkg}.(*${d.container}[...]).${d.name}`, `${pkg}.${d.container}[go.shape.int].${d.name}`, `${pkg}.(*${d.container}[go.shape.struct { A int; B string }_0]).${d.name}`]
        : [`${pkg}.${d.name}`, `${pkg}.${d.name}[...]`, `${pkg}.${d.name}[go.shape.string,go.shape.int]`, `${pkg}.${d.name}[go.shape.struct { A int; B string }_0]`, `${pkg}.${d.name}[go.shape.interface { M() int }_0]`, `${pkg}.${d.name}[go.shape.map[string]int]`, `${pkg}.${d.name}[go.shape.int]X[go.shape.int]`];
      for (const base of bases) {
        for (const suffix of ['', '.func1', '.func2', '.func1.1', '.func2.1', '.func9', '.gowrap1', '.deferwrap1', '.abi0', '.abiinternal', '+0x1f', '+113', '.0', '.1', '-fm', '-fm+0x1f']) out.add(base + suffix);
      }
      // A wrong package, receiver or pointer-ness spelling: nothing, or another definition. A package the
      // workspace lacks that ends like this one (`elsewhere.org/http` for `net/http`), and the last segment
      // alone (which `net/http` ends with).
      const segment = pkg.slice(pkg.lastIndexOf('/') + 1);
      out.add(`wrong/${pkg}.${d.name}`);
      const short = d.container ? `${segment}.(*${d.container}).${d.name}` : `${segment}.${d.name}`;
      out.add(`elsewhere.org/${short}`);
      out.add(short).add(`${short}.func1`).add(`${short}.func1.1`).add(`${short}[...]`);
      // An empty receiver token (read as a receiver named '', which no definition has).
      out.add(`${pkg}..${d.name}`);
      out.add(`${pkg}.(*Nope).${d.name}`);
    }
  }
  return [...out];
}

/** Records the index's exact Go symbol lookups until restore(): every symbol asked, and how many were found. */
function watchGoLookups(index: DefinitionIndex): { asked: string[]; hits: () => number; restore: () => void } {
  const asked: string[] = [];
  let hits = 0;
  const table = index.goSymbols;
  const lookup = table.entry.bind(table);
  table.entry = (symbol: string) => {
    asked.push(symbol);
    const r = lookup(symbol);
    if (r) hits++;
    return r;
  };
  return { asked, hits: () => hits, restore: () => void (table.entry = lookup) };
}

/** Both resolvers on every name (twice, so cached answers are compared too); returns how many took the fast path. */
function assertSameAnswers(index: DefinitionIndex, frames: readonly Frame[]): number {
  const lookups = watchGoLookups(index);
  try {
    const slow = createNameResolver(index, { noFastPath: true });
    const slowAnswers = frames.map((f) => slow.resolve(f));
    assert.equal(lookups.hits(), 0, 'noFastPath never looks symbols up');
    const fast = createNameResolver(index);
    for (let round = 0; round < 2; round++) {
      frames.forEach((f, i) => assert.deepEqual(fast.resolve(f), slowAnswers[i], `${f.name} (${f.kind})`));
    }
  } finally {
    lookups.restore();
  }
  return lookups.hits();
}

const user = (name: string): Frame => ({ name, kind: 'user' });

describe('Go fast path answers what full scoring answers', () => {
  test('fixture Go program alone (a Go-only workspace, where the fast path applies): every symbol shape and the recorded profiles', async () => {
    const index = await DefinitionIndex.create({ roots: [join(sources, 'go')] });
    await index.ensureBuilt();
    const names = goNames(index);
    const frames = names.map(user);
    for (const file of readdirSync(profiles).filter((f) => f.endsWith('.folded'))) {
      frames.push(...decodeFolded(readFileSync(join(profiles, file), 'utf8'), { source: file }).frames);
    }
    const hits = assertSameAnswers(index, frames);
    assert.ok(hits > names.length / 3, `fast path taken for ${hits} of ${names.length} names`);
    // Independent check of what both say: the recorded hot method, and main.main defined in both files.
    const mainGo = join(sources, 'go/main.go');
    const r = createNameResolver(index);
    assert.deepEqual(r.resolve(user('main.(*productCatalog).parseCatalog')).location, { path: mainGo, line: lineOf(mainGo, /^func \(c \*productCatalog\) parseCatalog\(/), functionLine: lineOf(mainGo, /^func \(c \*productCatalog\) parseCatalog\(/) });
    const main = r.resolve(user('main.main'));
    assert.equal(main.reason, 'ambiguous');
    assert.deepEqual(main.candidates?.map((c) => [c.path, c.line]), [
      [join(sources, 'go/client.go'), lineOf(join(sources, 'go/client.go'), /^func main\(/)],
      [mainGo, lineOf(mainGo, /^func main\(/)],
    ]);
  });

  test('names with a suffix the toolchain or a profiler adds are not looked up as spelled, unless a function is named like the suffix', async () => {
    const index = await DefinitionIndex.create({ roots: [join(sources, 'go')] });
    await index.ensureBuilt();
    assert.equal(index.goSymbols.hasSuffixNames, false);
    const { asked } = watchGoLookups(index);
    const r = createNameResolver(index);
    const base = 'main.(*productCatalog).parseCatalog';
    for (const suffix of ['.func1', '.func1.2', '.gowrap1', '.abi0', '.abiinternal', '+0x1f', '+113']) {
      asked.length = 0;
      const name = base + suffix;
      const answer = r.resolve(user(name));
      assert.ok(!asked.includes(name), `${name} looked up as spelled: ${asked.join(', ')}`);
      // (By either spelling of the receiver: the index knows both.)
      assert.ok(asked.includes(base) || asked.includes('main.productCatalog.parseCatalog'), `${name}: its function is looked up (asked ${asked.join(', ')})`);
      assert.equal(answer.location?.path, join(sources, 'go/main.go'), name);
    }
    asked.length = 0;
    r.resolve(user('main.Sum[...]'));
    assert.ok(!asked.includes('main.Sum[...]'), asked.join(', '));
    // Plain names are looked up as spelled.
    asked.length = 0;
    r.resolve(user(base));
    assert.deepEqual(asked, [base]);
  });

  test('all fixture sources (Java present: Go-looking names have two readings) and the recorded profiles', async () => {
    const index = await DefinitionIndex.create({ roots: [sources] });
    await index.ensureBuilt();
    const frames = goNames(index).map(user);
    for (const file of readdirSync(profiles).filter((f) => f.endsWith('.folded'))) {
      frames.push(...decodeFolded(readFileSync(join(profiles, file), 'utf8'), { source: file }).frames);
    }
    assertSameAnswers(index, frames);
  });

  test('removing or editing a file with two methods of one name, a name no other file has, leaves neither behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-gofast-drop-'));
    try {
      const file = join(dir, 's.go');
      writeFileSync(join(dir, 'go.mod'), 'module m\n');
      writeFileSync(file, 'package m\n\ntype A struct{}\n\nfunc (A) Only() {}\n\ntype B struct{}\n\nfunc (*B) Only() {}\n');
      const index = await DefinitionIndex.create({ roots: [dir] });
      await index.ensureBuilt();
      assert.equal(index.goSymbols.entry('m.(*B).Only')?.defs.length, 1);
      index.removeFile(file);
      for (const symbol of ['m.(*A).Only', 'm.A.Only', 'm.(*B).Only', 'm.B.Only']) assert.equal(index.goSymbols.entry(symbol), undefined, symbol);
      assert.deepEqual(index.goSymbols.candidates('Only', 'B', 'm'), []);
      assert.equal(createNameResolver(index).resolve(user('m.(*B).Only')).reason, 'no-source');
      await index.updateFile(file);
      // An edit moves B's method: one definition, at its new line.
      writeFileSync(file, 'package m\n\ntype A struct{}\n\nfunc (A) Only() {}\n\ntype B struct{}\n\n\n\nfunc (*B) Only() {}\n');
      await index.updateFile(file);
      assert.equal(index.goSymbols.entry('m.(*B).Only')?.defs.length, 1);
      assert.equal(index.goSymbols.candidates('Only', 'B', 'm').length, 1);
      assert.deepEqual(createNameResolver(index).resolve(user('m.(*B).Only')).location, { path: file, line: 11, functionLine: 11 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('ABI wrapper and offset names in a workspace with Java, one of them also a Java method: the same answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-gofast-java-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module q\n');
      writeFileSync(join(dir, 'f.go'), 'package q\n\nfunc F() {}\n\nfunc G() {}\n');
      // `q.F.abi0` also names method abi0 of Java class q.F.
      writeFileSync(join(dir, 'F.java'), 'package q;\n\nclass F {\n  void abi0() {}\n}\n');
      const index = await DefinitionIndex.create({ roots: [dir] });
      await index.ensureBuilt();
      assert.deepEqual([...index.languages()].sort(), ['go', 'java']);
      assertSameAnswers(index, ['q.F.abi0', 'q.F.abi0+0x1f', 'q.G+0x1f', 'q.G.abi0'].map(user));
      // (Both prefer Go's exact symbol to the Java method.)
      assert.equal(createNameResolver(index).resolve(user('q.F.abi0')).location?.path, join(dir, 'f.go'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A module whose import paths have five segments, so a vendored copy's directory can spell as much of one
// as the 5-segment cap of the suffix score allows: that ties an exact match found only in a foreign file.
const MODULE = 'example.com/a/b/c';
const FILES: Record<string, string> = {
  'go.mod': `module ${MODULE}\n\ngo 1.21\n`,
  // Only in a Windows file, and a vendored copy elsewhere: equal scores, so ambiguous.
  'p/serve_windows.go': 'package p\n\nfunc Serve() {}\n\nfunc OnlyWindows() {}\n',
  'vendor/example.com/a/b/c/p/h.go': 'package p\n\n\nfunc Serve() {}\n',
  // A nested module with a 2-segment import path: its vendored copy spells at most 2 segments (6 < 15),
  // so the exact match in a foreign file wins alone.
  // A module path no Go shape check accepts (it starts with a capital): its symbols read as no language.
  'upper/go.mod': 'module Upper\n',
  'upper/p/p.go': 'package p\n\nfunc F() {}\n',
  'short/go.mod': 'module example.org/x\n',
  'short/p/serve_windows.go': 'package p\n\nfunc Serve() {}\n',
  'short/vendor/example.org/x/p/h.go': 'package p\n\nfunc Serve() {}\n',
  // The same function per platform: the Linux build's file wins.
  'q/q_linux.go': 'package q\n\nfunc Open() {}\n',
  'q/q_windows.go': 'package q\n\n\nfunc Open() {}\n',
  'q/q_darwin_arm64.go': 'package q\n\n\n\nfunc Open() {}\n',
  'q/q_test.go': 'package q\n\nfunc Helper() {}\n',
  'q/init_a.go': 'package q\n\nfunc init() {}\n',
  'q/init_b.go': 'package q\n\n\nfunc init() {}\n',
  // Generics with closures, in the receiver and in functions.
  'g/g.go': `package g

type List[T any] struct{ items []T }

func (l *List[T]) Push(v T) {
	f := func() { // push.func1
		g := func() { l.items = append(l.items, v) } // push.func1.1
		g()
	}
	f()
}

func (l List[T]) Len() int { return len(l.items) }

func Sum[T int | float64](xs ...T) T {
	var s T
	add := func(x T) { s += x } // sum.func1
	for _, x := range xs {
		add(x)
	}
	return s
}
`,
  // Several definitions of one name: String on several types and packages.
  'g/s.go': 'package g\n\ntype A struct{}\n\nfunc (A) String() string { return "a" }\n\ntype B struct{}\n\nfunc (*B) String() string { return "b" }\n',
  'h/s.go': 'package h\n\ntype A struct{}\n\nfunc (A) String() string { return "a" }\n',
  // Two commands: package main twice, each with main and run (a closure inside).
  'cmd/tool/main.go': 'package main\n\nfunc run() {\n\tgo func() {}()\n}\n\nfunc main() { run() }\n',
  'cmd/other/main.go': 'package main\n\n\nfunc run() {\n\tdefer func() {}()\n}\n\nfunc main() { run() }\n',
  // Only a foreign command's main: still the answer (nothing better), but with the malus.
  'cmd/win/main_windows.go': 'package main\n\nfunc winOnly() {}\n',
  // The linker escapes the dot of the last element.
  'yaml.v3/y.go': 'package yaml\n\nfunc Unmarshal() { _ = func() {} }\n',
  // Names the closure shortcut (goClosure) must read as parsing does: a value receiver named glob (not
  // glob..func1), init (init.N is a function, so init.func1 is read as init), a function named like a
  // closure token, and a '%' in a directory above the package (unescaped by the parser). (A method named
  // like a closure token, `func (T) func3()`, is left out: its exact symbol `pkg.T.func3` finds the method,
  // while full scoring reads closure 3 of a function T, as it reads every such name.)
  'r/r.go': 'package r\n\ntype glob struct{}\n\nfunc (glob) M() { _ = func() {} }\n\nfunc T() {}\n\nfunc func3() { _ = func() {} }\n\nfunc init() { go func() {}() }\n',
  'pct%41/z/z.go': 'package z\n\nfunc F() { _ = func() {} }\n',
  // Identifiers beyond ASCII.
  'u/u.go': 'package u\n\ntype Tëst struct{}\n\nfunc (*Tëst) Größe() { _ = func() {} }\n\nfunc Φ() {}\n',
};

describe('Go fast path on the tricky cases of a scratch module', () => {
  let dir: string;
  let index: DefinitionIndex;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pp-gofast-'));
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every symbol shape of every definition, plus names the index does not know', () => {
    const names = goNames(index);
    names.push(`${MODULE}/p.Missing`, `${MODULE}/q.init.0`, `${MODULE}/q.init.1`, `${MODULE}/g.glob..func1`, 'main.run.gowrap1', 'main.run.deferwrap1', 'main.(*List).Push', 'p.Serve', 'c/p.Serve', `${MODULE}/yaml.v3.Unmarshal`);
    names.push(`${MODULE}/r.init.func1`, `${MODULE}/r.glob.M.func1`, `${MODULE}/r.(*glob).M.func1`, `${MODULE}/r.T.func3.func1`, `${MODULE}/r.T.func3.1`, `${MODULE}/r.func3.func1`, `${MODULE}/r.func3`, `${MODULE}/pct%41/z.F.func1`, `${MODULE}/pct%2541/z.F.func1`, `${MODULE}/yaml%2Ev3.Unmarshal.func1`);
    const hits = assertSameAnswers(index, names.map(user));
    assert.ok(hits > names.length / 3, `fast path taken for ${hits} of ${names.length} names`);
  });

  test('closures noted while indexing answer from their own symbol, without the walk to the literal, and follow edits', async () => {
    const gGo = join(dir, 'g/g.go');
    const name = `${MODULE}/g.(*List).Push.func1.1`;
    const lookups = watchGoLookups(index);
    const asked = lookups.asked;
    try {
      const r = createNameResolver(index);
      const got = r.resolve(user(name));
      assert.deepEqual(got.location, { path: gGo, line: lineOf(gGo, /push\.func1\.1$/), functionLine: lineOf(gGo, /^func \(l \*List\[T\]\) Push/) });
      assert.ok(!asked.includes(`${MODULE}/g.(*List).Push`), `the function was looked up: ${asked.join(', ')}`);
      assert.equal(got, index.goSymbols.closure(name)?.resolution, 'the answer noted at index time, shared');
      // main.run has two best definitions (two commands): the walk decides, and offers both.
      asked.length = 0;
      assert.equal(r.resolve(user('main.run.func1')).reason, 'ambiguous');
      assert.ok(asked.includes('main.run'), asked.join(', '));
    } finally {
      lookups.restore();
    }
    index.removeFile(gGo);
    assert.equal(index.goSymbols.closure(name), undefined);
    assert.equal(createNameResolver(index).resolve(user(name)).reason, 'no-source');
    await index.updateFile(gGo);
    assert.equal(createNameResolver(index).resolve(user(name)).location?.line, lineOf(gGo, /push\.func1\.1$/));
  });

  test('Go candidates (receiver, name, last import path segment) are the definitions of the name that qualify, in index order, through edits', async () => {
    const tail = (pkg: string) => pkg.slice(pkg.lastIndexOf('/') + 1);
    // What goSymbols.candidates answers, the long way: the name's definitions filtered.
    const filtered = (name: string, container: string | undefined, pkg: string) =>
      index.lookup(name).filter((d) => d.language === 'go' && d.container === container && tail(d.parts[0]) === tail(pkg));
    const assertAll = () => {
      for (const file of index.filePaths()) {
        for (const d of index.definitionsIn(file)) {
          if (d.language !== 'go') continue;
          for (const pkg of [d.parts[0], `elsewhere.org/${tail(d.parts[0])}`, 'elsewhere.org/nothing']) {
            assert.deepEqual(index.goSymbols.candidates(d.name, d.container, pkg), filtered(d.name, d.container, pkg), `${pkg} ${d.container} ${d.name}`);
          }
        }
      }
    };
    assertAll();
    // Serve in p, in its vendored copy and in the nested module's p and vendored p; not A.String of package h for g's.
    assert.equal(index.goSymbols.candidates('Serve', undefined, `${MODULE}/p`).length, 4);
    assert.deepEqual(index.goSymbols.candidates('String', 'A', 'g').map((d) => d.file), [join(dir, 'g/s.go')]);
    assert.deepEqual(index.goSymbols.candidates('String', 'A', 'nothing'), []);
    // A package the workspace lacks whose last segment it has: candidates, but no answer.
    assert.equal(createNameResolver(index).resolve(user('elsewhere.org/g.A.String')).reason, 'no-source');
    const sGo = join(dir, 'g/s.go');
    index.removeFile(sGo);
    assert.deepEqual(index.goSymbols.candidates('String', 'A', 'g'), []);
    assertAll();
    await index.updateFile(sGo);
    assert.deepEqual(index.goSymbols.candidates('String', 'A', 'g').map((d) => d.file), [sGo]);
    assertAll();
  });

  test('a Go package matches a symbol package when goPackageMatches says so of some definition, through edits', async () => {
    // The long way: some Go definition's import path equals `pkg`, or (neither `main`) one ends with the other after '/'.
    const matches = (a: string, b: string) => a === b || (a !== 'main' && b !== 'main' && (a.endsWith(`/${b}`) || b.endsWith(`/${a}`)));
    const goPackages = () => new Set([...index.filePaths()].flatMap((f) => index.definitionsIn(f).filter((d) => d.language === 'go').map((d) => d.parts[0])));
    const spellings = () => {
      const out = new Set(['main', 'x/main', 'nothing', 'elsewhere.org/nothing', '', 'g', 'p']);
      for (const pkg of goPackages()) {
        const segments = pkg.split('/');
        for (let i = 0; i < segments.length; i++) out.add(segments.slice(i).join('/')).add(`elsewhere.org/${segments.slice(i).join('/')}`);
        out.add(`${pkg}x`).add(`${pkg}/sub`);
      }
      return out;
    };
    const assertAll = () => {
      const packages = [...goPackages()];
      let known = 0;
      for (const pkg of spellings()) {
        const expected = packages.some((p) => matches(pkg, p));
        assert.equal(index.goSymbols.hasPackageMatching(pkg), expected, pkg);
        if (expected) known++;
      }
      return known;
    };
    assert.ok(assertAll() > 10);
    assert.equal(index.goSymbols.hasPackageMatching('main'), true);
    assert.equal(index.goSymbols.hasPackageMatching('x/main'), false, 'package main matches only main');
    assert.equal(index.goSymbols.hasPackageMatching('c/yaml.v3'), true, 'the import path ends with it');
    assert.equal(index.goSymbols.hasPackageMatching(`elsewhere.org/${MODULE}/yaml.v3`), true, 'it ends with the import path');
    assert.equal(index.goSymbols.hasPackageMatching('elsewhere.org/yaml.v3'), false, 'same last segment only');
    // A file removed and added back: whether its package still matches meanwhile, and all spellings after each step.
    const removeAndRestore = async (rel: string, stillMatches: boolean) => {
      const file = join(dir, rel);
      const pkg = index.definitionsIn(file)[0].parts[0];
      index.removeFile(file);
      assert.equal(index.goSymbols.hasPackageMatching(pkg), stillMatches, rel);
      assertAll();
      await index.updateFile(file);
      assert.equal(index.goSymbols.hasPackageMatching(pkg), true, rel);
      assertAll();
    };
    // The only Go file of package z takes z and its suffixes with it; package q has other files.
    await removeAndRestore('pct%41/z/z.go', false);
    await removeAndRestore('q/q_linux.go', true);
  });

  test('symbol entries keep their native definitions and readings through edits, and answers stay the same', async () => {
    const linux = join(dir, 'q/q_linux.go');
    const entry = () => index.goSymbols.entry(`${MODULE}/q.Open`);
    const files = (defs: readonly { file: string }[] | undefined) => defs?.map((d) => d.file).sort();
    const all = ['q/q_darwin_arm64.go', 'q/q_linux.go', 'q/q_windows.go'].map((f) => join(dir, f));
    assert.deepEqual(files(entry()?.defs), all);
    assert.deepEqual(files(entry()?.native), [linux]);
    assert.deepEqual(entry()?.readings, guessLanguages(`${MODULE}/q.Open`));
    // The answer for the exact symbol is built once by the index and handed out as is, frozen.
    const r = createNameResolver(index);
    const open = r.resolve(user(`${MODULE}/q.Open`));
    assert.equal(open, entry()?.resolution);
    assert.equal(r.resolve(user(`${MODULE}/q.Open`)), open);
    assert.ok(Object.isFrozen(open) && Object.isFrozen(open.location));
    assert.deepEqual(open.location, { path: linux, line: lineOf(linux, /^func Open/), functionLine: lineOf(linux, /^func Open/) });
    const names = goNames(index);
    index.removeFile(linux);
    assert.deepEqual(files(entry()?.defs), all.filter((f) => f !== linux));
    assert.deepEqual(entry()?.native, []);
    assertSameAnswers(index, names.map(user));
    // Only foreign files now: no other package defines Open, so both foreign definitions are offered.
    assert.equal(createNameResolver(index).resolve(user(`${MODULE}/q.Open`)).candidates?.length, 2);
    await index.updateFile(linux);
    assert.deepEqual(files(entry()?.native), [linux]);
    assertSameAnswers(index, names.map(user));
    // A foreign definition added after a native one leaves `native` as it was.
    writeFileSync(join(dir, 'q/q_plan9.go'), 'package q\n\nfunc Open() {}\n');
    await index.updateFile(join(dir, 'q/q_plan9.go'));
    assert.equal(entry()?.defs.length, 4);
    assert.deepEqual(files(entry()?.native), [linux]);
    index.removeFile(join(dir, 'q/q_plan9.go'));
    assert.equal(index.goSymbols.entry(`${MODULE}/q.Nothing`), undefined);
    // The languages present follow files in and out (a resolver reads them once per index generation).
    assert.deepEqual([...index.languages()], ['go']);
    // A function named like a closure token (r.go's func3) makes `pkg.X.func3` worth looking up as spelled.
    assert.equal(index.goSymbols.hasSuffixNames, true);
    const rGo = join(dir, 'r/r.go');
    index.removeFile(rGo);
    assert.equal(index.goSymbols.hasSuffixNames, false);
    await index.updateFile(rGo);
    assert.equal(index.goSymbols.hasSuffixNames, true);
    writeFileSync(join(dir, 'tool.py'), 'def main():\n    pass\n');
    await index.updateFile(join(dir, 'tool.py'));
    assert.deepEqual([...index.languages()].sort(), ['go', 'python']);
    index.removeFile(join(dir, 'tool.py'));
    assert.deepEqual([...index.languages()], ['go']);
  });

  test('what both answer, checked against the sources', () => {
    const r = createNameResolver(index);
    const at = (rel: string, re: RegExp) => ({ path: join(dir, rel), line: lineOf(join(dir, rel), re) });
    const where = (name: string) => {
      const res = r.resolve(user(name));
      return { reason: res.reason, path: res.location?.path, line: res.location?.line, candidates: res.candidates?.map((c) => `${c.path}:${c.line}`) };
    };
    // Unicode identifiers, closures too.
    assert.deepEqual(where(`${MODULE}/u.(*Tëst).Größe`), { reason: undefined, ...at('u/u.go', /^func \(\*Tëst\) Größe/), candidates: undefined });
    assert.deepEqual(where(`${MODULE}/u.Φ`), { reason: undefined, ...at('u/u.go', /^func Φ/), candidates: undefined });
    assert.equal(where(`${MODULE}/u.(*Tëst).Größe.func1`).line, lineOf(join(dir, 'u/u.go'), /^func \(\*Tëst\) Größe/));
    // Linux build's file over Windows/Darwin ones.
    assert.deepEqual(where(`${MODULE}/q.Open`), { reason: undefined, ...at('q/q_linux.go', /^func Open/), candidates: undefined });
    // Exact but foreign (15) ties the vendored copy's 5-segment suffix match (15): both offered.
    const serve = where(`${MODULE}/p.Serve`);
    assert.equal(serve.reason, 'ambiguous');
    const win = at('p/serve_windows.go', /^func Serve/);
    const vend = at('vendor/example.com/a/b/c/p/h.go', /^func Serve/);
    assert.deepEqual(serve.candidates, [`${win.path}:${win.line}`, `${vend.path}:${vend.line}`].sort());
    assert.deepEqual(where('example.org/x/p.Serve'), { reason: undefined, ...at('short/p/serve_windows.go', /^func Serve/), candidates: undefined });
    // Foreign and alone: still placed.
    assert.deepEqual(where(`${MODULE}/p.OnlyWindows`), { reason: undefined, ...at('p/serve_windows.go', /^func OnlyWindows/), candidates: undefined });
    assert.deepEqual(where('main.winOnly'), { reason: undefined, ...at('cmd/win/main_windows.go', /^func winOnly/), candidates: undefined });
    // Generic receiver and function, closures by number.
    assert.equal(where(`${MODULE}/g.(*List[...]).Push.func1.1`).line, lineOf(join(dir, 'g/g.go'), /push\.func1\.1$/));
    assert.equal(where(`${MODULE}/g.(*List[go.shape.int]).Push.func1`).line, lineOf(join(dir, 'g/g.go'), /push\.func1$/));
    assert.equal(where(`${MODULE}/g.Sum[go.shape.int].func1`).line, lineOf(join(dir, 'g/g.go'), /sum\.func1$/));
    assert.equal(where(`${MODULE}/g.List[...].Len`).line, lineOf(join(dir, 'g/g.go'), /^func \(l List\[T\]\) Len/));
    // Same name, other receiver or package: only the right one.
    assert.equal(where(`${MODULE}/g.(*B).String`).line, lineOf(join(dir, 'g/s.go'), /^func \(\*B\) String/));
    assert.equal(where(`${MODULE}/h.A.String`).path, join(dir, 'h/s.go'));
    // Package main in two commands: ambiguous, closures in it too (no line can be chosen).
    assert.equal(where('main.run').candidates?.length, 2);
    const closure = r.resolve(user('main.run.func1'));
    assert.equal(closure.reason, 'ambiguous');
    assert.match(closure.via ?? '', /closure in run/);
    // Two init functions of one package: both offered for init.0.
    assert.equal(where(`${MODULE}/q.init.0`).candidates?.length, 2);
    // Escaped dot; a closure inside it.
    assert.equal(where(`${MODULE}/yaml%2ev3.Unmarshal.func1`).line, 3);
  });
});
