import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countText } from './functionTable';

test('countText groups thousands like en-US toLocaleString, without loading locale data', () => {
  for (const v of [0, 7, 999, 1000, 12345, 999999, 1000000, 162384, 1234567890, -4321, 2.5, 1234.25, 0.1 + 0.2]) {
    assert.equal(countText(v), v.toLocaleString('en-US', { maximumFractionDigits: 2 }), String(v));
  }
  assert.equal(countText(NaN), 'NaN');
});
