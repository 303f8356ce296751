// Speed of the definition index on the Go standard library source tree, next to universal-ctags on the same
// files in the same run (both timed the same way: wall time, CPU time and peak RSS from /usr/bin/time): the Go
// files against `ctags --languages=Go`, every file each reads against `ctags -R`; the index parses on worker
// threads as the extension does, and once more on the calling thread alone. Then the time to resolve a
// 50,000-frame name-only profile against that index, through the function the extension calls (the first
// resolution also in fresh processes that read the profile before indexing, as the extension does). Also
// checks on a sample of files that the Go body elision finds exactly the definitions a full parse finds.
// Run: node scripts/build.mjs --tests && node out/test/bench/indexSpeed.js [GOROOT/src]
// Profile the resolution alone: node --cpu-prof out/test/bench/indexSpeed.js --resolve-only
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFolded } from '../../src/formats/folded';
import { Profile, ProfileBuilder } from '../../src/model/profile';
import type { SerializedIndex } from '../../src/resolve/definitionIndex';
import type { NameResolver } from '../../src/resolve/nameResolver';
import { PathMapper } from '../../src/resolve/pathMapper';
import { resolveProfile } from '../../src/resolve/profileResolver';
import { escapeImportPath } from '../../src/resolve/symbols/goSymbol';
import { repoRoot } from '../support/repoRoot';
import { DefinitionIndex } from '../../src/resolve/definitionIndex';
import { extractGo } from '../../src/resolve/definitions/goDefinitions';
import { elideGoBodies } from '../../src/resolve/definitions/goBodyElision';
import { TreeSitterHost, type TsNode, type TsParser } from '../../src/resolve/definitions/treeSitter';
import type { ClosureSite } from '../../src/resolve/definitionIndex';
import { createNameResolver } from '../../src/resolve/nameResolver';

/** Flags followed by a value (not the source tree). */
const VALUE_FLAGS = ['--names', '--write-names'];

function goSrc(): string {
  const arg = process.argv.find((a, i) => i >= 2 && !a.startsWith('--') && !VALUE_FLAGS.includes(process.argv[i - 1]));
  if (arg) return arg;
  try {
    const root = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    if (existsSync(join(root, 'src'))) return join(root, 'src');
  } catch {
    // fall through
  }
  return '/usr/lib/go-1.19/src';
}

/** Child mode: build the index only (timed from outside), then the resolution and elision checks. */
/** What `go build` never compiles into a binary: test files and testdata directories. */
const NOT_IN_BINARIES = ['**/testdata', '**/*_test.go'];

/** Every source file the index reads that is not Go (the C, Python and JavaScript files of the Go tree). */
const NOT_GO = ['c', 'cc', 'cpp', 'cxx', 'c++', 'h', 'hh', 'hpp', 'hxx', 'ipp', 'inl', 'rs', 'java', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'py', 'pyw'].map((ext) => `**/*.${ext}`);

