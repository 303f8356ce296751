// Python functions written inside functions land on their own `def`, with CodeLens (functionLine) on the
// function they are written in. Frames are built from what CPython 3.11 itself reported for a real program
// (test/fixtures/python-nested: co_qualname, co_name, co_firstlineno, a line inside each function; recipe
// beside it), in the spellings profilers print: Pixie/Parca `py::outer.<locals>.inner:/app/nested.py`,
// co_name only, and py-spy's `inner (/app/nested.py:10)`. Expected lines are read off the source with a
// regex, the enclosing function off the qualname (CPython puts `<locals>` right after a function's name).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../model/profile';
import { DefinitionIndex } from './definitionIndex';
import { createNameResolver, type NameResolver } from './nameResolver';
import { repoRoot } from '../../test/support/repoRoot';
import { tsvRows } from '../../test/support/fixtureText';

const dir = join(repoRoot(), 'test/fixtures/python-nested');
const file = join(dir, 'nested.py');
const source = readFileSync(file, 'utf8').split('\n');
const user = (name: string): Frame => ({ name, kind: 'user' });

interface Row {
  qualname: string;
  name: string;
  firstLine: number;
  lineInside: number;
}

const rows: Row[] = tsvRows(join(dir, 'qualnames.tsv')).map(([qualname, name, first, inside]) => ({ qualname, name, firstLine: Number(first), lineInside: Number(inside) }));

/** The `def` line of a function whose code starts at `firstLine` (its first decorator's line when decorated). */
function defLine(row: Row): number {
  for (let i = row.firstLine - 1; i < source.length; i++) {
    if (new RegExp(`^\\s*(async\\s+)?def\\s+${row.name}\\b`).test(source[i])) return i + 1;
    if (!/^\s*@/.test(source[i])) break;
  }
  throw new Error(`no def of ${row.name} at line ${row.firstLine}`);
}

const isClass = (row: Row) => /^\s*class\s/.test(source[row.firstLine - 1]);
const anonymous = (row: Row) => row.name.startsWith('<');
const functions = rows.filter((r) => !isClass(r) && !anonymous(r));
const byQualname = new Map(rows.map((r) => [r.qualname, r]));

/** CodeLens line: the innermost function the qualname says this one is written in, else its own def. */
function expectedFunctionLine(row: Row): number {
  const cut = row.qualname.lastIndexOf('.<locals>.');
  return cut < 0 ? defLine(row) : defLine(byQualname.get(row.qualname.slice(0, cut))!);
}

