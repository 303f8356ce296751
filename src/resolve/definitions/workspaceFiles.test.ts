// Listing a workspace's source files: excludes and .gitignore honoured, sizes checked, and the (synchronous)
// file-system reads give the event loop its turns, so a listing can be cancelled while it runs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { listSourceFiles } from './workspaceFiles';

describe('listSourceFiles', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pp-list-'));
    const put = (rel: string, text = 'package x\n') => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    put('main.go');
    put('README.md', '# not source');
    put('gen/big.go', `package gen\n${'// filler\n'.repeat(200)}`);
    put('vendor/dep/dep.go');
    put('build/out.go');
    put('.gitignore', 'build/\n');
    put('pkg/sub/.gitignore', 'skip_*.go\n');
    put('pkg/sub/keep.go');
    put('pkg/sub/skip_me.go');
    for (let d = 0; d < 20; d++) for (let f = 0; f < 10; f++) put(`many/d${d}/f${f}.py`, 'def f(): pass\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const rel = (paths: Array<{ path: string }>) => paths.map((e) => relative(root, e.path).split('\\').join('/')).sort();

  test('source files only; exclude globs, .gitignore at every level and the size limit are honoured', async () => {
    const files = rel(await listSourceFiles(root, { exclude: ['**/vendor', '**/many'], maxFileBytes: 1000 }));
    assert.deepEqual(files, ['main.go', 'pkg/sub/keep.go']);
    const all = rel(await listSourceFiles(root, { exclude: [], useGitignore: false, maxFileBytes: 1 << 20 }));
    assert.equal(all.length, 6 + 200);
    assert.ok(all.includes('build/out.go') && all.includes('pkg/sub/skip_me.go') && all.includes('gen/big.go'));
  });

  test('gives the event loop its turns: a cancel made from a timer stops the listing', async () => {
    const ac = new AbortController();
    setImmediate(() => ac.abort());
    await assert.rejects(listSourceFiles(root, { exclude: [], maxFileBytes: 1 << 20, signal: ac.signal, yieldEveryMs: 0 }), { name: 'AbortError' });
    // Without a cancel the same listing completes.
    assert.equal((await listSourceFiles(root, { exclude: [], maxFileBytes: 1 << 20, yieldEveryMs: 0 })).length, 4 + 200);
  });
});
