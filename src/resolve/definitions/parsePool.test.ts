// Parsing on worker threads: an index built with them is the same as one built on one thread, and a worker
// that cannot load, crashes, answers with an error or never answers only costs time. The workers here are
// real threads: dist/parseWorker.js (built by scripts/build.mjs), or small scripts speaking its protocol.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../../test/support/repoRoot';
import { DefinitionIndex, type DefinitionIndexOptions } from '../definitionIndex';
import type { Definition } from './definition';
import { fileDefinitions, readSourceText, type FileDefinitions, type FilePlace } from './fileDefinitions';
import { parseAll, type ParseTask } from './parsePool';
import { TreeSitterHost, grammarOfFile } from './treeSitter';

const ROOT = repoRoot();
const WORKER = join(ROOT, 'dist', 'parseWorker.js');
const WASM = join(ROOT, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
// Every language the index knows: the fixture programs (Go, C++, Rust, Java, Node, Python) and this
// repository's own TypeScript, in small batches so that the work is spread over many messages.
const ROOTS = [join(ROOT, '..', 'shared', 'fixtures', 'sources'), join(ROOT, 'test', 'fixtures'), join(ROOT, 'src')];
const OPTIONS: DefinitionIndexOptions = { roots: ROOTS, wasmDir: WASM, batchSize: 5 };

async function built(extra: Partial<DefinitionIndexOptions>) {
  const index = await DefinitionIndex.create({ ...OPTIONS, ...extra });
  const stats = await index.ensureBuilt();
  return { json: index.toJSON(), stats };
}

/** The source files below `roots` (all languages). */
function listed(roots: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (grammarOfFile(path)) out.push(path);
    }
  };
  roots.forEach(walk);
  return out.sort();
}

/** A worker script in a temporary file, speaking parseWorker's protocol (or failing to). */
function script(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'parse-pool-')), 'worker.js');
  writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
  return file;
}

describe('index parse workers', () => {
  let single: Awaited<ReturnType<typeof built>> | undefined;
  const singleThreaded = async () => (single ??= await built({}));

  it('give the same index as parsing on the calling thread alone, in every language', async () => {
    const one = await singleThreaded();
    assert.equal(one.stats.parsedByWorkers, 0);
    assert.ok(one.stats.parsed > 100, `only ${one.stats.parsed} files to parse`);
    const languages = new Set(one.json.files.flatMap((f) => f.defs.map((d) => d.language)));
    assert.deepEqual([...languages].sort(), ['cpp', 'go', 'java', 'javascript', 'python', 'rust', 'typescript']);
    for (const count of [1, 2]) {
      // How much the workers take depends on how soon they start; that they parse right is the next test's.
      const many = await built({ parseWorkers: { script: WORKER, count } });
      assert.ok(many.stats.parsedByWorkers <= many.stats.parsed);
      assert.deepEqual(many.json, one.json);
    }
  });

  it('parse on the worker what the calling thread parses, in every language', async () => {
    const host = await TreeSitterHost.create(WASM);
    const files = listed(ROOTS.slice(0, 2));
    for (const path of files) await host.load(grammarOfFile(path)!);
    const places = (path: string): FilePlace => (path.endsWith('.go') ? { goImportPath: 'example.com/shop' } : path.endsWith('.rs') ? { rustModulePath: ['shop', 'pricing'] } : path.endsWith('.py') ? { pythonModulePath: ['shop'] } : {});
    const tasks = files.map((path) => ({ path, place: places(path) }));
    const here = (t: ParseTask) => fileDefinitions(host, t.path, readSourceText(t.path)!, t.place);
    const results: Array<FileDefinitions | undefined> = [];
    const byWorkers = await parseAll(tasks, {
      workers: { script: WORKER, count: 1 },
      wasmDir: WASM,
      batchSize: 2,
      // Slow here (80 ms a file), so that the worker, once started, takes most files.
      parseHere: (t) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 80);
        return here(t);
      },
      onBatch: (_, batch) => results.push(...batch),
    });
    assert.ok(byWorkers > 0, 'the worker parsed nothing');
    assert.deepEqual(results, tasks.map(here));
    assert.ok(results.some((r) => r!.defs.some((d) => d.language === 'rust' && d.parts.join('::').startsWith('shop::pricing::'))), 'the Rust module path did not reach the worker');
  });

  // What each failure is reported as (the extension logs it); a worker that is only slow is no problem.
  const failing: Array<[string, string, RegExp | undefined]> = [
    ['a script that does not exist', join(tmpdir(), 'no-such-parse-worker.js'), /parse worker script not found: .*no-such-parse-worker\.js/],
    ['a worker that throws on its first batch', script(`parentPort.on('message', () => { throw new Error('boom'); });`), /boom/],
    ['a worker that exits', script(`parentPort.on('message', () => process.exit(3));`), /exited with code 3/],
    ['a worker that answers with an error', script(`parentPort.on('message', (m) => parentPort.postMessage({ batch: m.batch, error: 'grammar failed to load' }));`), /grammar failed to load/],
    ['a worker that never answers', script(`parentPort.on('message', () => {});`), /no answer in \d+ s/],
  ];
  for (const [what, file, reported] of failing) {
    it(`leave nothing undone with ${what}`, async () => {
      const one = await singleThreaded();
      const problems: string[] = [];
      // Silent workers are given up on after stallMs (short here).
      const { json, stats } = await built({ parseWorkers: { script: file, count: 2, stallMs: 300, onProblem: (m) => problems.push(m) } });
      assert.equal(stats.parsedByWorkers, 0);
      assert.deepEqual(json, one.json);
      if (reported) {
        // Once per worker; a missing script once, before any starts.
        assert.equal(problems.length, what.includes('does not exist') ? 1 : 2, problems.join('\n'));
        for (const p of problems) assert.match(p, reported);
      } else assert.deepEqual(problems, []);
    });
  }
});