/** The parse workers the extension uses (dist/parseWorker.js, the default count), unless --no-workers. */
function parseWorkers(): { script: string } | undefined {
  if (process.argv.includes('--no-workers')) return undefined;
  const script = join(repoRoot(), 'dist', 'parseWorker.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run node scripts/build.mjs first`);
  return { script };
}

async function child(src: string): Promise<void> {
  const skipTests = process.argv.includes('--skip-tests');
  const goOnly = process.argv.includes('--go-only');
  // --names FILE: the profile arrives before the index is built, as in the extension (the index is built
  // because a profile is waiting), so its frames are not the youngest objects when it is resolved.
  const namesFile = argAfter('--names');
  const waiting = namesFile ? profileOf(JSON.parse(readFileSync(namesFile, 'utf8')) as string[]) : undefined;
  const t0 = performance.now();
  const exclude = [...(skipTests ? NOT_IN_BINARIES : []), ...(goOnly ? NOT_GO : [])];
  const index = await DefinitionIndex.create({ roots: [src], exclude, useGitignore: false, parseWorkers: parseWorkers() });
  const stats = await index.ensureBuilt();
  const indexMs = performance.now() - t0;
  const what = [goOnly ? 'Go files' : 'every language', skipTests ? 'no _test.go, no testdata/' : 'whole tree', stats.parsedByWorkers > 0 ? `${stats.parsedByWorkers} files parsed on worker threads` : 'calling thread only'];
  console.log(`  pod-profiler index (${what.join(', ')}): ${stats.files} files, ${stats.definitions} definitions in ${indexMs.toFixed(0)} ms (in-process), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
  if (process.argv.includes('--index-only')) return;
  const writeNames = argAfter('--write-names');
  if (writeNames) {
    const names = syntheticNames(index);
    writeFileSync(writeNames, JSON.stringify(names));
    writeFileSync(`${writeNames}.shuffled`, JSON.stringify(shuffled(names)));
    return;
  }

  console.log(`  machine load reference: ${referenceLoop()}`);
  const paths = new PathMapper(index.filePaths());
  // Made from the index itself, as a decoded profile would arrive, with no copy of the index (toJSON) in the heap.
  const profile = waiting ?? profileOf(syntheticNames(index));
  const resolveFigures = timeResolution(() => createNameResolver(index), paths, profile);
  console.log(`  resolve ${profile.frames.length} distinct name-only frames (${SHAPES}${namesFile ? `, read from ${namesFile} before indexing` : ''}):`);
  console.log(`    ${resolveFigures}`);
  fastPathCheck(index, profile);
  if (process.argv.includes('--resolve-only') && !process.argv.includes('--closure-check-all')) return;
  const json = index.toJSON();
  await fixtureResolution();

  // Elision check: the same definitions (name, parts, lines) as a full parse, on every 10th Go file.
  const host = await TreeSitterHost.create();
  await host.load('go');
  const parser = host.parser('go')!;
  let files = 0;
  let mismatches = 0;
  for (let i = 0; i < json.files.length; i += 10) {
    const f = json.files[i];
    if (!f.path.endsWith('.go')) continue;
    const text = readFileSync(f.path, 'utf8');
    const full = parser.parse(text)!;
    const elided = parser.parse(elideGoBodies(text))!;
    const a = JSON.stringify(extractGo(full.rootNode, { file: f.path }));
    const b = JSON.stringify(extractGo(elided.rootNode, { file: f.path }));
    full.delete();
    elided.delete();
    files++;
    if (a !== b) mismatches++;
  }
  console.log(`  body elision check: ${files - mismatches}/${files} sampled Go files give identical definitions to a full parse`);
  closureCheck(index, json, parser, process.argv.includes('--closure-check-all') ? 1 : 10);
}

/**
 * The func literals noted while indexing against tree-sitter's func_literal nodes of a full parse, per
 * definition, on every `step`-th Go file (--closure-check-all: every file). Mismatches are listed.
 */
function closureCheck(index: DefinitionIndex, json: SerializedIndex, parser: TsParser, step: number): void {
  let files = 0;
  let defs = 0;
  let literals = 0;
  const wrong: string[] = [];
  for (let i = 0; i < json.files.length; i += step) {
    const f = json.files[i];
    if (!f.path.endsWith('.go')) continue;
    const tree = parser.parse(readFileSync(f.path, 'utf8'))!;
    const byLine = new Map<number, ClosureSite[]>();
    const collect = (node: TsNode, into: ClosureSite[]) => {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type !== 'func_literal') collect(child, into);
        else {
          const site = { line: child.startPosition.row + 1, endLine: child.endPosition.row + 1, children: [] as ClosureSite[] };
          into.push(site);
          collect(child, site.children);
        }
      }
    };
    for (const node of tree.rootNode.namedChildren) {
      if (!node || (node.type !== 'function_declaration' && node.type !== 'method_declaration')) continue;
      const sites: ClosureSite[] = [];
      collect(node, sites);
      byLine.set(node.childForFieldName('name')!.startPosition.row + 1, sites);
    }
    tree.delete();
    files++;
    for (const def of index.definitionsIn(f.path)) {
      defs++;
      const want = JSON.stringify(byLine.get(def.line) ?? []);
      literals += (want.match(/"line"/g) ?? []).length;
      if (JSON.stringify(index.closureSites(def)) !== want) wrong.push(`${f.path}:${def.line} ${def.name}`);
    }
  }
  console.log(`  closure check: func literals noted at index time equal tree-sitter's in ${defs - wrong.length}/${defs} definitions of ${files} ${step === 1 ? '' : 'sampled '}Go files (${literals} literals)`);
  for (const w of wrong.slice(0, 10)) console.log(`    differs: ${w}`);
}

const SHAPES =
  'Go symbols of indexed functions as the toolchain prints them, pointer and value receivers, with .abi0, +0x offsets and [...] generics mixed in; 10% closures of func literals in the tree (.funcN, .funcN.M); 10% not in the tree (a third named like nothing in it, two thirds like its functions, in packages it lacks)';

/**
 * 50,000 distinct frame names built from the index's real Go definitions, every 10th one with a suffix
 * a profiler adds, 5,000 closures of real func literals (a profile's closure frames name literals of the
 * source that built the binary), plus names that are not in the tree. In index order: the frames of one
 * file together (see shuffled).
 */
function syntheticNames(index: DefinitionIndex): string[] {
  const names = new Set<string>();
  const spell = (pkg: string, d: { container?: string; name: string }, k: number) =>
    d.container ? (k % 3 === 0 ? `${pkg}.${d.container}.${d.name}` : `${pkg}.(*${d.container}).${d.name}`) : `${pkg}.${d.name}`;
  const files = [...index.filePaths()];
  let k = 0;
  outer: for (const file of files) {
    for (const d of index.definitionsIn(file)) {
      if (d.language !== 'go' || d.name === 'init') continue;
      const base = spell(escapeImportPath(d.parts[0]), d, k++);
      // The literals written directly in d, and one level in (noted while indexing: no file is read).
      (index.closureSites(d) ?? []).forEach((s, i) => {
        names.add(`${base}.func${i + 1}`);
        s.children.forEach((_, j) => names.add(`${base}.func${i + 1}.${j + 1}`));
      });
      if (names.size >= 5_000) break outer;
    }
  }
  k = 0;
  outer: for (const file of files) {
    for (const d of index.definitionsIn(file)) {
      if (d.language !== 'go') continue;
      const pkg = escapeImportPath(d.parts[0]);
      k++;
      const base = spell(pkg, d, k);
      const suffix = ['', '', '', '', '', '', '', '.abi0', '+0x1f', ''][k % 10];
      names.add(k % 10 === 9 && !d.container ? `${base}[...]` : base + suffix);
      if (names.size >= 45_000) break outer;
    }
  }
  // Not in the tree, as a service's third-party frames are not in its workspace: a third named like nothing
  // in it; a third named like its functions and methods (a library's `(*Client).Close` or `New`); a third
  // those names again, in packages whose last path segment the tree has too (a library's `.../log`).
  const goDefs = files.flatMap((f) => index.definitionsIn(f).filter((d) => d.language === 'go' && d.name !== 'init'));
  for (let i = 0; names.size < 50_000; i++) {
    const d = goDefs[(i * 7919) % goDefs.length];
    const tail = i % 3 === 2 ? d.parts[0].slice(d.parts[0].lastIndexOf('/') + 1) : `pkg${i % 97}`;
    names.add(i % 3 === 0 ? `example.com/missing/pkg${i % 97}.Func${i}` : spell(`example.com/missing/${tail}`, d, i));
  }
  return [...names];
}

/**
 * `names` in a random order (fixed seed). A real profile lists its functions as its stacks meet them: the
 * frames of a package are near each other in a folded profile's sorted stacks, scattered in a pprof's
 * function table. Index order is the kind one for memory (neighbouring lookups touch neighbouring
 * entries), so both orders are timed.
 */
function shuffled(names: readonly string[]): string[] {
  const out = [...names];
  let seed = 20261204;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * A profile of `names`, 10 frames a stack. The names go through one text buffer and a split, so they are
 * flat strings like a decoder's, not concatenations.
 */
function profileOf(names: readonly string[]): Profile {
  const list = names.join('\n').split('\n');
  const builder = new ProfileBuilder();
  for (let i = 0; i < list.length; i += 10) {
    builder.addStack(list.slice(i, i + 10).map((name) => ({ name, kind: 'user' as const })), 1 + (i % 7));
  }
  return builder.build({ source: 'synthetic', unit: 'samples' });
}

/**
 * Resolution time of `profile` through resolveProfile, what the extension calls: the first run in this
 * process (cold JIT, fresh resolver: what a user waits for once), then fresh resolvers again (warm JIT;
 * best and median of 5). Wall time and this process's CPU time (GC helper threads included) are both
 * given: the machine may be busy.
 */
function timeResolution(make: () => NameResolver, paths: PathMapper, profile: Profile): string {
  const run = (names: NameResolver, p: Profile = profile) => {
    const c0 = process.cpuUsage();
    const m0 = process.threadCpuUsage();
    const t0 = performance.now();
    const res = resolveProfile(p, { paths, names });
    const wall = performance.now() - t0;
    const m = process.threadCpuUsage(m0);
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000, thread: (m.user + m.system) / 1000, res };
  };
  const first = run(make());
  const warm: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < 5; i++) {
    const r = run(make());
    warm.push({ wall: r.wall, cpu: r.cpu });
  }
  // A later profile (a live refresh, a second recording) arrives with its own name strings: V8 hashes each
  // string on its first Map lookup and keeps the hash, so the warm runs above reuse hashes a new profile lacks.
  const fresh: number[] = [];
  for (let i = 0; i < 3; i++) fresh.push(run(make(), withFreshNames(profile)).wall);
  fresh.sort((a, b) => a - b);
  const wall = warm.map((w) => w.wall).sort((a, b) => a - b);
  const cpu = warm.map((w) => w.cpu).sort((a, b) => a - b);
  const res = first.res;
  const resolved = res.filter((r) => r.location && !r.reason).length;
  const ambiguous = res.filter((r) => r.reason === 'ambiguous').length;
  return (
    `first ${first.wall.toFixed(1)} ms wall (${first.cpu.toFixed(0)} ms CPU, ${first.thread.toFixed(0)} ms of it on the resolving thread); warm fresh resolver best ${wall[0].toFixed(1)} ms, median ${wall[2].toFixed(1)} ms wall (best ${cpu[0].toFixed(0)} ms CPU); ` +
    `warm JIT, a new profile's own name strings: best ${fresh[0].toFixed(1)} ms, median ${fresh[1].toFixed(1)} ms; ${resolved} resolved, ${ambiguous} ambiguous, ${res.length - resolved - ambiguous} without source`
  );
}

/** The Go fast path must answer exactly what scoring every frame the long way answers. */
function fastPathCheck(index: DefinitionIndex, profile: Profile): void {
  const t0 = performance.now();
  const slowResolver = createNameResolver(index, { noFastPath: true });
  const slow = profile.frames.map((f) => slowResolver.resolve(f));
  const slowMs = performance.now() - t0;
  const fastResolver = createNameResolver(index);
  const fast = profile.frames.map((f) => fastResolver.resolve(f));
  const differ = fast.filter((r, i) => JSON.stringify(r) !== JSON.stringify(slow[i])).length;
  console.log(`    fast path agrees with full scoring on ${fast.length - differ}/${fast.length} frames (full scoring of every frame: ${slowMs.toFixed(0)} ms)`);
  for (let i = 0, shown = 0; i < fast.length && shown < 5; i++) {
    if (JSON.stringify(fast[i]) === JSON.stringify(slow[i])) continue;
    console.log(`      ${profile.frames[i].name}: fast ${JSON.stringify(fast[i])} vs ${JSON.stringify(slow[i])}`);
    shown++;
  }
}

/**
 * A fixed, trivial workload (50,000 Map.set of a small result object, the resolver's minimum per-frame
 * work) timed in the same process: on an idle machine it takes a few ms; when it takes far more, the
 * machine is busy and every wall time above and below is inflated by about the same factor.
 */
function referenceLoop(): string {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const m = new Map<string, unknown>();
    for (let i = 0; i < 50_000; i++) m.set(`frame${i}.${round}`, { location: { path: 'p', line: i, functionLine: i }, via: `definition of f${i}` });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return `50,000 Map.set of a small object: best ${times[0].toFixed(1)} ms, median ${times[2].toFixed(1)} ms; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs`;
}

/** The recorded fixture profiles (every language) against the fixture sources' index. */
async function fixtureResolution(): Promise<void> {
  const root = repoRoot();
  const index = await DefinitionIndex.create({ roots: [join(root, 'test/fixtures/sources')] });
  await index.ensureBuilt();
  const dir = join(root, 'test/fixtures/profiles');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.folded')).sort()) {
    const profile = decodeFolded(readFileSync(join(dir, file), 'utf8'), { source: file });
    console.log(`  resolve ${file} (${profile.frames.length} frames): ${timeResolution(() => createNameResolver(index), new PathMapper(index.filePaths()), profile)}`);
  }
}

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/**
 * Wall time, CPU time (user + system) and peak RSS from /usr/bin/time when installed (else wall time only).
 * CPU time is given because other work on a shared machine inflates wall times unevenly between runs.
 */
