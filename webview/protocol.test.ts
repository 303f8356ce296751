import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flameDataOf, flameDataProblem, isHostMessage, isWebviewMessage, parseHostMessage, readFlameData, type FlameColumns } from './protocol';

const plain: FlameColumns = {
  unit: 'samples',
  frames: [
    { name: 'main', kind: 'user', file: '/app/main.go', line: 3, location: 'main.go:3' },
    { name: 'read', kind: 'kernel' },
  ],
  parent: [-1, 0, 1, 0],
  depth: [0, 1, 2, 1],
  frame: [-1, 0, 1, 1],
  self: [0, 2, 3, 4],
  total: [9, 5, 3, 4],
};

const good = flameDataOf(plain);

/** The good tree with some columns replaced; number[] patches become the column's typed array. */
function tweak(patch: Partial<Record<keyof FlameColumns, unknown>>): unknown {
  const out: Record<string, unknown> = { ...good };
  for (const [k, v] of Object.entries(patch)) {
    if (Array.isArray(v) && typeof v[0] === 'number') out[k] = ['self', 'total'].includes(k) ? Float64Array.from(v) : Int32Array.from(v);
    else out[k] = v;
  }
  return out;
}

describe('FlameData validation', () => {
  test('accepts a well-formed tree', () => assert.equal(flameDataProblem(good), undefined));
  test('accepts plain arrays (JSON) and converts them to typed columns', () => {
    const r = readFlameData(JSON.parse(JSON.stringify(plain)));
    assert.equal(r.problem, undefined);
    assert.ok(r.data!.parent instanceof Int32Array && r.data!.total instanceof Float64Array);
    assert.deepEqual(Array.from(r.data!.total), [9, 5, 3, 4]);
  });
  test('typed columns survive structured clone (what postMessage does) and stay typed', () => {
    const r = readFlameData(structuredClone(good));
    assert.equal(r.problem, undefined);
    assert.ok(r.data!.depth instanceof Int32Array && r.data!.self instanceof Float64Array);
  });
  test('rejects: wrong typed array kind, non-integer in a plain int column, typed arrays as JSON objects', () => {
    assert.match(flameDataProblem({ ...good, total: Float32Array.from([9, 5, 3, 4]) })!, /total is Float32Array/);
    assert.match(flameDataProblem({ ...good, parent: Float64Array.from([-1, 0, 1, 0]) })!, /parent is Float64Array/);
    assert.match(flameDataProblem({ ...plain, parent: [-1, 0, 1.5, 0] })!, /parent\[2\]/);
    assert.match(flameDataProblem(JSON.parse(JSON.stringify(good)))!, /not an array/);
  });

  const bad: Array<[string, unknown]> = [
    ['not preorder (parent is not the last node one level up)', tweak({ parent: [-1, 0, 0, 0], depth: [0, 1, 1, 1] })],
    ['parent after child', tweak({ parent: [-1, 0, 3, 0] })],
    ['depth skips a level', tweak({ depth: [0, 1, 3, 1] })],
    ['frame out of range', tweak({ frame: [-1, 0, 2, 1] })],
    ['negative self', tweak({ self: [0, -1, 3, 4] })],
    ['self above total', tweak({ self: [0, 2, 4, 4] })],
    ['children exceed total', tweak({ total: [8, 5, 3, 4] })],
    ['NaN', tweak({ total: [9, NaN, 3, 4] })],
    ['length mismatch', tweak({ self: [0, 2, 3] })],
    ['root has a frame', tweak({ frame: [0, 0, 1, 1] })],
    ['unknown kind', tweak({ frames: [{ name: 'x', kind: 'gpu' }, { name: 'y', kind: 'user' }] })],
    ['string line', tweak({ frames: [{ name: 'x', kind: 'user', line: '3' }, { name: 'y', kind: 'user' }] })],
    ['empty', tweak({ parent: [], depth: [], frame: [], self: [], total: [] })],
    ['null', null],
  ];
  for (const [why, x] of bad) test(`rejects: ${why}`, () => assert.notEqual(flameDataProblem(x), undefined));
});

describe('host -> webview messages', () => {
  test('profile with and without baseline', () => {
    assert.ok(isHostMessage({ type: 'profile', data: good, title: 't' }));
    assert.ok(isHostMessage({ type: 'profile', data: good, title: 't', baseline: good, baselineTitle: 'b' }));
    assert.ok(!isHostMessage({ type: 'profile', data: good }));
    assert.ok(!isHostMessage({ type: 'profile', data: good, title: 't', baseline: { ...good, unit: 3 } }));
  });
  test('notice and result', () => {
    assert.ok(isHostMessage({ type: 'notice', text: 'no profile' }));
    assert.ok(isHostMessage({ type: 'result', ok: true, text: 'saved' }));
    assert.ok(!isHostMessage({ type: 'result', ok: 'yes', text: 'saved' }));
    assert.ok(!isHostMessage({ type: 'eval', code: '1' }));
  });
  test('selectFunction needs a non-empty bounded name', () => {
    assert.deepEqual(parseHostMessage({ type: 'selectFunction', name: 'main.parseCatalog', extra: 1 }), { type: 'selectFunction', name: 'main.parseCatalog' });
    for (const name of ['', 3, undefined, 'x'.repeat(70_000)]) assert.equal(parseHostMessage({ type: 'selectFunction', name }), undefined, String(name).slice(0, 9));
  });
});

describe('webview -> host messages', () => {
  test('openSource needs a non-negative integer frame id', () => {
    assert.ok(isWebviewMessage({ type: 'openSource', frameId: 0 }));
    assert.ok(isWebviewMessage({ type: 'openSource', frameId: 41 }));
    for (const frameId of [-1, 1.5, '3', NaN, Infinity, 1e12, undefined, null]) {
      assert.ok(!isWebviewMessage({ type: 'openSource', frameId }), String(frameId));
    }
    // Paths are never accepted from the webview: the host decides what a frame id opens.
    assert.ok(!isWebviewMessage({ type: 'openSource', path: '/etc/passwd' }));
  });
  test('saveImage checks format and payload shape', () => {
    assert.ok(isWebviewMessage({ type: 'saveImage', format: 'png', data: 'data:image/png;base64,AAAA' }));
    assert.ok(isWebviewMessage({ type: 'saveImage', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }));
    assert.ok(!isWebviewMessage({ type: 'saveImage', format: 'png', data: 'data:text/html,<script>' }));
    assert.ok(!isWebviewMessage({ type: 'saveImage', format: 'svg', data: '<html></html>' }));
    assert.ok(!isWebviewMessage({ type: 'saveImage', format: 'gif', data: 'data:image/png;base64,AAAA' }));
  });
  test('others', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'copyText', text: 'a;b;c' }));
    assert.ok(isWebviewMessage({ type: 'command', command: 'exportProfile' }));
    assert.ok(!isWebviewMessage({ type: 'command', command: 'workbench.action.terminal.new' }));
    assert.ok(isWebviewMessage({ type: 'log', level: 'warn', text: 'x' }));
    assert.ok(!isWebviewMessage({ type: 'log', level: 'debug', text: 'x' }));
    assert.ok(!isWebviewMessage('ready'));
    assert.ok(!isWebviewMessage([{ type: 'ready' }]));
    assert.ok(!isWebviewMessage({ type: 'copyText', text: 'x'.repeat(2 * 1024 * 1024) }));
  });
});
