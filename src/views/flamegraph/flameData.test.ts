import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { toFlameData } from './flameData';
import { flameDataProblem, isFlameData, isHostMessage } from '../../../webview/protocol';
import { loadGoCpuProfile, pprofStacks, fixturePath } from '../../../test/support/flamegraphProfiles';
import { ProfileBuilder } from '../../model/profile';
import type { FrameResolution } from '../../resolve/frameResolution';

const PARSE = 'main.(*productCatalog).parseCatalog';

describe('toFlameData on the real Go CPU profile', () => {
  const profile = loadGoCpuProfile();
  const stacks = pprofStacks(fixturePath('go-cpu.pb.gz'));
  const data = toFlameData(profile, []);

  test('is valid and its root holds every sample of the file', () => {
    assert.equal(flameDataProblem(data), undefined);
    const samples = stacks.reduce((s, x) => s + x.value, 0);
    assert.ok(samples > 100, `fixture has ${samples} samples`);
    assert.equal(data.total[0], samples);
    // Every sample ends at exactly one leaf: self values add up to the total.
    assert.equal(data.self.reduce((a, b) => a + b, 0), samples);
  });

  test('parseCatalog total counted once per stack equals the raw stacks containing it', () => {
    const expected = stacks.filter((s) => s.stack.some((f) => f.name === PARSE)).reduce((a, s) => a + s.value, 0);
    assert.ok(expected > 0);
    // Sum of parseCatalog nodes without a parseCatalog ancestor.
    let got = 0;
    for (let i = 1; i < data.parent.length; i++) {
      if (data.frames[data.frame[i]].name !== PARSE) continue;
      let p = data.parent[i];
      let nested = false;
      while (p > 0) {
        if (data.frames[data.frame[p]].name === PARSE) nested = true;
        p = data.parent[p];
      }
      if (!nested) got += data.total[i];
    }
    assert.equal(got, expected);
  });

  test('siblings are merged by function and sorted by name', () => {
    const seen = new Map<number, string[]>();
    for (let i = 1; i < data.parent.length; i++) {
      const names = seen.get(data.parent[i]) ?? [];
      names.push(data.frames[data.frame[i]].name);
      seen.set(data.parent[i], names);
    }
    for (const names of seen.values()) {
      assert.equal(new Set(names).size, names.length, `duplicate siblings: ${names.join(', ')}`);
      assert.deepEqual(names, [...names].sort());
    }
    // The profile has several frames (lines) for parseCatalog; merged there are fewer nodes than frames.
    const frameCount = profile.frames.filter((f) => f.name === PARSE).length;
    const nodeCount = data.frame.filter((f, i) => i > 0 && data.frames[f].name === PARSE).length;
    assert.ok(frameCount >= 1 && nodeCount >= 1);
    assert.ok(nodeCount <= frameCount * 10);
  });

  test('frames carry the resolved location label and keep host frame ids', () => {
    const resolutions: FrameResolution[] = [];
    profile.frames.forEach((f, id) => {
      if (f.name === PARSE) resolutions[id] = { location: { path: '/ws/shop/main.go', line: f.line ?? 1, functionLine: 38 } };
    });
    const withRes = toFlameData(profile, resolutions);
    const i = withRes.frame.findIndex((f, n) => n > 0 && withRes.frames[f].name === PARSE);
    const fr = withRes.frames[withRes.frame[i]];
    assert.equal(profile.frames[withRes.frame[i]].name, PARSE);
    assert.match(fr.location ?? '', /^main\.go:\d+$/);
    assert.equal(fr.file, profile.frames[withRes.frame[i]].file);
  });

  test('is typed columns that survive structured clone (postMessage) and validate as a profile message', () => {
    // VS Code moves typed arrays as binary buffers; plain number[] would go through JSON.
    for (const k of ['parent', 'depth', 'frame'] as const) assert.ok(data[k] instanceof Int32Array, k);
    for (const k of ['self', 'total'] as const) assert.ok(data[k] instanceof Float64Array, k);
    const msg = structuredClone({ type: 'profile', data, title: 'go-cpu.pb.gz' });
    assert.ok(isHostMessage(msg));
  });
});

describe('toFlameData on hand-made trees', () => {
  test('merges lines of the same function and keeps the heaviest frame', () => {
    const b = new ProfileBuilder();
    b.addStack([{ name: 'main', file: 'm.go', line: 1 }, { name: 'f', file: 'm.go', line: 10 }], 3);
    b.addStack([{ name: 'main', file: 'm.go', line: 2 }, { name: 'f', file: 'm.go', line: 11 }], 5);
    b.addStack([{ name: 'main', file: 'm.go', line: 2 }, { name: 'g', file: 'm.go', line: 20 }], 1);
    const p = b.build({ source: 't', unit: 'samples' });
    const d = toFlameData(p, []);
    assert.equal(flameDataProblem(d), undefined);
    assert.deepEqual(Array.from(d.total), [9, 9, 8, 1]);
    assert.deepEqual(Array.from(d.depth), [0, 1, 2, 2]);
    assert.deepEqual(Array.from(d.parent), [-1, 0, 1, 1]);
    assert.equal(d.frames[d.frame[1]].line, 2); // main at line 2 carries 6 of 9
    assert.equal(d.frames[d.frame[2]].line, 11);
  });

  test('deep recursion does not overflow the stack', () => {
    const b = new ProfileBuilder();
    const stack = Array.from({ length: 20000 }, (_, i) => ({ name: `f${i % 3}` }));
    b.addStack(stack, 1);
    const d = toFlameData(b.build({ source: 't', unit: 'samples' }), []);
    assert.equal(d.parent.length, 20001);
    assert.ok(isFlameData(d));
  });
});
