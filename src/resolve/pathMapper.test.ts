import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PathMapper } from './pathMapper';

const ws = ['/ws/shop/main.go', '/ws/shop/client.go', '/ws/shop/internal/catalog/main.go', '/ws/lib/util.go'];

test('longest path suffix wins over a bare file name match', () => {
  const m = new PathMapper(ws);
  assert.deepEqual(m.map('/go/src/github.com/acme/shop/internal/catalog/main.go'), {
    kind: 'exact', path: '/ws/shop/internal/catalog/main.go', via: 'suffix', matchedSegments: 4,
  });
  assert.deepEqual(m.map('/app/shop/main.go'), { kind: 'exact', path: '/ws/shop/main.go', via: 'suffix', matchedSegments: 2 });
});

test('a -trimpath module path (relative) maps by suffix', () => {
  const m = new PathMapper(ws);
  const r = m.map('github.com/acme/lib/util.go');
  assert.equal(r.kind, 'exact');
  assert.equal(r.kind === 'exact' && r.path, '/ws/lib/util.go');
});

test('equal suffixes are reported as ambiguous, not guessed', () => {
  const m = new PathMapper(ws);
  const r = m.map('/app/main.go');
  assert.equal(r.kind, 'ambiguous');
  assert.deepEqual(r.kind === 'ambiguous' && r.candidates, ['/ws/shop/internal/catalog/main.go', '/ws/shop/main.go']);
});

test('unknown file names do not match', () => {
  assert.deepEqual(new PathMapper(ws).map('/usr/lib/go/src/net/http/server.go'), { kind: 'none' });
});

test('a user substitution beats suffix matching and must point at an existing file', () => {
  const m = new PathMapper(ws, [{ from: '/app', to: '/ws/shop/internal/catalog' }]);
  assert.deepEqual(m.map('/app/main.go'), { kind: 'exact', path: '/ws/shop/internal/catalog/main.go', via: 'substitution', matchedSegments: Infinity });
  // Substitution to a missing file falls back to suffix matching.
  const r = m.map('/app/client.go');
  assert.equal(r.kind === 'exact' && r.via, 'suffix');
});

test('files added and removed later are honoured (file watcher)', () => {
  const m = new PathMapper(ws);
  assert.equal(m.map('/src/new.go').kind, 'none');
  m.add('/ws/shop/new.go');
  assert.equal(m.map('/src/new.go').kind, 'exact');
  m.remove('/ws/shop/new.go');
  assert.equal(m.map('/src/new.go').kind, 'none');
  // A deleted folder takes the files below it, and only those.
  m.add('/ws/shop/plugin/a.go');
  m.add('/ws/shop/plugin/deep/b.go');
  m.add('/ws/shop/plugins/c.go');
  m.remove('/ws/shop/plugin');
  assert.equal(m.map('/src/a.go').kind, 'none');
  assert.equal(m.map('/src/b.go').kind, 'none');
  assert.equal(m.map('/src/c.go').kind, 'exact');
});

test('a batch of deletions drops files and folders (dotted names too) in one pass, and keeps look-alike siblings', () => {
  const m = new PathMapper(['/ws/third/yaml.v3/decode.go', '/ws/third/yaml.v3/internal/x.go', '/ws/third/yaml.v30/decode.go', '/ws/main.go', '/ws/other/main.go']);
  assert.equal(m.removeAll(['/ws/build/obj.o', '/ws/third/yaml']), false, 'nothing known went');
  assert.equal(m.removeAll(['/ws/third/yaml.v3', '/ws/main.go', ...Array.from({ length: 20 }, (_, i) => `/ws/build/obj${i}.o`)]), true);
  assert.deepEqual(m.map('/src/decode.go'), { kind: 'exact', path: '/ws/third/yaml.v30/decode.go', via: 'suffix', matchedSegments: 1 });
  assert.equal(m.map('/src/x.go').kind, 'none');
  assert.deepEqual(m.map('/app/main.go'), { kind: 'exact', path: '/ws/other/main.go', via: 'suffix', matchedSegments: 1 });
});
