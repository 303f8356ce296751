import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFolded, encodeFolded, parseFoldedStack, detectFoldedStyle } from './folded';
import { decodePprof } from './pprof';
import { ProfileFormatError } from './profileFormatError';
import type { Profile } from '../model/profile';
import { repoRoot } from '../../test/support/repoRoot';

const fixtureText = (name: string): string => readFileSync(join(repoRoot(), 'test/fixtures/profiles', name), 'utf8');
const FOLDED = ['go.folded', 'cpp.folded', 'rust.folded', 'go-perf.folded', 'cpp-perf.folded', 'rust-perf.folded'];

/** Independent reading: split each line on its last space, strip `_[k]`/`_[j]` with a regex, sum. */
function naiveStacks(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const i = line.lastIndexOf(' ');
    const key = line.slice(0, i).split(';').map((f) => f.replace(/_\[[kjiw]\]$/, '')).join(';');
    out.set(key, (out.get(key) ?? 0) + Number(line.slice(i + 1)));
  }
  return out;
}

/** The profile's stacks as frame names joined by ';', with self values. */
function nameStacks(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  p.walk((node, stack) => {
    if (node.self <= 0) return;
    const key = stack.map((n) => p.frames[n.frameId].name).join(';');
    out.set(key, (out.get(key) ?? 0) + node.self);
  });
  return out;
}

describe('decodeFolded: BCC and perf fixtures', () => {
  for (const name of FOLDED) {
    test(`${name}: total is the sum of trailing counts, every stack summed and markers stripped`, () => {
      const text = fixtureText(name);
      const total = text.split('\n').filter((l) => l.trim()).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
      const p = decodeFolded(text, { source: name });
      assert.equal(p.totalValue, total);
      assert.equal(p.meta.unit, 'samples');
      assert.deepEqual(nameStacks(p), naiveStacks(text));
    });
  }

  test('repeated lines are summed (go.folded repeats raw BCC lines)', () => {
    const text = fixtureText('go.folded');
    const lines = text.split('\n').filter((l) => l.trim());
    const stackOf = (l: string) => l.slice(0, l.lastIndexOf(' '));
    const times = new Map<string, number>();
    for (const l of lines) times.set(stackOf(l), (times.get(stackOf(l)) ?? 0) + 1);
    const [repeated, n] = [...times].sort((a, b) => b[1] - a[1])[0];
    assert.ok(n > 1, 'fixture has repeated stacks');
    const key = repeated.split(';').map((f) => f.replace(/_\[k\]$/, '')).join(';');
    const expected = lines.filter((l) => stackOf(l) === repeated).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
    assert.ok(expected > Number(lines.find((l) => stackOf(l) === repeated)!.split(' ').pop()));
    assert.equal(nameStacks(decodeFolded(text)).get(key), expected);
  });

  test('kernel frames: `_[k]` stripped and kind kernel; process name is a context frame', () => {
    const p = decodeFolded(fixtureText('go.folded'));
    const kernelTokens = new Set(fixtureText('go.folded').match(/[^; ]+_\[k\]/g)!.map((t) => t.slice(0, -4)));
    assert.ok(kernelTokens.size > 10);
    for (const t of kernelTokens) assert.equal(p.frames.find((f) => f.name === t)?.kind, 'kernel', t);
    assert.ok(!p.frames.some((f) => f.name.endsWith('_[k]')));
    assert.equal(p.frames.find((f) => f.name === 'catalogsrv')?.kind, 'k8s');
    assert.equal(p.frames.find((f) => f.name === 'main.(*productCatalog).parseCatalog')?.kind, 'user');
    assert.equal(p.frames.find((f) => f.name === 'encoding/json.Unmarshal')?.kind, 'runtime');
    assert.equal(p.frames.find((f) => f.name === '[unknown]' || f.name === '[Missed User Stack]')?.kind, 'unknown');
  });

  test('java `_[j]` frames', () => {
    const p = decodeFolded('java;Interpreter_[j];java.util.HashMap.get_[j] 3\njava;com.acme.Catalog.load_[j] 2\n');
    assert.deepEqual(p.frames.map((f) => [f.name, f.kind]), [
      ['java', 'k8s'],
      ['Interpreter', 'java'],
      ['java.util.HashMap.get', 'java'],
      ['com.acme.Catalog.load', 'java'],
    ]);
  });

  test('C++ names with spaces stay intact', () => {
    const p = decodeFolded(fixtureText('cpp.folded'));
    const name = 'shop::pricing::PriceEngine::priceItem(shop::pricing::Item const&) const [clone .isra.0]';
    assert.equal(p.frames.find((f) => f.name === name)?.kind, 'user');
    assert.equal(p.frames.find((f) => f.name === 'inventory')?.kind, 'k8s');
    assert.ok(p.frames.some((f) => f.name.startsWith('std::_Rb_tree<std::__cxx11::basic_string<char, std::char_traits<char>') && f.kind === 'runtime'));
  });

  test('files without a process column keep their first frame as a normal frame', () => {
    const p = decodeFolded('runtime.goexit;main.main;main.work 5\nruntime.goexit;main.main 1\n');
    assert.equal(p.frames[0].name, 'runtime.goexit');
    assert.equal(p.frames[0].kind, 'runtime');
    const q = decodeFolded('_start;main;compute 5\n_start;main 2\n');
    assert.equal(q.frames[0].kind, 'runtime');
    assert.equal(q.frames[1].kind, 'user');
  });

  test('Windows line endings, comments and blank lines', () => {
    const p = decodeFolded('# comment\r\na;b 2\r\n\r\na;b 3\r\na;c 1');
    assert.equal(p.totalValue, 6);
    assert.equal(nameStacks(p).get('a;b'), 5);
  });
});

