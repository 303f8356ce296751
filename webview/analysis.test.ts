import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FlameTree } from './flameTree';
import { compileQuery, functionStats, functionStatsSteps, neighbour, search } from './analysis';
import { calleesOf, callersOf } from './sandwich';
import { flameDataProblem } from './protocol';
import { flameFromFolded } from './testTrees';

// main -> a -> b (recursion through a) and main -> c -> b
const stacks = { 'main;a;b': 4, 'main;a;a;b': 2, 'main;c;b': 3, 'main;c': 1, main: 1 };
const tree = new FlameTree(flameFromFolded(stacks));

describe('FlameTree layout', () => {
  test('children sit side by side inside their parent', () => {
    const main = tree.children(0)[0];
    assert.equal(tree.name(main), 'main');
    const [a, c] = tree.children(main);
    assert.equal(tree.start[a], 0);
    assert.equal(tree.start[c], tree.total[a]);
    assert.equal(tree.total[a] + tree.total[c] + tree.self[main], tree.total[main]);
    assert.equal(tree.end[0], tree.size);
    assert.equal(tree.maxDepth, 4);
  });
  test('paths round-trip and stack text is leaf first', () => {
    const b = tree.findPath(['main', 'c', 'b']);
    assert.deepEqual(tree.pathOf(b), ['main', 'c', 'b']);
    assert.equal(tree.stackText(b), 'b\nc\nmain');
    assert.equal(tree.widestNodeNamed('b'), tree.findPath(['main', 'a', 'b']));
  });
});

describe('search', () => {
  test('matched share counts each stack once even with nested matches', () => {
    const { re } = compileQuery({ text: '^a$', caseSensitive: true, regex: true });
    const r = search(tree, re!);
    // Stacks through a: 4 + 2 = 6 of 11, although a appears twice on the 'main;a;a;b' stack.
    assert.equal(r.matchedValue, 6);
    assert.equal(r.matchedNodes, 2);
  });
  test('plain text is escaped, case toggle works, invalid regex reports', () => {
    assert.equal(search(tree, compileQuery({ text: 'MAIN', caseSensitive: false, regex: false }).re!).matchedValue, 11);
    assert.equal(search(tree, compileQuery({ text: 'MAIN', caseSensitive: true, regex: false }).re!).matchedValue, 0);
    assert.equal(compileQuery({ text: '.', caseSensitive: true, regex: false }).re!.test('a'), false);
    assert.ok(compileQuery({ text: '(', caseSensitive: true, regex: true }).error);
  });
});

describe('functionStats', () => {
  test('self sums leaves, total counts each stack once', () => {
    const by = new Map(functionStats(tree).map((s) => [s.name, s]));
    assert.deepEqual([by.get('b')!.self, by.get('b')!.total], [9, 9]);
    assert.deepEqual([by.get('a')!.self, by.get('a')!.total], [0, 6]);
    assert.deepEqual([by.get('main')!.self, by.get('main')!.total], [1, 11]);
    assert.deepEqual([by.get('c')!.self, by.get('c')!.total], [1, 4]);
    const selfSum = functionStats(tree).reduce((x, s) => x + s.self, 0);
    assert.equal(selfSum, tree.totalValue);
  });
  test('on a large random tree: equal to counting each function once per root-to-node path, with yields between', () => {
    // Random stacks over 20 names (so recursion is frequent), about 40k nodes: more than two yield steps.
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    const lines: Record<string, number> = {};
    for (let s = 0; s < 12000; s++) {
      const depth = 1 + rnd(18);
      const stack = Array.from({ length: depth }, () => `f${rnd(20)}`).join(';');
      lines[stack] = (lines[stack] ?? 0) + 1 + rnd(5);
    }
    const big = new FlameTree(flameFromFolded(lines));
    assert.ok(big.size > 40_000, `tree has ${big.size} nodes`);
    // Independent: per stack, each distinct name on it gets the stack's count as total, the leaf as self.
    const want = new Map<string, { self: number; total: number }>();
    for (const [stack, v] of Object.entries(lines)) {
      const names = stack.split(';');
      for (const n of new Set(names)) {
        const w = want.get(n) ?? { self: 0, total: 0 };
        w.total += v;
        want.set(n, w);
      }
      want.get(names[names.length - 1])!.self += v;
    }
    const steps = functionStatsSteps(big);
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    assert.ok(yields >= 2, `yielded ${yields} times`);
    const got = r.value;
    assert.equal(got.length, want.size);
    for (const s of got) assert.deepEqual({ self: s.self, total: s.total }, want.get(s.name), s.name);
  });
});

describe('keyboard neighbours', () => {
  test('up/down/left/right', () => {
    const main = tree.findPath(['main']);
    const a = tree.findPath(['main', 'a']);
    const c = tree.findPath(['main', 'c']);
    assert.equal(neighbour(tree, 0, 'down'), main);
    assert.equal(neighbour(tree, main, 'down'), a, 'widest child');
    assert.equal(neighbour(tree, a, 'right'), c);
    assert.equal(neighbour(tree, c, 'left'), a);
    assert.equal(neighbour(tree, c, 'right'), c, 'stays at the edge');
    assert.equal(neighbour(tree, c, 'up'), main);
    // Right from a's child b (depth 3) goes to c's child b at the same depth.
    assert.equal(neighbour(tree, tree.findPath(['main', 'a', 'b']), 'right'), tree.findPath(['main', 'c', 'b']));
    assert.equal(neighbour(tree, tree.findPath(['main', 'a', 'b']), 'left'), tree.findPath(['main', 'a', 'a']));
  });
});

describe('sandwich', () => {
  const b = tree.fnNames.indexOf('b');
  const a = tree.fnNames.indexOf('a');
  test('callers of b: who called it, weighted', () => {
    const d = callersOf(tree, b);
    assert.equal(flameDataProblem(d), undefined);
    const t = new FlameTree(d);
    assert.equal(t.totalValue, 9);
    assert.equal(t.total[t.findPath(['b', 'a'])], 6);
    assert.equal(t.total[t.findPath(['b', 'c'])], 3);
    assert.equal(t.total[t.findPath(['b', 'a', 'a', 'main'])], 2);
  });
  test('callees of recursive a count the outermost call only', () => {
    const t = new FlameTree(calleesOf(tree, a));
    assert.equal(t.totalValue, 6);
    assert.equal(t.total[t.findPath(['a', 'b'])], 4);
    assert.equal(t.total[t.findPath(['a', 'a', 'b'])], 2);
  });
});
