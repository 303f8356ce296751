import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowText } from '../sources/agents/storeWindow';
import { parseLookback } from './lookback';

test('look-back text uses the largest whole unit', () => {
  assert.deepEqual([60, 300, 3600, 7200, 90, 45].map(windowText), ['1m', '5m', '1h', '2h', '90s', '45s']);
});

test('typed look-backs: units, a leading minus (Pixie style), bounds and garbage', () => {
  assert.equal(parseLookback('90s', 86400), 90);
  assert.equal(parseLookback(' 10M ', 86400), 600);
  assert.equal(parseLookback('-2h', 86400), 7200);
  assert.equal(parseLookback('45', 86400), 45);
  assert.equal(parseLookback('5s', 86400), undefined, 'under 10 s');
  assert.equal(parseLookback('2h', 3600), undefined, 'over the maximum');
  for (const bad of ['', 'h', '1.5m', '10 minutes', '1e3', '10m; rm -rf']) assert.equal(parseLookback(bad, 86400), undefined, bad);
});
