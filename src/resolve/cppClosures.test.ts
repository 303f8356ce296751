// C++ lambdas on their own lines, checked against DWARF: the lambda symbols g++ 12 and clang 14 really emitted
// for test/fixtures/closures/cpp/lambdas.cpp, each with the line addr2line gives for its address (symbols.tsv;
// recipe in test/fixtures/closures/README.md), and clang's `$_N` names for unnamed.cpp (unnamed.tsv). The two compilers number lambdas differently; a name that
// means different lambdas under the two numberings must stay on its function. When a C++ compiler is
// installed the program is also compiled here and its symbols checked the same way.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCppSymbol } from './symbols/cppSymbol';
import { repoRoot } from '../../test/support/repoRoot';
import { lineMatching, tsvRows } from '../../test/support/fixtureText';
import { symbolsWithLines } from '../../test/support/binarySymbols';
import { framePlacer, type Placer } from '../../test/support/framePlacer';

const dir = join(repoRoot(), 'test/fixtures/closures/cpp');
const source = join(dir, 'lambdas.cpp');

/** 1-based line of the first line of lambdas.cpp matching `re`. */
const lineOf = (re: RegExp) => lineMatching(source, re);

interface Recorded {
  compiler: string;
  symbol: string;
  line: number;
  /** As nm -C (GNU's demangler) prints it: `{lambda(int const&)#3}`. */
  demangled: string;
  /** As llvm-cxxfilt prints it: `'lambda1'(int const&)`. */
  llvm: string;
}

const recordedIn = (file: string): Recorded[] =>
  tsvRows(join(dir, file)).map(([compiler, symbol, line, demangled, llvm]) => ({ compiler, symbol, line: Number(line), demangled, llvm }));
const recorded = recordedIn('symbols.tsv');

/** Demangled names both compilers emitted for lambdas on different lines: only the compiler could tell. */
const ambiguous = new Set(
  recorded.filter((a) => recorded.some((b) => b.demangled === a.demangled && b.line !== a.line)).map((r) => r.demangled),
);