describe('Pixie style', () => {
  // Real frames from the Go fixtures, marked the way Pixie's stack_traces.beta marks them.
  const pixie = [
    'main.(*productCatalog).ServeHTTP;main.(*productCatalog).parseCatalog;main.(*productCatalog).readCatalogFile;os.ReadFile;syscall.read;[k] entry_SYSCALL_64_after_hwframe;[k] do_syscall_64;[k] ksys_read 7',
    'main.(*productCatalog).ServeHTTP;main.(*productCatalog).parseCatalog;main.(*productCatalog).readCatalogFile;encoding/json.Unmarshal 11',
    '[m] /lib/x86_64-linux-gnu/libc.so.6 + 0x12;0x7f3a1b2c3d4e;runtime.mallocgc 2',
    '<stack trace lost> 1',
    '[j] java.util.HashMap.get;[j] com.acme.Catalog.load 3',
    'main.(*productCatalog).ServeHTTP;main.(*productCatalog).parseCatalog;main.(*productCatalog).readCatalogFile;encoding/json.Unmarshal 4',
  ];

  test('parseFoldedStack strips markers and decides kinds', () => {
    assert.deepEqual(parseFoldedStack('[m] /lib/x86_64-linux-gnu/libc.so.6 + 0x12;0x7f3a1b2c3d4e;runtime.mallocgc;[k] do_syscall_64', 'pixie'), [
      { name: '/lib/x86_64-linux-gnu/libc.so.6 + 0x12', kind: 'unknown' },
      { name: '0x7f3a1b2c3d4e', kind: 'unknown' },
      { name: 'runtime.mallocgc', kind: 'runtime' },
      { name: 'do_syscall_64', kind: 'kernel' },
    ]);
    assert.deepEqual(parseFoldedStack('<stack trace lost>', 'pixie'), [{ name: '<stack trace lost>', kind: 'unknown' }]);
    assert.deepEqual(parseFoldedStack('[j] com.acme.Catalog.load;main.(*productCatalog).parseCatalog', 'pixie'), [
      { name: 'com.acme.Catalog.load', kind: 'java' },
      { name: 'main.(*productCatalog).parseCatalog', kind: 'user' },
    ]);
    assert.deepEqual(parseFoldedStack('pod:shop/catalog-7d9;main.main', 'pixie'), [
      { name: 'pod:shop/catalog-7d9', kind: 'k8s' },
      { name: 'main.main', kind: 'user' },
    ]);
    // bcc style: suffix markers, and the process column on request
    assert.deepEqual(parseFoldedStack('catalogsrv;runtime.usleep.abi0;do_syscall_64_[k]', 'bcc', { processRoot: true }), [
      { name: 'catalogsrv', kind: 'k8s' },
      { name: 'runtime.usleep.abi0', kind: 'runtime' },
      { name: 'do_syscall_64', kind: 'kernel' },
    ]);
  });

  test('decodeFolded detects the style, sums and classifies', () => {
    const text = pixie.join('\n');
    assert.equal(detectFoldedStyle(text), 'pixie');
    assert.equal(detectFoldedStyle(fixtureText('go.folded')), 'bcc');
    const p = decodeFolded(text);
    assert.equal(p.totalValue, 7 + 11 + 2 + 1 + 3 + 4);
    const kinds = Object.fromEntries(p.frames.map((f) => [f.name, f.kind]));
    assert.equal(kinds['main.(*productCatalog).ServeHTTP'], 'user', 'no process column in Pixie data');
    assert.equal(kinds['ksys_read'], 'kernel');
    assert.equal(kinds['syscall.read'], 'runtime');
    assert.equal(kinds['/lib/x86_64-linux-gnu/libc.so.6 + 0x12'], 'unknown');
    assert.equal(kinds['0x7f3a1b2c3d4e'], 'unknown');
    assert.equal(kinds['<stack trace lost>'], 'unknown');
    assert.equal(kinds['com.acme.Catalog.load'], 'java');
    assert.equal(nameStacks(p).get('main.(*productCatalog).ServeHTTP;main.(*productCatalog).parseCatalog;main.(*productCatalog).readCatalogFile;encoding/json.Unmarshal'), 15);
  });
});

