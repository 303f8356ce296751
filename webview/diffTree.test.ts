import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FlameTree } from './flameTree';
import { diffTrees } from './diffTree';
import { flameFromFolded } from './testTrees';

describe('diffTrees', () => {
  // Before: parse takes 60 of 100. After the fix: 10 of 50 (a shorter recording).
  const before = new FlameTree(flameFromFolded({ 'main;serve;parse;decode': 60, 'main;serve;write': 30, 'main;gc': 10 }));
  const after = new FlameTree(flameFromFolded({ 'main;serve;parse;decode': 10, 'main;serve;write': 30, 'main;idle': 10 }));
  const d = diffTrees(after, before);

  test('shares are normalised to each profile total', () => {
    const parse = after.findPath(['main', 'serve', 'parse']);
    // Baseline share 60% scaled to the current total of 50 -> 30.
    assert.equal(d.baseTotal[parse], 30);
    assert.ok(Math.abs(d.deltaShare[parse] - (10 / 50 - 60 / 100)) < 1e-12);
    const write = after.findPath(['main', 'serve', 'write']);
    assert.ok(Math.abs(d.deltaShare[write] - (30 / 50 - 30 / 100)) < 1e-12);
    assert.ok(d.deltaShare[write] > 0, 'write grew as a share');
    assert.equal(d.deltaShare[0], 0);
  });
  test('new paths have no baseline, vanished paths are reported', () => {
    const idle = after.findPath(['main', 'idle']);
    assert.equal(d.baseTotal[idle], 0);
    assert.ok(Math.abs(d.deltaShare[idle] - 0.2) < 1e-12);
    // main;gc is gone: 10 of 100 in the baseline -> 5 in current units.
    assert.equal(d.removedValue, 5);
    assert.ok(Math.abs(d.maxAbsDelta - 0.4) < 1e-12);
  });
  test('identical profiles show no change', () => {
    const same = diffTrees(before, new FlameTree(flameFromFolded({ 'main;serve;parse;decode': 6, 'main;serve;write': 3, 'main;gc': 1 })));
    assert.ok(Math.abs(same.maxAbsDelta) < 1e-12);
    assert.equal(same.removedValue, 0);
  });
});
