import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FlameTree } from './flameTree';
import { compileQuery, functionStats, neighbour, search } from './analysis';
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