describe('parseAll', () => {
  const tasks: ParseTask[] = Array.from({ length: 40 }, (_, i) => ({ path: `/f${i}.go`, place: {} }));
  const defsOf = (path: string, by: string): FileDefinitions => ({ defs: [{ name: `${by}:${path}` } as unknown as Definition] });
  /** This thread's parse of a file, slow enough (5 ms) that workers get their share. */
  const slowlyHere = (t: ParseTask) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    return defsOf(t.path, 'here');
  };

  it('hands batches over in task order, whichever thread answers first; this thread parses only what is left at the end', async () => {
    // Answers later batches sooner (out of order), and the last two slowly: this thread parses those.
    const file = script(`parentPort.on('message', (m) => setTimeout(() => parentPort.postMessage({ batch: m.batch, results: m.tasks.map((t) => ({ defs: [{ name: 'worker:' + t.path }] })) }), m.batch >= 8 ? 400 : 20 - m.batch * 2));`);
    const seen: string[] = [];
    const byWorkers = await parseAll(tasks, {
      workers: { script: file, count: 2 },
      wasmDir: WASM,
      batchSize: 4,
      parseHere: slowlyHere,
      onBatch: (batch, results) => batch.forEach((t, k) => seen.push(`${t.path} ${(results[k]!.defs[0] as { name: string }).name}`)),
    });
    assert.deepEqual(seen.map((s) => s.split(' ')[0]), tasks.map((t) => t.path));
    for (const s of seen) assert.match(s, /^(\/f\d+\.go) (worker|here):\1$/);
    const fromWorkers = seen.filter((s) => s.includes('worker:')).length;
    assert.equal(byWorkers, fromWorkers);
    assert.ok(fromWorkers > 0 && fromWorkers < tasks.length, `${fromWorkers} of ${tasks.length} from workers`);
    // While there were batches to hand out, the workers had them all: here, only the slow last ones (of 10
    // batches of 4; a worker holds 2 at a time, and this thread takes the unanswered from the end).
    const here = seen.filter((s) => s.includes('here:')).map((s) => Number(/f(\d+)/.exec(s)![1]));
    assert.ok(here.every((f) => f >= 24), `parsed on this thread: ${here.map((f) => `f${f}`).join(' ')}`);
  });

  it('parsing alone, lets its event loop turn at least every 20 ms', async () => {
    // The extension host takes in a window's message a piece per turn: long turns hold back a click on Cancel.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    // One batch of 40 files at 8 ms each: 320 ms on this thread.
    await parseAll(tasks, {
      wasmDir: WASM,
      batchSize: 40,
      parseHere: (t) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 8);
        return defsOf(t.path, 'here');
      },
      onBatch: () => undefined,
    });
    ticking = false;
    assert.ok(turns >= 10, `${turns} turns in 320 ms of parsing`);
  });

  it('stops at once when cancelled while parsing itself', async () => {
    const abort = new AbortController();
    let batches = 0;
    await assert.rejects(
      parseAll(tasks, {
        wasmDir: WASM,
        batchSize: 4,
        signal: abort.signal,
        parseHere: (t) => defsOf(t.path, 'here'),
        onBatch: () => {
          if (++batches === 2) abort.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.equal(batches, 2);
  });

  it('stops at once when cancelled while waiting for its workers, and stops them', async () => {
    // Workers that never answer: without the cancel, this thread would wait for them (10 s) before parsing.
    const file = script(`parentPort.on('message', () => {});`);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = performance.now();
    await assert.rejects(
      parseAll(tasks, { workers: { script: file, count: 2 }, wasmDir: WASM, batchSize: 4, signal: abort.signal, parseHere: (t) => defsOf(t.path, 'here'), onBatch: () => undefined }),
      { name: 'AbortError' },
    );
    const ms = performance.now() - started;
    assert.ok(ms < 5_000, `took ${ms.toFixed(0)} ms`);
    // A worker left running would keep this test process alive: node:test would time out.
  });
});