describe('bad folded input', () => {
  const throwsFormat = (fn: () => unknown, message?: RegExp) =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof ProfileFormatError, `expected ProfileFormatError, got ${String(e)}`);
      if (message) assert.match(e.message, message);
      return true;
    });
  test('empty', () => throwsFormat(() => decodeFolded(''), /empty/));
  test('prose', () => throwsFormat(() => decodeFolded('hello world\nthis is not a profile\n'), /does not look like folded stacks/));
  test('too many lines', () => throwsFormat(() => decodeFolded('a 1\n'.repeat(20), { maxLines: 10 }), /more than 10 lines/));
  test('a few malformed lines are skipped with a warning', () => {
    const warnings: string[] = [];
    const p = decodeFolded('a;b 2\ngarbage\na;c 3\n', { warnings });
    assert.equal(p.totalValue, 5);
    assert.match(warnings[0], /Skipped 1 malformed/);
  });
});

describe('encodeFolded round trip', () => {
  for (const name of FOLDED) {
    test(name, () => {
      const p = decodeFolded(fixtureText(name));
      const q = decodeFolded(encodeFolded(p));
      assert.equal(q.totalValue, p.totalValue);
      assert.deepEqual(nameStacks(q), nameStacks(p));
      assert.deepEqual(
        q.frames.map((f) => `${f.name}:${f.kind}`).sort(),
        p.frames.map((f) => `${f.name}:${f.kind}`).sort(),
      );
    });
  }

  test('pprof -> folded keeps totals and name stacks', () => {
    const p = decodePprof(readFileSync(join(repoRoot(), 'test/fixtures/profiles/go-cpu.pb.gz')), { sampleType: 'samples' });
    const q = decodeFolded(encodeFolded(p));
    assert.equal(q.totalValue, p.totalValue);
    assert.deepEqual(nameStacks(q), nameStacks(p));
  });
});
