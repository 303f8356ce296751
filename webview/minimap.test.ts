import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlameTree } from './flameTree';
import { packColour, paintMinimap } from './minimap';
import { cssToRgb, fillFor, hslToRgb, readPalette } from './palette';
import { flameFromFolded } from './testTrees';

test('hslToRgb gives the bytes browsers give for CSS hsl()', () => {
  // Values as Chromium renders them (CSS Color 4 examples).
  assert.deepEqual(hslToRgb(0, 100, 50), { r: 255, g: 0, b: 0 });
  assert.deepEqual(hslToRgb(120, 100, 25), { r: 0, g: 128, b: 0 });
  assert.deepEqual(hslToRgb(240, 100, 50), { r: 0, g: 0, b: 255 });
  assert.deepEqual(hslToRgb(0, 0, 34), { r: 87, g: 87, b: 87 });
  assert.deepEqual(hslToRgb(30, 50, 60), { r: 204, g: 153, b: 102 });
  assert.deepEqual(cssToRgb('hsl(30.0 50.0% 60.0%)'), { r: 204, g: 153, b: 102 });
  assert.deepEqual(cssToRgb('#1e1e1e'), { r: 30, g: 30, b: 30 });
});

test('paintMinimap: each bar at least a pixel wide in its function colour, at its depth row; narrower subtrees skipped', () => {
  // all = 100: a (60) -> b (30); c (39); d (1, under a pixel at width 50)
  const tree = new FlameTree(flameFromFolded({ 'a;b': 30, a: 30, c: 39, d: 1 }));
  const palette = readPalette(() => '', ['vscode-dark']);
  const W = 50, H = 30; // 3 rows of depth (root, a/c/d, b): 10 px each, the last pixel row a gap
  const px = new Uint32Array(W * H);
  paintMinimap(px, W, H, tree, palette, false);
  const at = (x: number, y: number) => px[y * W + x];
  const colourOf = (name: string) => packColour(fillFor(palette, 'user', name));
  const bg = packColour(palette.background);
  // Depth 1 (y 10..19): a over x 0..30 (minus a 1 px gap), c over 30..49.5, d at 49.5 is under a pixel.
  assert.equal(at(5, 15), colourOf('a'));
  assert.equal(at(28, 15), colourOf('a'));
  assert.equal(at(29, 15), bg, 'gap after a');
  assert.equal(at(31, 15), colourOf('c'));
  assert.equal(at(49, 15), bg, 'd is skipped');
  // Depth 2: b under a, 15 px wide; nothing under c.
  assert.equal(at(3, 25), colourOf('b'));
  assert.equal(at(20, 25), bg);
  assert.equal(at(35, 25), bg);
  // Depth 0 (the root row) is left as background, as the main graph's root is not the story.
  assert.equal(at(5, 2), bg);
  assert.equal(at(5, 19), bg, 'gap under a row 10 px high');
  // Flame orientation: depth 1 is the second row from the bottom.
  paintMinimap(px, W, H, tree, palette, true);
  assert.equal(at(5, H - 15), colourOf('a'));
  assert.equal(at(3, H - 25), colourOf('b'));
});
