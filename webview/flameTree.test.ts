import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlameTree } from './flameTree';
import { readFlameData, validatedLayout } from './protocol';
import { flameFromFolded } from './testTrees';

function randomStacks(seed: number, count: number): Record<string, number> {
  const rnd = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
  const lines: Record<string, number> = {};
  for (let s = 0; s < count; s++) {
    const stack = Array.from({ length: 1 + rnd(16) }, () => `f${rnd(25)}`).join(';');
    lines[stack] = (lines[stack] ?? 0) + 1 + rnd(4);
  }
  return lines;
}

test('a tree from validated message data (layout from the validation pass) equals one laid out on its own', () => {
  for (const [seed, count] of [[3, 1], [11, 50], [42, 6000]] as const) {
    const local = flameFromFolded(randomStacks(seed, count));
    const own = new FlameTree(local);
    assert.equal(validatedLayout(local), undefined);
    // As the webview receives it: a structured clone, validated.
    const read = readFlameData(structuredClone(local));
    assert.ok(read.data, read.problem);
    assert.ok(validatedLayout(read.data));
    const fused = new FlameTree(read.data);
    assert.deepEqual(Array.from(fused.start), Array.from(own.start), `start, seed ${seed}`);
    assert.deepEqual(Array.from(fused.end), Array.from(own.end), `end, seed ${seed}`);
    assert.deepEqual(Array.from(fused.fn), Array.from(own.fn), `fn, seed ${seed}`);
    assert.equal(fused.maxDepth, own.maxDepth);
    assert.deepEqual(fused.fnNames, own.fnNames);
  }
});

test('the layout-on-its-own path: start is the sum of earlier siblings from the parent start, end skips the subtree', () => {
  const t = new FlameTree(flameFromFolded(randomStacks(5, 400)));
  // Independent: walk with explicit child lists.
  const kids: number[][] = Array.from({ length: t.size }, () => []);
  for (let i = 1; i < t.size; i++) kids[t.parent[i]].push(i);
  const size = (i: number): number => 1 + kids[i].reduce((a, c) => a + size(c), 0);
  for (let i = 0; i < t.size; i++) {
    let x = t.start[i];
    for (const c of kids[i]) {
      assert.equal(t.start[c], x);
      x += t.total[c];
    }
    assert.equal(t.end[i], i + size(i));
  }
});

test('an invalid tree gets no layout, and a layout field in the message is never used', () => {
  const local = flameFromFolded({ 'a;b': 2, c: 1 });
  const bad = { ...structuredClone(local), total: Float64Array.from(local.total, (v, i) => (i === 2 ? v + 5 : v)) };
  const r = readFlameData(bad);
  assert.ok(r.problem);
  const forged = { ...structuredClone(local), start: new Float64Array(local.parent.length).fill(7), end: new Int32Array(local.parent.length) };
  const ok = readFlameData(forged);
  assert.ok(ok.data);
  assert.deepEqual(Array.from(new FlameTree(ok.data).start), Array.from(new FlameTree(local).start));
});
