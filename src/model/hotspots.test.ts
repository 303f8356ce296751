import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileBuilder } from './profile';
import { computeHotspots } from './hotspots';
import { resolveProfile } from '../resolve/profileResolver';
import { PathMapper } from '../resolve/pathMapper';

const F = '/app/main.go';
const main = { name: 'main.main', file: F, line: 5 };
const serve = { name: 'main.serve', file: F, line: 12 };
const parse = { name: 'main.parse', file: F, line: 20 };
const parseRec = { name: 'main.parse', file: F, line: 22 };
const json = { name: 'encoding/json.Unmarshal', file: '/usr/lib/go/src/encoding/json/decode.go', line: 100, kind: 'runtime' as const };

function build() {
  const b = new ProfileBuilder();
  b.addStack([main, serve, parse, json], 6);
  b.addStack([main, serve, parse, parseRec, json], 3); // recursion: parse appears twice on one stack
  b.addStack([main, serve], 1);
  return b.build({ source: 'test', unit: 'samples' });
}

test('function totals count a recursive function once per stack; self is leaf-only', () => {
  const p = build();
  const res = resolveProfile(p, { paths: new PathMapper(['/ws/main.go']) });
  const h = computeHotspots(p, res);
  assert.equal(h.totalValue, 10);
  const fns = h.files.get('/ws/main.go')!.functions;
  const byName = new Map(fns.map((f) => [f.name, f]));
  assert.equal(byName.get('main.main')!.total, 10);
  assert.equal(byName.get('main.serve')!.total, 10);
  assert.equal(byName.get('main.serve')!.self, 1);
  assert.equal(byName.get('main.parse')!.total, 9, 'not 12: recursion counted once');
  assert.equal(byName.get('main.parse')!.self, 0);
  // No start_line in the profile: the lens goes to the first sampled line of the function.
  assert.equal(byName.get('main.parse')!.line, 20);
});

test('line totals and self; unresolved leaf samples are accounted by reason', () => {
  const p = build();
  const h = computeHotspots(p, resolveProfile(p, { paths: new PathMapper(['/ws/main.go']) }));
  const lines = h.files.get('/ws/main.go')!.lines;
  assert.equal(lines.get(20)!.total, 9);
  assert.equal(lines.get(22)!.total, 3);
  assert.equal(lines.get(12)!.self, 1);
  assert.equal(h.unresolvedLeafValue.get('runtime'), 9);
});

test('user frames without a workspace file are listed as unmatched with their totals', () => {
  const p = build();
  const h = computeHotspots(p, resolveProfile(p, { paths: new PathMapper(['/ws/other.go']) }));
  assert.equal(h.files.size, 0);
  assert.equal(h.unmatchedFunctions.get('main.parse'), 9);
  assert.equal(h.unmatchedFunctions.get('main.main'), 10);
});

test('deepest: samples charged to the deepest workspace function on the stack', () => {
  const p = build();
  const h = computeHotspots(p, resolveProfile(p, { paths: new PathMapper(['/ws/main.go']) }));
  const byName = new Map(h.files.get('/ws/main.go')!.functions.map((f) => [f.name, f]));
  // json (runtime, unresolved) leaves are charged to parse, the deepest workspace frame above them.
  assert.equal(byName.get('main.parse')!.deepest, 9);
  assert.equal(byName.get('main.serve')!.deepest, 1);
  assert.equal(byName.get('main.main')!.deepest, 0);
});

test('line deepest: a workspace line calling library code carries that library time', () => {
  const p = build();
  const h = computeHotspots(p, resolveProfile(p, { paths: new PathMapper(['/ws/main.go']) }));
  const lines = h.files.get('/ws/main.go')!.lines;
  assert.equal(lines.get(20)!.deepest, 6, 'parse line 20 calls json directly in 6 samples');
  assert.equal(lines.get(22)!.deepest, 3, 'the recursive call line 22 is deeper in the other 3');
  assert.equal(lines.get(12)!.deepest, 1);
  assert.equal(lines.get(5)!.deepest, 0);
  const sum = [...lines.values()].reduce((n, l) => n + l.deepest, 0);
  assert.equal(sum, 10, 'every sample charged to exactly one workspace line');
});

test('a standard-library frame is not placed in a workspace file that merely shares its name', () => {
  const b = new ProfileBuilder();
  b.addStack([main, { name: 'net/http.(*conn).serve', file: '/usr/lib/go/src/net/http/server.go', line: 1991, kind: 'runtime' }], 4);
  const p = b.build({ source: 'test', unit: 'samples' });
  const res = resolveProfile(p, { paths: new PathMapper(['/ws/main.go', '/ws/server.go']) });
  assert.equal(res[1].reason, 'runtime');
  assert.equal(res[1].location, undefined);
  // ...unless the user maps the path on purpose.
  const mapped = resolveProfile(p, { paths: new PathMapper(['/ws/main.go', '/ws/server.go'], [{ from: '/usr/lib/go/src/net/http', to: '/ws' }]) });
  assert.equal(mapped[1].location?.path, '/ws/server.go');
});
