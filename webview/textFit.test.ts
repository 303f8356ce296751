import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextFitter } from './textFit';

// A fake font: ASCII 7 px per character, anything else 12 px; counts measure calls.
function fitter() {
  let calls = 0;
  const f = new TextFitter((t) => {
    calls++;
    let w = 0;
    for (const ch of t) w += ch.charCodeAt(0) < 128 ? 7 : 12;
    return w;
  });
  return { f, calls: () => calls };
}

test('a label that fits is kept, a longer one is cut with an ellipsis that fits too', () => {
  const { f } = fitter();
  assert.equal(f.fit('abcdefghij', 70), 'abcdefghij');
  // 50 px: n ASCII chars + the 12 px ellipsis must fit: 7n + 12 <= 50 -> n = 5.
  assert.equal(f.fit('abcdefghij', 50), 'abcde…');
  assert.equal(f.width(f.fit('abcdefghij', 50)), 47);
  assert.equal(f.fit('abcdefghij', 26), 'ab…');
  assert.equal(f.fit('abcdefghij', 25), '', 'fewer than two characters and the ellipsis: nothing');
  
  assert.equal(f.fit('abc', 0), '');
});

test('characters are measured once each, not per label', () => {
  const { f, calls } = fitter();
  const afterSetup = calls();
  assert.equal(afterSetup, 96, '95 printable ASCII characters and the ellipsis');
  for (let i = 0; i < 1000; i++) f.fit(`main.(*productCatalog).parseCatalog${i}`, 100);
  assert.equal(calls(), afterSetup);
  assert.equal(f.width('ää'), 24);
  f.width('ää');
  assert.equal(calls(), afterSetup + 1, 'a non-ASCII character is measured once');
});
