import { test } from 'node:test';
import assert from 'node:assert/strict';
import { k8sContextFrames, pixieRowsToProfile, toStackRows } from './pixieProfile';

const ctx = { node: 'node-a1', namespace: 'shop', pod: 'shop/catalog-1', container: 'catalog', pid: 42 };

test("Pixie's markers: [k] kernel, [j] Java, [m] module+offset and bare hex unknown, lost stacks", () => {
  const p = pixieRowsToProfile(
    [
      { ...ctx, stack_trace: 'main;main.work;[k] do_syscall_64;[k] ksys_write', count: 3 },
      { ...ctx, stack_trace: 'main;main.work', count: 2 },
      { ...ctx, stack_trace: '[j] com.example.Orders.run;[j] java.util.HashMap.get', count: 1 },
      { ...ctx, stack_trace: '[m] /usr/lib/libc.so.6 + 0x9a3f1;0x00007f3a12b4c000', count: 4 },
      { ...ctx, stack_trace: '<stack trace lost>', count: 5 },
    ],
    { source: 'test' },
  );
  assert.equal(p.totalValue, 15);
  const kind = (name: string) => p.frames.find((f) => f.name === name)?.kind;
  assert.equal(kind('do_syscall_64'), 'kernel');
  assert.equal(kind('ksys_write'), 'kernel');
  assert.equal(kind('main.work'), 'user');
  assert.equal(kind('com.example.Orders.run'), 'java');
  assert.equal(kind('/usr/lib/libc.so.6 + 0x9a3f1'), 'unknown');
  assert.equal(kind('0x00007f3a12b4c000'), 'unknown');
  assert.equal(kind('<stack trace lost>'), 'unknown');
  // One context chain on top; main.work has 3 + 2 total, 2 self.
  const pidNode = [...[...[...[...[...p.root.children.values()][0].children.values()][0].children.values()][0].children.values()][0].children.values()][0];
  assert.equal(p.frames[pidNode.frameId].name, 'pid: 42');
  assert.equal(pidNode.total, 15);
  const mainNode = [...pidNode.children.values()].find((n) => p.frames[n.frameId].name === 'main')!;
  const work = [...mainNode.children.values()][0];
  assert.equal(work.total, 5);
  assert.equal(work.self, 2);
});

test('context frames: the pod shown without its namespace prefix, missing values left out, processes apart', () => {
  assert.deepEqual(
    k8sContextFrames({ ...ctx, stack_trace: 'x', count: 1 }).map((f) => `${f.kind}:${f.name}`),
    ['k8s:node: node-a1', 'k8s:namespace: shop', 'k8s:pod: catalog-1', 'k8s:container: catalog', 'k8s:pid: 42'],
  );
  assert.deepEqual(
    k8sContextFrames({ pod: 'shop/catalog-1', stack_trace: 'x', count: 1 }).map((f) => f.name),
    ['pod: shop/catalog-1'],
  );
  const p = pixieRowsToProfile(
    [
      { ...ctx, stack_trace: 'a;b', count: 1 },
      { ...ctx, pid: 43, stack_trace: 'a;b', count: 2 },
    ],
    { source: 'test' },
  );
  const container = [...[...[...[...p.root.children.values()][0].children.values()][0].children.values()][0].children.values()][0];
  assert.deepEqual([...container.children.values()].map((n) => [p.frames[n.frameId].name, n.total]), [['pid: 42', 1], ['pid: 43', 2]]);
});

test('raw table rows: numbers coerced, empty stacks and zero counts skipped', () => {
  const rows = toStackRows([
    { node: 'n', namespace: 'shop', pod: 'shop/p', container: 'c', pid: 1, stack_trace: 'a;b', count: 2 },
    { stack_trace: '', count: 3 },
    { stack_trace: 'a', count: 0 },
    { stack_trace: 'a', count: '4' },
    { stack_trace: 5, count: 1 },
  ]);
  assert.equal(rows.length, 2);
  assert.equal(rows[1].count, 4);
  assert.equal(rows[1].pod, undefined);
});