describe('Python nested functions (real CPython 3.11 qualnames)', () => {
  let index: DefinitionIndex;
  let resolver: NameResolver;
  before(async () => {
    index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    resolver = createNameResolver(index);
  });

  test('the recording covers what it should', () => {
    // Two levels of nesting, a def in a for loop, a decorated one, async, a method of a local class.
    for (const q of ['outer.<locals>.inner.<locals>.innermost', 'walk.<locals>.visit', 'Pipeline.make.<locals>.cached', 'make_adder.<locals>.later', 'make_adder.<locals>.Local.add', 'other.<locals>.inner']) {
      assert.ok(byQualname.has(q), q);
    }
    assert.equal(functions.length, 14);
  });

  test('the index has every function with its decorator-inclusive start (co_firstlineno) and its enclosing function', () => {
    const defs = index.definitionsIn(file);
    for (const row of functions) {
      const def = defs.find((d) => d.line === defLine(row));
      assert.ok(def, row.qualname);
      assert.equal(def.name, row.name);
      assert.equal(def.startLine, row.firstLine, `${row.qualname} starts where CPython's code object does`);
      assert.ok(row.lineInside >= def.startLine && row.lineInside <= def.endLine, `${row.qualname}: line ${row.lineInside} inside`);
      const cut = row.qualname.lastIndexOf('.<locals>.');
      assert.equal(def.enclosingLine, cut < 0 ? undefined : expectedFunctionLine(row), row.qualname);
    }
  });

  test('py::qualname:path frames land on the def, CodeLens on the enclosing function', () => {
    for (const row of functions) {
      const r = resolver.resolve(user(`py::${row.qualname}:/app/nested.py`));
      assert.equal(r.reason, undefined, row.qualname);
      assert.deepEqual(r.location, { path: file, line: defLine(row), functionLine: expectedFunctionLine(row) }, row.qualname);
    }
    // Spot check against the file itself: the inner of outer, not the inner of other.
    const inner = resolver.resolve(user('py::outer.<locals>.inner:/app/nested.py')).location;
    assert.match(source[inner!.line - 1], /^    def inner\(x\):/);
    assert.match(source[inner!.functionLine! - 1], /^def outer\(/);
    assert.match(source[resolver.resolve(user('py::other.<locals>.inner:/app/nested.py')).location!.functionLine! - 1], /^def other\(/);
  });

  test("py-spy's `name (path:line)` frames: the line inside picks among same-named nested functions", () => {
    for (const row of functions) {
      const r = resolver.resolve(user(`${row.name} (/app/nested.py:${row.lineInside})`));
      assert.equal(r.reason, undefined, row.qualname);
      assert.deepEqual(r.location, { path: file, line: defLine(row), functionLine: expectedFunctionLine(row) }, row.qualname);
    }
  });

  test('co_name alone: unique names resolve, the two `inner`s are offered both', () => {
    const inners = functions.filter((r) => r.name === 'inner');
    assert.equal(inners.length, 2);
    const r = resolver.resolve(user('py::inner:/app/nested.py'));
    assert.equal(r.reason, 'ambiguous');
    assert.deepEqual(r.candidates?.map((c) => c.line), inners.map(defLine).sort((a, b) => a - b));
    const visit = byQualname.get('walk.<locals>.visit')!;
    assert.deepEqual(resolver.resolve(user('py::visit:/app/nested.py')).location, { path: file, line: defLine(visit), functionLine: expectedFunctionLine(visit) });
  });

  test('genexpr and lambda frames named by qualname alone (no line, as Pixie gives them) land on their own line (co_firstlineno), CodeLens with their function', () => {
    const placed = rows.filter(anonymous);
    assert.equal(placed.length, 2);
    for (const row of placed) {
      const owner = byQualname.get(row.qualname.slice(0, row.qualname.lastIndexOf('.<locals>.')))!;
      const r = resolver.resolve(user(`py::${row.qualname}:/app/nested.py`));
      assert.equal(r.reason, undefined, row.qualname);
      assert.deepEqual(r.location, { path: file, line: row.firstLine, functionLine: expectedFunctionLine(owner) }, row.qualname);
      assert.ok(owner.firstLine < row.firstLine, row.qualname);
    }
  });

  test("py-spy's `<genexpr> (path:line)` (co_name, no function): its own line, CodeLens with the function around it", () => {
    for (const row of rows.filter(anonymous)) {
      const owner = byQualname.get(row.qualname.slice(0, row.qualname.lastIndexOf('.<locals>.')))!;
      const r = resolver.resolve(user(`${row.name} (/app/nested.py:${row.lineInside})`));
      assert.equal(r.reason, undefined, row.qualname);
      assert.deepEqual(r.location, { path: file, line: row.lineInside, functionLine: expectedFunctionLine(owner) }, row.qualname);
      assert.match(source[row.lineInside - 1], row.name === '<lambda>' ? /lambda/ : / for /, row.qualname);
    }
    // Without a line nothing says which one it is.
    assert.equal(resolver.resolve(user('py::<lambda>:/app/nested.py')).reason, 'no-source');
  });

  test('the recording is what CPython says today (when python3 3.11+ is installed)', (t) => {
    const version = spawnSync('python3', ['-c', 'import sys; print(sys.version_info >= (3, 11))'], { encoding: 'utf8' });
    if (version.status !== 0 || version.stdout.trim() !== 'True') {
      t.skip('python3 3.11+ not installed');
      return;
    }
    const run = spawnSync('python3', ['trace.py'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const body = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).join('\n');
    assert.equal(body(run.stdout), body(readFileSync(join(dir, 'qualnames.tsv'), 'utf8')));
  });
});

describe('Python anonymous frames by file', () => {
  test('two workspace files of the recorded name: the one whose path ends like the recorded path, else both', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pp-pyanon-'));
    try {
      const text = 'def f(xs):\n    return sum(x for x in xs)\n';
      for (const d of ['svc_a', 'svc_b']) {
        mkdirSync(join(root, d));
        writeFileSync(join(root, d, 'job.py'), text);
      }
      const index = await DefinitionIndex.create({ roots: [root] });
      await index.ensureBuilt();
      const r = createNameResolver(index);
      const both = r.resolve(user('<genexpr> (/app/job.py:2)'));
      assert.equal(both.reason, 'ambiguous');
      assert.deepEqual(both.candidates?.map((c) => [c.path, c.line, c.functionLine]).sort(), [
        [join(root, 'svc_a/job.py'), 2, 1],
        [join(root, 'svc_b/job.py'), 2, 1],
      ]);
      assert.deepEqual(r.resolve(user('<genexpr> (/srv/svc_b/job.py:2)')).location, { path: join(root, 'svc_b/job.py'), line: 2, functionLine: 1 });
      assert.equal(r.resolve(user('<genexpr> (/app/other.py:2)')).reason, 'no-source');
      // At module level no definition holds it: the CodeLens goes on its own line (every name-resolved
      // location carries its functionLine; resolveProfile does not look them over again).
      writeFileSync(join(root, 'svc_a/boot.py'), 'import os\nTOTAL = sum(len(p) for p in os.environ)\n');
      await index.updateFile(join(root, 'svc_a/boot.py'));
      assert.deepEqual(r.resolve(user('<genexpr> (/app/boot.py:2)')).location, { path: join(root, 'svc_a/boot.py'), line: 2, functionLine: 2 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('Python defs inside compound statements', () => {
  test('if/elif/else, try/except/finally, for/while/else, with and match/case blocks all hold definitions', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pp-pynest-'));
    try {
      mkdirSync(join(root, 'pkg'));
      const text = [
        'import sys',
        'if sys.platform == "linux":',
        '    def a(): pass',
        'elif sys.platform == "darwin":',
        '    def b(): pass',
        'else:',
        '    def c(): pass',
        'try:',
        '    def d(): pass',
        'except ImportError:',
        '    def e(): pass',
        'finally:',
        '    def f(): pass',
        'def host(items):',
        '    for i in items:',
        '        def g(): pass',
        '    else:',
        '        def h(): pass',
        '    while False:',
        '        def i(): pass',
        '    with open(__file__) as fh:',
        '        def j(): pass',
        '    match items:',
        '        case []:',
        '            def k(): pass',
        'class C:',
        '    if True:',
        '        def m(self): pass',
        '',
      ].join('\n');
      writeFileSync(join(root, 'pkg/mod.py'), text);
      const index = await DefinitionIndex.create({ roots: [root] });
      await index.ensureBuilt();
      const lines = text.split('\n');
      const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
      const got = index.definitionsIn(join(root, 'pkg/mod.py')).map((d) => [d.parts.slice(-3).join('.'), d.line, d.container ?? '', d.enclosingLine ?? 0]);
      const host = lineOf(/def host/);
      const want = [
        ...'abcdef'.split('').map((n) => [`pkg.mod.${n}`, lineOf(new RegExp(`def ${n}\\(`)), '', 0]),
        ['pkg.mod.host', host, '', 0],
        ...'ghijk'.split('').map((n) => [`mod.host.${n}`, lineOf(new RegExp(`def ${n}\\(`)), '', host]),
        ['mod.C.m', lineOf(/def m\(/), 'C', 0],
      ];
      assert.deepEqual(got, want);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('Python lambdas and comprehensions named by qualname alone', () => {
  const SOURCE = [
    'class Report:', //                                          1
    '    def one(self, rows):', //                                2
    '        key = lambda r: r[0]  # only lambda of one', //      3
    '        return sorted(rows, key=key)', //                     4
    '', //                                                         5
    '    def two(self, rows):', //                                6
    '        a = lambda r: r[0]', //                              7
    '        b = lambda r: r[1]', //                              8
    '        return a(rows) + b(rows)', //                        9
    '', //                                                        10
    'def nested(rows):', //                                      11
    '    def inner(r):', //                                       12
    '        return (lambda: r)()  # inner\'s, not nested\'s', // 13
    '    total = sum(x for x in rows)  # the genexpr', //        14
    '    return [lambda: i for i in rows], total', //            15
    '', //                                                        16
    'def inlined(rows):', //                                     17
    '    f = lambda r: r', //                                     18
    '    return [(lambda: f(i))() for i in rows]', //            19
    '',
  ].join('\n');

  test('one of its kind in the function: its line; several, or one inside a nested def: the function', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pp-pylambda-'));
    try {
      const file = join(root, 'report.py');
      writeFileSync(file, SOURCE);
      const index = await DefinitionIndex.create({ roots: [root] });
      await index.ensureBuilt();
      const r = createNameResolver(index);
      const at = (qualname: string) => {
        const res = r.resolve(user(`py::${qualname}:/srv/report.py`));
        return [res.location?.line, res.location?.functionLine];
      };
      assert.deepEqual(at('Report.one.<locals>.<lambda>'), [3, 2]);
      // Two lambdas and nothing to tell them apart: the function.
      assert.deepEqual(at('Report.two.<locals>.<lambda>'), [6, 6]);
      // nested's own lambda (line 15) is one; inner's (line 13) is named through inner and not counted.
      assert.deepEqual(at('nested.<locals>.<lambda>'), [15, 11]);
      assert.deepEqual(at('nested.<locals>.<genexpr>'), [14, 11]);
      assert.deepEqual(at('nested.<locals>.inner.<locals>.<lambda>'), [13, 11]);
      // Python 3.12 inlines the list comprehension, so the lambda inside it is named as if beside f's: two.
      assert.deepEqual(at('inlined.<locals>.<lambda>'), [17, 17]);
      assert.deepEqual(at('inlined.<locals>.<listcomp>.<lambda>'), [17, 17]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