function timed(cmd: string, args: string[]): { seconds: number; cpuSeconds?: number; maxRssMiB?: number; stdout: string } {
  if (!existsSync('/usr/bin/time')) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout };
  }
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const m = /__TIME__ ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (!m || r.status !== 0) throw new Error(`could not time ${cmd}: ${r.stderr}`);
  return { seconds: Number(m[1]), maxRssMiB: Number(m[2]) / 1024, cpuSeconds: Number(m[3]) + Number(m[4]), stdout: r.stdout };
}

/** Our index-only process and ctags on the same files, RUNS times each in turn: medians, run-by-run ratios. */
function compareWithCtags(src: string, what: string, ourArgs: string[], ctagsArgs: string[]): void {
  const oursRuns: Array<ReturnType<typeof timed>> = [];
  const ctagsRuns: Array<ReturnType<typeof ctags>> = [];
  for (let i = 0; i < RUNS; i++) {
    oursRuns.push(timed(process.execPath, [__filename, '--child', '--index-only', ...ourArgs, src]));
    ctagsRuns.push(ctags(src, ctagsArgs));
  }
  process.stdout.write(oursRuns[0].stdout);
  const ours = median(oursRuns);
  const theirs = median(ctagsRuns);
  const ratios = oursRuns.map((o, i) => o.seconds / ctagsRuns[i].seconds).sort((a, b) => a - b);
  console.log(`  pod-profiler, ${what}, index only (process incl. Node start), median of ${RUNS}: ${ours.seconds.toFixed(2)} s (runs ${secondsOf(oursRuns)}), ${rss(ours)}`);
  console.log(`  ctags -R ${ctagsArgs.join(' ')}, ${what}, median of ${RUNS}: ${theirs.seconds.toFixed(2)} s (runs ${secondsOf(ctagsRuns)}), ${rss(theirs)}, ${theirs.tags} tags`);
  console.log(`  ratio pod-profiler / ctags, ${what}, wall time: ${(ours.seconds / theirs.seconds).toFixed(2)}x of the medians; run by run ${ratios.map((r) => r.toFixed(2)).join(', ')}${cpuRatio(ours, theirs)}`);
}