/** The enclosing method's name line (where an unplaced lambda lands). */
const functionLine = (demangled: string) => (demangled.includes('::tally(') ? lineOf(/int tally\(/) : lineOf(/int build\(/));

describe('C++ lambdas against DWARF lines', () => {
  let place: Placer;
  before(async () => {
    place = await framePlacer(dir);
  });

  test('the fixture: both numberings, three lambdas sharing a signature, one nested level', () => {
    const gcc = recorded.filter((r) => r.compiler.startsWith('g++'));
    const clang = recorded.filter((r) => r.compiler.startsWith('clang'));
    assert.equal(gcc.length, 11);
    assert.equal(clang.length, 11);
    // g++ 12 counts all of a function's lambdas, clang only those of the same signature.
    assert.ok(gcc.some((r) => r.demangled.startsWith('shop::Report::build(int)::{lambda(int const&)#3}')));
    assert.ok(clang.some((r) => r.demangled.startsWith('shop::Report::build(int)::{lambda(int const&)#2}')));
    assert.deepEqual([...ambiguous], ['shop::Report::tally(int)::{lambda(int)#2}::operator()(int) const']);
  });

  for (const [compiler, numbering] of [['g++', 'one count per function'], ['clang', 'one count per signature']]) {
    test(`${compiler} (${numbering}): every lambda, mangled and demangled by GNU's and LLVM's demanglers, lands on the line DWARF gives`, () => {
      for (const { symbol, line, demangled, llvm } of recorded.filter((r) => r.compiler.startsWith(compiler))) {
        const want = ambiguous.has(demangled) ? [source, functionLine(demangled), functionLine(demangled)] : [source, line, functionLine(demangled)];
        assert.deepEqual(place(symbol), want, `${symbol} (${demangled})`);
        assert.deepEqual(place(demangled), want, demangled);
        assert.deepEqual(place(llvm), want, llvm);
      }
    });
  }

  test('a number no lambda of that signature has leaves the frame on the function', () => {
    const build = lineOf(/int build\(/);
    assert.deepEqual(place('shop::Report::build(int)::{lambda(double)#1}::operator()(double) const'), [source, build, build]);
    assert.deepEqual(place('shop::Report::build(int)::{lambda(int const&)#7}::operator()(int const&) const'), [source, build, build]);
    const nested = 'shop::Report::build(int)::{lambda(long)#4}::operator()(long) const::{lambda(char)#3}::operator()(char) const';
    assert.ok(parseCppSymbol(nested)?.cppLambdas?.length === 2);
    assert.deepEqual(place(nested), [source, build, build]);
  });

  for (const names of [['g++'], ['clang++', 'clang++-14']]) {
    test(`${names[0]} here: the lambda symbols it emits now resolve to the lines addr2line gives`, (t) => {
      const compiler = names.find((c) => spawnSync(c, ['--version']).status === 0);
      if (!compiler) return t.skip(`${names[0]} not available`);
      const tmp = mkdtempSync(join(tmpdir(), 'pp-cxx-'));
      try {
        const bin = join(tmp, 'lambdas');
        const cc = spawnSync(compiler, ['-O0', '-g', source, '-o', bin], { encoding: 'utf8' });
        if (cc.error || cc.status !== 0) return t.skip(`${compiler} failed: ${cc.stderr}`);
        const symbols = symbolsWithLines(bin, /shop::Report::\w+\(int\)::\{lambda\(/);
        if (typeof symbols === 'string') return t.skip(symbols);
        assert.equal(symbols.length, 11);
        for (const s of symbols) assert.equal(place(s.mangled)[1], ambiguous.has(s.demangled) ? functionLine(s.demangled) : s.line, s.demangled);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});

describe("clang's `$_N` lambdas (functions that are not inline) against DWARF lines", () => {
  const unnamed = join(dir, 'unnamed.cpp');
  const rows = recordedIn('unnamed.tsv');
  /** Where a `$_N` frame belongs: its lambda's line, or the function's when another lambda there has its signature. */
  const expected = (demangled: string, line: number) => {
    const fn = lineMatching(unnamed, new RegExp(`^\\S.*\\b${/(\w+)\(int\)::\$_/.exec(demangled)![1]}\\(int`));
    return demangled.includes('twins(') ? [unnamed, fn, fn] : [unnamed, line, fn];
  };
  let place: Placer;
  before(async () => {
    place = await framePlacer(dir);
  });

  test('the fixture: N follows code generation, not the source, and two lambdas share a signature', () => {
    assert.equal(rows.length, 7);
    // helper() is written before run() but generated after it, when run() calls it.
    const n = (fn: string) => Number(/\$_(\d+)/.exec(rows.find((r) => r.demangled.startsWith(fn))!.demangled)![1]);
    assert.ok(lineMatching(unnamed, /int helper\(/) < lineMatching(unnamed, /int run\(/) && n('helper(int)') > n('run(int)'));
    assert.equal(rows.filter((r) => r.demangled.startsWith('shop::twins(int)::$_') && r.demangled.endsWith('operator()(int) const')).length, 2);
  });

  test('each lands on its lambda by the call operator\'s parameters; the two of one signature stay on their function', () => {
    for (const { symbol, line, demangled, llvm } of rows) {
      assert.deepEqual(place(symbol), expected(demangled, line), `${symbol} (${demangled})`);
      assert.deepEqual(place(demangled), expected(demangled, line), demangled);
      assert.deepEqual(place(llvm), expected(demangled, line), llvm);
    }
  });

  test('clang++ here: the `$_N` symbols it emits now resolve to the lines addr2line gives', (t) => {
    const compiler = ['clang++', 'clang++-14'].find((c) => spawnSync(c, ['--version']).status === 0);
    if (!compiler) return t.skip('clang++ not available');
    const tmp = mkdtempSync(join(tmpdir(), 'pp-clang-'));
    try {
      const bin = join(tmp, 'unnamed');
      const cc = spawnSync(compiler, ['-O0', '-g', unnamed, '-o', bin], { encoding: 'utf8' });
      if (cc.error || cc.status !== 0) return t.skip(`${compiler} failed: ${cc.stderr}`);
      const symbols = symbolsWithLines(bin, /::\$_\d+::/);
      if (typeof symbols === 'string') return t.skip(symbols);
      assert.equal(symbols.length, 7);
      for (const s of symbols) assert.deepEqual(place(s.mangled), expected(s.demangled, s.line), s.demangled);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
