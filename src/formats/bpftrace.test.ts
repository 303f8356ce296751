import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBpftrace, parseBpftraceFrame } from './bpftrace';
import { ProfileFormatError } from './profileFormatError';
import { repoRoot } from '../../test/support/repoRoot';

const text = readFileSync(join(repoRoot(), 'test/fixtures/profiles/go-bpftrace.txt'), 'utf8');

describe('decodeBpftrace: go-bpftrace.txt (@[ustack, kstack] = count())', () => {
  const p = decodeBpftrace(text, { source: 'go-bpftrace.txt' });

  test('total is the sum of the `]: N` counts', () => {
    const counts = [...text.matchAll(/\]: (\d+)$/gm)].map((m) => Number(m[1]));
    assert.ok(counts.length > 100);
    assert.equal(p.totalValue, counts.reduce((a, b) => a + b, 0));
  });

  test('the first entry becomes one root-first stack with offsets stripped', () => {
    // Independently: the lines between the first "@[" and its "]:", reversed, "+N" removed.
    const first = text.slice(text.indexOf('@[') + 2, text.indexOf(']:'));
    const [user] = first.split(/\n,\s*/);
    const expected = user.trim().split('\n').map((l) => l.trim().replace(/\+\d+$/, '')).reverse();
    let found = false;
    p.walk((node, stack) => {
      if (stack.map((n) => p.frames[n.frameId].name).join(';') === expected.join(';') && node.self > 0) found = true;
    });
    assert.ok(found, expected.join(';'));
    assert.equal(expected[0], 'runtime.goexit.abi0');
    assert.equal(expected.at(-1), 'runtime.mapaccess2');
  });

  test('kernel stacks come after (below) the user stack and are kind kernel; bare addresses are unknown', () => {
    const kinds = Object.fromEntries(p.frames.map((f) => [f.name, f.kind]));
    assert.equal(kinds['_raw_spin_unlock_irqrestore'], 'kernel');
    assert.equal(kinds['entry_SYSCALL_64_after_hwframe'], 'kernel');
    assert.equal(kinds['0x7fcae48ede58'], 'unknown');
    assert.equal(kinds['main.(*productCatalog).readCatalogFile'], 'user');
    p.walk((node, stack) => {
      const f = p.frames[node.frameId];
      const parent = stack.length > 1 ? p.frames[stack[stack.length - 2].frameId] : undefined;
      if (parent?.kind === 'kernel') assert.equal(f.kind, 'kernel', `${parent.name} -> ${f.name}`);
    });
    assert.ok(!p.frames.some((f) => /\+\d+$/.test(f.name)));
  });
});

describe('bpftrace variants', () => {
  test('scalar key parts become context frames; kernel-only stacks', () => {
    const p = decodeBpftrace('@[catalogsrv, \n    main.main+12\n    runtime.main+500\n, \n    do_syscall_64+10\n]: 4\n@[\n, \n    ksys_read+3\n]: 2\n');
    assert.equal(p.totalValue, 6);
    assert.deepEqual(p.frames.map((f) => [f.name, f.kind]), [
      ['catalogsrv', 'k8s'],
      ['runtime.main', 'runtime'],
      ['main.main', 'user'],
      ['do_syscall_64', 'kernel'],
      ['ksys_read', 'kernel'],
    ]);
  });

  test('ustack(perf) lines lose address and module', () => {
    assert.deepEqual(parseBpftraceFrame('\t7f3a1b2c3d4e main.work+12 (/app/server)', false), { name: 'main.work', kind: 'user' });
  });

  test('a cut-off last entry is skipped with a warning', () => {
    const warnings: string[] = [];
    const p = decodeBpftrace('@[\n    main.main+1\n, ]: 3\n@[\n    main.work+4\n', { warnings });
    assert.equal(p.totalValue, 3);
    assert.match(warnings[0], /cut off/);
  });

  test('no entries -> ProfileFormatError', () => {
    assert.throws(() => decodeBpftrace('Attaching 1 probe...\n'), ProfileFormatError);
    assert.throws(() => decodeBpftrace('@[\n    main.main+1\n'), /cut off/);
  });
});
