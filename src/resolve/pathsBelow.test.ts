import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAtOrBelow, targetSet } from './pathsBelow';

const files = ['/ws/a.go', '/ws/yaml.v3/decode.go', '/ws/yaml.v3/internal/x.go', '/ws/yaml.v30/y.go', '/ws/lib/z.go'];

test('a file, a folder and what is below it; a sibling sharing the name as a prefix is not below it', () => {
  const targets = new Set(['/ws/yaml.v3', '/ws/a.go']);
  assert.deepEqual(files.filter((f) => isAtOrBelow(f, targets, '/')), ['/ws/a.go', '/ws/yaml.v3/decode.go', '/ws/yaml.v3/internal/x.go']);
  // A folder given with its trailing separator is the same target.
  assert.deepEqual(files.filter((f) => isAtOrBelow(f, targetSet(['/ws/yaml.v3/', '/ws/a.go'], '/'), '/')), ['/ws/a.go', '/ws/yaml.v3/decode.go', '/ws/yaml.v3/internal/x.go']);
});

test('many targets (a clean deleting thousands of files) give the same answers by ancestors', () => {
  const many = new Set(['/ws/yaml.v3', '/ws/a.go', ...Array.from({ length: 50 }, (_, i) => `/ws/build/obj${i}.o`)]);
  assert.deepEqual(files.filter((f) => isAtOrBelow(f, many, '/')), ['/ws/a.go', '/ws/yaml.v3/decode.go', '/ws/yaml.v3/internal/x.go']);
  assert.equal(isAtOrBelow('C:\\ws\\yaml.v3\\decode.go', new Set(['C:\\ws\\yaml.v3', ...many]), '\\'), true);
  assert.equal(isAtOrBelow('C:\\ws\\yaml.v30\\decode.go', new Set(['C:\\ws\\yaml.v3', ...many]), '\\'), false);
});
