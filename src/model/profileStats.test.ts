import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileBuilder } from './profile';
import { functionStats } from './profileStats';

test('recursion counts once per stack; self is leaf time; sorted by total', () => {
  const b = new ProfileBuilder();
  const f = (name: string, line?: number) => ({ name, file: 'x.go', line });
  b.addStack([f('main'), f('parse', 10), f('parse', 12), f('parse', 12), f('leaf')], 3);
  b.addStack([f('main'), f('parse', 10)], 2);
  b.addStack([f('main'), f('other')], 1);
  b.addStack([{ name: 'parse', file: 'y.go' }], 4); // another function of the same name, other file
  const stats = functionStats(b.build({ source: 't', unit: 'samples' }));
  const get = (name: string, file = 'x.go') => stats.find((s) => s.name === name && s.file === file)!;
  assert.deepEqual(get('main'), { name: 'main', file: 'x.go', self: 0, total: 6 });
  assert.deepEqual(get('parse'), { name: 'parse', file: 'x.go', self: 2, total: 5 });
  assert.deepEqual(get('parse', 'y.go'), { name: 'parse', file: 'y.go', self: 4, total: 4 });
  assert.deepEqual(get('leaf'), { name: 'leaf', file: 'x.go', self: 3, total: 3 });
  assert.deepEqual(stats.map((s) => s.total), [...stats.map((s) => s.total)].sort((a, z) => z - a));
  assert.equal(stats.reduce((s, x) => s + x.self, 0), 10);
});
