// Rust closures on their own lines, checked against DWARF: rustc's real closure symbols of
// test/fixtures/closures/rust/src/main.rs (v0 `{closure#N}` and legacy `{{closure}}`), each with the line
// addr2line gives for its address (symbols.tsv; recipe in test/fixtures/closures/README.md). When rustc is
// installed the program is also compiled here and its v0 symbols checked the same way.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/repoRoot';
import { lineMatching, tsvRows } from '../../test/support/fixtureText';
import { symbolsWithLines } from '../../test/support/binarySymbols';
import { framePlacer, type Placer } from '../../test/support/framePlacer';

const crate = join(repoRoot(), 'test/fixtures/closures/rust');
const main = join(crate, 'src/main.rs');

/** rustc on PATH, else rustup's default place (CI runs with a minimal PATH that leaves ~/.cargo/bin out). */
function rustcPath(): string {
  const rustup = join(homedir(), '.cargo', 'bin', 'rustc');
  return spawnSync('rustc', ['--version']).status === 0 || !existsSync(rustup) ? 'rustc' : rustup;
}

/** 1-based line of the first line of main.rs matching `re`. */
const lineOf = (re: RegExp) => lineMatching(main, re);

interface Recorded {
  symbol: string;
  line: number;
  demangled: string;
}

const recorded: Recorded[] = tsvRows(join(crate, 'symbols.tsv')).map(([symbol, line, demangled]) => ({ symbol, line: Number(line), demangled }));

describe('Rust closures against DWARF lines', () => {
  let place: Placer;
  before(async () => {
    place = await framePlacer(crate);
  });

  test('v0 {closure#N}: every closure symbol, mangled and demangled, lands on the line DWARF gives', () => {
    const v0 = recorded.filter((r) => r.symbol.startsWith('_R'));
    assert.equal(v0.length, 7, 'three closures and a nested one in two, one in main, two in Scaler::apply');
    for (const { symbol, line, demangled } of v0) {
      const fn = demangled.includes('apply') ? lineOf(/fn apply\(/) : demangled.includes('main') ? lineOf(/^fn main\(/) : lineOf(/^fn two\(/);
      assert.deepEqual(place(symbol), [main, line, fn], `${symbol} (${demangled})`);
      assert.deepEqual(place(demangled), [main, line, fn], demangled);
    }
  });

  test('legacy {{closure}} carries no number: several closures at a level leave the frame on the function', () => {
    const legacy = recorded.filter((r) => r.symbol.startsWith('_ZN'));
    assert.equal(legacy.length, 7);
    for (const { symbol, line, demangled } of legacy) {
      const got = place(symbol);
      if (demangled.startsWith('clos::main::')) assert.deepEqual(got, [main, line, lineOf(/^fn main\(/)], 'the only closure of main');
      else if (demangled.includes('apply')) assert.deepEqual(got, [main, lineOf(/fn apply\(/), lineOf(/fn apply\(/)], symbol);
      else assert.deepEqual(got, [main, lineOf(/^fn two\(/), lineOf(/^fn two\(/)], symbol);
    }
  });

  test('rustc here: the v0 closure symbols it emits now resolve to the lines addr2line gives', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-rustc-'));
    try {
      const bin = join(dir, 'clos');
      const rustc = spawnSync(rustcPath(), ['-g', '-C', 'opt-level=0', '-C', 'symbol-mangling-version=v0', '--crate-name', 'clos', main, '-o', bin], { encoding: 'utf8' });
      if (rustc.error || rustc.status !== 0) return t.skip('rustc not available');
      const symbols = symbolsWithLines(bin, /^<?clos::.*\{closure#/);
      if (typeof symbols === 'string') return t.skip(symbols);
      assert.equal(symbols.length, 7);
      for (const s of symbols) assert.equal(place(s.mangled)[1], s.line, s.mangled);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
