// C++ lambdas on their own lines, checked against DWARF: the lambda symbols g++ 12 and clang 14 really emitted
// for test/fixtures/closures/cpp/lambdas.cpp, each with the line addr2line gives for its address (symbols.tsv;
// recipe in test/fixtures/closures/README.md). The two compilers number lambdas differently; a name that
// means different lambdas under the two numberings must stay on its function. When a C++ compiler is
// installed the program is also compiled here and its symbols checked the same way.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefinitionIndex } from './definitionIndex';
import { createNameResolver, type NameResolver } from './nameResolver';
import { parseCppSymbol } from './symbols/cppSymbol';
import { repoRoot } from '../../test/support/repoRoot';
import { lineMatching, tsvRows } from '../../test/support/fixtureText';

const dir = join(repoRoot(), 'test/fixtures/closures/cpp');
const source = join(dir, 'lambdas.cpp');

/** 1-based line of the first line of lambdas.cpp matching `re`. */
const lineOf = (re: RegExp) => lineMatching(source, re);

interface Recorded {
  compiler: string;
  symbol: string;
  line: number;
  demangled: string;
}

const recorded: Recorded[] = tsvRows(join(dir, 'symbols.tsv')).map(([compiler, symbol, line, demangled]) => ({ compiler, symbol, line: Number(line), demangled }));

/** Demangled names both compilers emitted for lambdas on different lines: only the compiler could tell. */
const ambiguous = new Set(
  recorded.filter((a) => recorded.some((b) => b.demangled === a.demangled && b.line !== a.line)).map((r) => r.demangled),
);

/** The enclosing method's name line (where an unplaced lambda lands). */
const functionLine = (demangled: string) => (demangled.includes('::tally(') ? lineOf(/int tally\(/) : lineOf(/int build\(/));

describe('C++ lambdas against DWARF lines', () => {
  let resolver: NameResolver;
  before(async () => {
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    resolver = createNameResolver(index);
  });

  const place = (name: string) => {
    const r = resolver.resolve({ name, kind: 'user' });
    assert.equal(r.reason, undefined, name);
    return [r.location?.path, r.location?.line, r.location?.functionLine];
  };

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

  test('g++ 12 (one count per function): every lambda, mangled and demangled, lands on the line DWARF gives', () => {
    for (const { symbol, line, demangled } of recorded.filter((r) => r.compiler.startsWith('g++'))) {
      const want = ambiguous.has(demangled) ? [source, functionLine(demangled), functionLine(demangled)] : [source, line, functionLine(demangled)];
      assert.deepEqual(place(symbol), want, `${symbol} (${demangled})`);
      assert.deepEqual(place(demangled), want, demangled);
    }
  });

  test('clang 14 (one count per signature): every lambda, mangled and demangled, lands on the line DWARF gives', () => {
    for (const { symbol, line, demangled } of recorded.filter((r) => r.compiler.startsWith('clang'))) {
      const want = ambiguous.has(demangled) ? [source, functionLine(demangled), functionLine(demangled)] : [source, line, functionLine(demangled)];
      assert.deepEqual(place(symbol), want, `${symbol} (${demangled})`);
      assert.deepEqual(place(demangled), want, demangled);
    }
  });

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
        // The same symbols by address, mangled and demangled (the demangled name says which are ours).
        const nm = spawnSync('nm', ['-n', bin], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
        const nmC = spawnSync('nm', ['-n', '-C', bin], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
        if (nm.status !== 0 || nmC.status !== 0) return t.skip('nm not available');
        const demangled = nmC.stdout.split('\n');
        const symbols = nm.stdout
          .split('\n')
          .map((l, i) => [...l.split(' '), demangled[i]?.split(' ').slice(2).join(' ') ?? ''])
          .filter((f) => f.length === 4 && /shop::Report::\w+\(int\)::\{lambda\(/.test(f[3]));
        if (symbols.length === 0) return t.skip(`${compiler} gave no lambda symbols`);
        const lines = spawnSync('addr2line', ['-e', bin, ...symbols.map((f) => `0x${f[0]}`)], { encoding: 'utf8' });
        if (lines.status !== 0) return t.skip('addr2line not available');
        const truth = lines.stdout.trim().split('\n').map((l) => Number(l.slice(l.lastIndexOf(':') + 1)));
        assert.equal(symbols.length, 11);
        symbols.forEach((f, i) => {
          const want = ambiguous.has(f[3]) ? functionLine(f[3]) : truth[i];
          assert.equal(place(f[2])[1], want, f[3]);
        });
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});