/** Our index-only process alone, RUNS times: the median (for figures with no ctags counterpart). */
function timeOurs(src: string, what: string, ourArgs: string[]): void {
  const runs: Array<ReturnType<typeof timed>> = [];
  for (let i = 0; i < RUNS; i++) runs.push(timed(process.execPath, [__filename, '--child', '--index-only', ...ourArgs, src]));
  process.stdout.write(runs[0].stdout);
  const ours = median(runs);
  console.log(`  pod-profiler, ${what}, index only (process incl. Node start), median of ${RUNS}: ${ours.seconds.toFixed(2)} s (runs ${secondsOf(runs)}), ${rss(ours)}`);
}

/**
 * The first 50k-frame resolution after indexing the whole tree, in FIRST_RUNS fresh processes per frame
 * order: what a user waits for once per session is the figure that varies most (cold JIT, cold index
 * memory), so one run says little. Each process reads the profile, then builds the index, then resolves,
 * the extension's order.
 */
function firstResolutions(src: string): void {
  const file = join(tmpdir(), `pp-bench-names-${process.pid}.json`);
  try {
    timed(process.execPath, [__filename, '--child', '--write-names', file, src]);
    for (const [order, names] of [['index order', file], ['random order', `${file}.shuffled`]]) {
      const firsts: number[] = [];
      const threads: number[] = [];
      for (let i = 0; i < FIRST_RUNS; i++) {
        const out = timed(process.execPath, [__filename, '--child', '--resolve-only', '--names', names, src]).stdout;
        const m = /first ([\d.]+) ms wall \(\d+ ms CPU, (\d+) ms of it on the resolving thread/.exec(out);
        if (m) {
          firsts.push(Number(m[1]));
          threads.push(Number(m[2]));
        }
        if (i === 0) process.stdout.write(out.split('\n').filter((l) => /^\s+(resolve|first)/.test(l)).map((l) => `  [${order}] ${l.trim()}\n`).join(''));
      }
      firsts.sort((a, b) => a - b);
      threads.sort((a, b) => a - b);
      // The resolving thread's CPU time leaves out the time other threads (the compiler's, the collector's,
      // other processes') took its core: on a busy 2-CPU machine that is much of the spread.
      console.log(
        `  first 50k-frame resolution after indexing the whole tree, ${order}, ${firsts.length} fresh processes: ${firsts.map((f) => f.toFixed(0)).join(', ')} ms (median ${firsts[firsts.length >> 1]?.toFixed(0)} ms); ` +
          `CPU time of the resolving thread ${threads.join(', ')} ms (median ${threads[threads.length >> 1]} ms)`,
      );
    }
  } finally {
    rmSync(file, { force: true });
    rmSync(`${file}.shuffled`, { force: true });
  }
}

/** The command-line argument after `flag`, if any. */
function argAfter(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const FIRST_RUNS = 9;

/** Index/ctags runs each, taken in turn (see compareWithCtags). */
const RUNS = 3;

/** The run with the median wall time. */
function median<T extends { seconds: number }>(runs: readonly T[]): T {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[runs.length >> 1];
}

const secondsOf = (runs: ReadonlyArray<{ seconds: number }>) => runs.map((r) => r.seconds.toFixed(2)).join(', ');

const rss = (t: { maxRssMiB?: number; cpuSeconds?: number }) =>
  (t.cpuSeconds === undefined ? '' : `${t.cpuSeconds.toFixed(2)} s CPU, `) + (t.maxRssMiB === undefined ? 'peak RSS not measured (/usr/bin/time missing)' : `peak RSS ${t.maxRssMiB.toFixed(0)} MiB`);
const cpuRatio = (a: { cpuSeconds?: number }, b: { cpuSeconds?: number }) => (a.cpuSeconds === undefined || !b.cpuSeconds ? '' : ` (CPU time ${(a.cpuSeconds / b.cpuSeconds).toFixed(2)}x)`);

/** Runs ctags -R with `extra` options; its time, RSS and how many tags it wrote. */
function ctags(src: string, extra: string[]): { seconds: number; cpuSeconds?: number; maxRssMiB?: number; tags: number } {
  const file = join(tmpdir(), `pp-bench-tags-${process.pid}`);
  try {
    const t = timed('ctags', ['-R', ...extra, '-f', file, src]);
    const tags = readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('!')).length;
    return { ...t, tags };
  } finally {
    rmSync(file, { force: true });
  }
}

async function main(): Promise<void> {
  const src = goSrc();
  // --resolve-only: index and time the 50k-frame resolution in this process only (for --cpu-prof).
  if (process.argv.includes('--child') || process.argv.includes('--resolve-only')) return child(src);
  if (!existsSync(src)) {
    console.log(`index speed: Go standard library source not found at ${src} (install golang-go or pass GOROOT/src): stdlib index, ctags comparison and the 50k-frame resolution skipped`);
    await fixtureResolution();
    return;
  }
  console.log(`index speed on ${src} (wall time, CPU time and peak RSS of whole processes, same run)`);
  const ours = timed(process.execPath, [__filename, '--child', src]);
  process.stdout.write(ours.stdout);
  console.log(`  pod-profiler, whole tree (process incl. Node start, resolution and checks above): ${ours.seconds.toFixed(2)} s, ${rss(ours)}`);
  if (!hasCommand('ctags')) {
    console.log('  ctags: not installed (Debian universal-ctags): comparison skipped');
    return;
  }
  // The goal's comparison, index only against ctags -R on the same files, RUNS times in turn (so that a burst of
  // other work on this shared machine inflates one run of one side, not the figure):
  // - the Go files against ctags --languages=Go: the whole tree (test files included, as in an open Go
  //   checkout) and just what goes into binaries;
  // - every file each tool reads (ours: Go and the tree's C, Python and JavaScript; ctags -R: every language
  //   it knows, assembly and makefiles included).
  compareWithCtags(src, 'Go files, whole tree', ['--go-only'], ['--languages=Go']);
  compareWithCtags(src, 'Go files, no tests/testdata', ['--go-only', '--skip-tests'], ['--languages=Go', '--exclude=testdata', '--exclude=*_test.go']);
  compareWithCtags(src, 'every language, whole tree', [], []);
  // What the parse workers bring: the same Go files parsed on the calling thread alone.
  timeOurs(src, 'Go files, whole tree, calling thread only', ['--go-only', '--no-workers']);
  firstResolutions(src);
  console.log(`  machine load at the end: load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs (wall times inflate when it exceeds the CPU count)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/** The same frames with newly made name strings (as a second decode of the same profile would give). */
function withFreshNames(profile: Profile): Profile {
  const frames = profile.frames.map((f) => ({ ...f, name: Buffer.from(f.name, 'utf8').toString('utf8') }));
  return new Profile(frames, profile.root, profile.meta);
}
