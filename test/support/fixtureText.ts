// Reading expectations out of fixture sources and recorded tables, the same way in every test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** 1-based number of the first line of `file` matching `re`; fails the test when no line does. */
export function lineMatching(file: string, re: RegExp): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => re.test(l));
  assert.ok(i >= 0, `${re} in ${file}`);
  return i + 1;
}

/** The rows of a tab-separated fixture table, its blank lines and `#` comments left out. */
export function tsvRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}
