import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlameTree } from './flameTree';
import { nodeColours, DIFF_STEPS } from './nodeColours';
import { diffTrees } from './diffTree';
import { fillFor, readPalette } from './palette';
import { flameFromFolded } from './testTrees';

const palette = readPalette((n) => (n === '--vscode-editor-background' ? '#1e1e1e' : ''), ['vscode-dark']);

test('nodes of one function share a colour index; the fill is the function kind colour', () => {
  const t = new FlameTree(flameFromFolded({ 'main;a;b': 3, 'main;c;b': 2 }));
  const c = nodeColours(t, palette);
  const bs = [t.findPath(['main', 'a', 'b']), t.findPath(['main', 'c', 'b'])];
  assert.equal(c.indexOf(bs[0]), c.indexOf(bs[1]));
  assert.notEqual(c.indexOf(bs[0]), c.indexOf(t.findPath(['main', 'a'])));
  assert.equal(c.fill(c.indexOf(bs[0])), fillFor(palette, 'user', 'b'));
  assert.equal(c.fill(c.indexOf(0)), palette.root);
  assert.match(c.text(c.indexOf(bs[0])), /^#(000000|ffffff)$/);
});

test('diff colours: the largest growth gets the strongest red step, no change the neutral middle', () => {
  const before = new FlameTree(flameFromFolded({ 'main;parse': 10, 'main;write': 10 }));
  const after = new FlameTree(flameFromFolded({ 'main;parse': 30, 'main;write': 10 }));
  const d = diffTrees(after, before);
  const c = nodeColours(after, palette, d);
  const parse = after.findPath(['main', 'parse']);
  const write = after.findPath(['main', 'write']);
  // parse: 50% -> 75% (+25 points, the largest change); write: 50% -> 25% (-25 points).
  assert.equal(c.indexOf(parse), 2 * DIFF_STEPS);
  assert.equal(c.indexOf(write), 0);
  assert.equal(c.indexOf(after.findPath(['main'])), DIFF_STEPS);
  assert.match(c.fill(c.indexOf(parse)), /^hsl\(0(\.0)? /);
  assert.match(c.fill(c.indexOf(write)), /^hsl\(215(\.0)? /);
});
