import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { flameDataProblem, isHostMessage, isWebviewMessage, type FlameData } from './protocol';

const good: FlameData = {
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

function tweak(patch: Partial<Record<keyof FlameData, unknown>>): unknown {
  return { ...good, ...patch };
}

describe('FlameData validation', () => {
  test('accepts a well-formed tree', () => assert.equal(flameDataProblem(good), undefined));

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
