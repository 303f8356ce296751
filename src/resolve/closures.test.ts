// Closures land on their own line: Go func literals by number, Java lambdas by javac's counter (names taken
// from the real javap output of a real javac compilation), Rust closures when unambiguous; otherwise the
// enclosing function. Expected lines come from plain regexes over the sources, not from the index.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefinitionIndex } from './definitionIndex';
import { createNameResolver, type NameResolver } from './nameResolver';
import { repoRoot } from '../../test/support/repoRoot';
import { lineMatching } from '../../test/support/fixtureText';

const lineOf = lineMatching;

const GO = `package main

import "sort"

// Größe, naïve, 日本: multi-byte text before the closures (their byte offsets are not character offsets)

func Work(items []int) int {
	var callback func(int) int // a func type, not a literal: not counted
	total := 0
	add := func(v int) { total += v } // func1
	sort.Slice(items, func(i, j int) bool { // func2
		less := func(a, b int) bool { return a < b } // func2.1
		return less(items[i], items[j])
	})
	_ = callback
	for _, v := range items {
		add(v)
	}
	return total
}

func main() { Work([]int{3, 1, 2}) }
`;

const JAVA = `package demo;

import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

public class Lambdas {
    static int first(int x) {
        IntUnaryOperator a = v -> v + 1;
        IntUnaryOperator b = v -> {
            IntUnaryOperator inner = w -> w * 2;
            return inner.applyAsInt(v);
        };
        return a.applyAsInt(b.applyAsInt(x));
    }

    static int second(int x) {
        Supplier<Integer> s = () -> x * 3;
        return s.get();
    }
}
`;

const RUST = `fn one(v: &[i64]) -> i64 {
    v.iter().map(|x| x * 2).sum()
}

fn two(v: &[i64]) -> i64 {
    let a: i64 = v.iter().map(|x| x + 1).sum();
    let b: i64 = v.iter().map(|x| x - 1).sum();
    a + b
}

fn main() {
    println!("{}", one(&[1]) + two(&[2]));
}
`;

describe('closures resolve to their own line, else to the enclosing function', () => {
  let dir: string;
  let resolver: NameResolver;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pp-closures-'));
    mkdirSync(join(dir, 'go'));
    mkdirSync(join(dir, 'java/demo'), { recursive: true });
    mkdirSync(join(dir, 'rust/src'), { recursive: true });
    writeFileSync(join(dir, 'go/main.go'), GO);
    writeFileSync(join(dir, 'java/demo/Lambdas.java'), JAVA);
    writeFileSync(join(dir, 'rust/src/main.rs'), RUST);
    const index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
    resolver = createNameResolver(index);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const at = (name: string) => {
    const r = resolver.resolve({ name, kind: 'user' });
    assert.equal(r.reason, undefined, name);
    return [r.location?.line, r.location?.functionLine];
  };

  test('Go: func1, func2 and func2.1 by position; a func type is not a literal; too high a number falls back', () => {
    const go = join(dir, 'go/main.go');
    const work = lineOf(go, /^func Work\(/);
    assert.deepEqual(at('main.Work.func1'), [lineOf(go, /\/\/ func1$/), work]);
    assert.deepEqual(at('main.Work.func2'), [lineOf(go, /\/\/ func2$/), work]);
    assert.deepEqual(at('main.Work.func2.1'), [lineOf(go, /\/\/ func2\.1$/), work]);
    assert.deepEqual(at('main.Work.func3'), [work, work]);
    assert.deepEqual(at('main.Work'), [work, work]);
  });

  test('Java: the lambda$ names javac really generated land on their lambdas', (t) => {
    const javac = spawnSync('javac', ['-d', join(dir, 'classes'), join(dir, 'java/demo/Lambdas.java')], { encoding: 'utf8' });
    if (javac.error || javac.status !== 0) return t.skip('javac not available');
    const javap = spawnSync('javap', ['-p', '-l', join(dir, 'classes/demo/Lambdas.class')], { encoding: 'utf8' });
    // javap gives each synthetic lambda method and its first line: the independent ground truth.
    const truth = new Map<string, number>();
    let current: string | undefined;
    for (const line of javap.stdout.split('\n')) {
      const m = /(lambda\$\w+\$\d+)\(/.exec(line);
      if (m) current = m[1];
      const l = /^\s+line (\d+): 0$/.exec(line);
      if (l && current) {
        truth.set(current, Number(l[1]));
        current = undefined;
      }
    }
    assert.equal(truth.size, 4, javap.stdout);
    for (const [method, line] of truth) {
      const r = resolver.resolve({ name: `demo.Lambdas.${method}`, kind: 'user' });
      // javap's first line of a block lambda is its first statement; the lambda starts on the line before or at it.
      const got = r.location?.line ?? -1;
      assert.ok(got === line || got === line - 1, `${method}: got ${got}, javap ${line}`);
      assert.ok(JAVA.split('\n')[got - 1].includes('->'), `${method}: line ${got} holds a lambda`);
    }
  });

  test('Rust: the only closure of a function is placed; two closures fall back to the function', () => {
    const rs = join(dir, 'rust/src/main.rs');
    assert.deepEqual(at('main::one::{{closure}}'), [lineOf(rs, /\|x\| x \* 2/), lineOf(rs, /^fn one\(/)]);
    assert.deepEqual(at('main::two::{{closure}}'), [lineOf(rs, /^fn two\(/), lineOf(rs, /^fn two\(/)]);
  });

  test('the recorded Java profile: lambda$topCustomerShare$0 lands on the lambda in OrderProcessor.java', async () => {
    const src = join(repoRoot(), 'test/fixtures/sources/java');
    const index = await DefinitionIndex.create({ roots: [src] });
    await index.ensureBuilt();
    const folded = readFileSync(join(repoRoot(), 'test/fixtures/profiles/java-perf.folded'), 'utf8');
    const frame = /double com\.example\.orders\.OrderProcessor\.lambda\$topCustomerShare\$0\(java\.lang\.Double\)/.exec(folded)?.[0];
    assert.ok(frame, 'the recorded profile has the lambda frame');
    const r = createNameResolver(index).resolve({ name: frame, kind: 'java' });
    const file = join(src, 'src/com/example/orders/OrderProcessor.java');
    assert.deepEqual([r.location?.path, r.location?.line, r.location?.functionLine], [file, lineOf(file, /v -> v \* weight\(v\)/), lineOf(file, /double topCustomerShare\(\)/)]);
  });
});
