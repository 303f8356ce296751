import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centreOn, clampView, panBy, zoomAt } from './viewport';

test('zoomAt keeps the value under the pointer fixed', () => {
  const v = zoomAt({ x0: 0, x1: 1000, scrollY: 0 }, 0.25, 4);
  assert.equal(v.x1 - v.x0, 250);
  assert.equal(v.x0 + 0.25 * (v.x1 - v.x0), 250);
});
test('panBy moves by pixels worth of value; clamp keeps inside', () => {
  const v = panBy({ x0: 100, x1: 200, scrollY: 0 }, 50, 10, 500);
  assert.deepEqual(v, { x0: 90, x1: 190, scrollY: -10 });
  assert.deepEqual(clampView(v, 1000, 300, 200), { x0: 90, x1: 190, scrollY: 0 });
  assert.deepEqual(clampView({ x0: 950, x1: 1100, scrollY: 500 }, 1000, 300, 200), { x0: 850, x1: 1000, scrollY: 100 });
  assert.deepEqual(clampView({ x0: -5, x1: 5000, scrollY: 0 }, 1000, 100, 200), { x0: 0, x1: 1000, scrollY: 0 });
  assert.deepEqual(centreOn({ x0: 0, x1: 100, scrollY: 0 }, 500), { x0: 450, x1: 550, scrollY: 0 });
});
