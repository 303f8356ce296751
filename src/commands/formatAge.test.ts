import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge } from './formatAge';

test('ages read like kubectl', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const ago = (s: number) => new Date(now - s * 1000);
  assert.equal(formatAge(ago(5), now), '5s');
  assert.equal(formatAge(ago(119), now), '119s');
  assert.equal(formatAge(ago(600), now), '10m');
  assert.equal(formatAge(ago(3 * 3600), now), '3h');
  assert.equal(formatAge(ago(5 * 86400), now), '5d');
  assert.equal(formatAge(undefined, now), '?');
  assert.equal(formatAge(new Date('not a date'), now), '?');
});
