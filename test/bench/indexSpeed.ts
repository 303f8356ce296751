// Speed of the definition index on the Go standard library source tree, next to universal-ctags on the same
// tree in the same run (both timed the same way: wall time and peak RSS from /usr/bin/time), then the time to
// resolve a 50,000-frame name-only profile against that index. Also checks on a sample of files that the
// Go body elision finds exactly the definitions a full parse finds.
// Run: node scripts/build.mjs --tests && node out/test/bench/indexSpeed.js [GOROOT/src]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileBuilder } from '../../src/model/profile';
import { DefinitionIndex } from '../../src/resolve/definitionIndex';
import { extractGo } from '../../src/resolve/definitions/goDefinitions';
import { elideGoBodies } from '../../src/resolve/definitions/goBodyElision';
import { TreeSitterHost } from '../../src/resolve/definitions/treeSitter';
import { createNameResolver } from '../../src/resolve/nameResolver';

function goSrc(): string {
  const arg = process.argv.find((a, i) => i >= 2 && !a.startsWith('--'));
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
async function child(src: string): Promise<void> {
  const t0 = performance.now();
  const index = await DefinitionIndex.create({ roots: [src], exclude: [] , useGitignore: false});
  const stats = await index.ensureBuilt();
  const indexMs = performance.now() - t0;
  console.log(`  pod-profiler index: ${stats.files} files, ${stats.definitions} definitions in ${indexMs.toFixed(0)} ms (in-process), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);

  // 50k distinct frames: Go symbols of indexed functions, as the runtime prints them, plus names not in the tree.
  const builder = new ProfileBuilder();
  let n = 0;
  const names = new Set<string>();
  const json = index.toJSON();
  outer: for (const f of json.files) {
    for (const d of f.defs) {
      if (d.language !== 'go') continue;
      const pkg = d.parts[0];
      names.add(d.container ? `${pkg}.(*${d.container}).${d.name}` : `${pkg}.${d.name}`);
      if (names.size >= 45_000) break outer;
    }
  }
  for (let i = 0; names.size < 50_000; i++) names.add(`example.com/missing/pkg${i % 97}.Func${i}`);
  const list = [...names];
  for (let i = 0; i < list.length; i += 10) {
    builder.addStack(list.slice(i, i + 10).map((name) => ({ name, kind: 'user' as const })), 1 + (i % 7));
    n++;
  }
  const profile = builder.build({ source: 'synthetic', unit: 'samples' });
  const resolver = createNameResolver(index);
  const r0 = performance.now();
  const res = resolver.resolveProfile(profile);
  const resolveMs = performance.now() - r0;
  const resolved = res.filter((r) => r.location && !r.reason).length;
  const ambiguous = res.filter((r) => r.reason === 'ambiguous').length;
  console.log(`  resolve ${profile.frames.length} frames (${n} stacks), first time: ${resolveMs.toFixed(1)} ms (${resolved} resolved, ${ambiguous} ambiguous, ${res.length - resolved - ambiguous} without source)`);

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
}

function timed(cmd: string, args: string[]): { seconds: number; maxRssMiB: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`could not time ${cmd}: ${r.stderr}`);
  return { seconds: Number(m[1]), maxRssMiB: Number(m[2]) / 1024, stdout: r.stdout };
}

async function main(): Promise<void> {
  const src = goSrc();
  if (process.argv.includes('--child')) return child(src);
  console.log(`index speed on ${src}`);
  const tags = join(tmpdir(), `pp-bench-tags-${process.pid}`);
  const ctagsAll = timed('ctags', ['-R', '-f', tags, src]);
  const ctagsGo = timed('ctags', ['-R', '--languages=Go', '-f', tags, src]);
  const tagCount = readFileSync(tags, 'utf8').split('\n').filter((l) => l && !l.startsWith('!')).length;
  rmSync(tags, { force: true });
  const ours = timed(process.execPath, [__filename, '--child', src]);
  process.stdout.write(ours.stdout);
  console.log(`  ctags -R (all languages):  ${ctagsAll.seconds.toFixed(2)} s, peak RSS ${ctagsAll.maxRssMiB.toFixed(0)} MiB`);
  console.log(`  ctags -R --languages=Go:   ${ctagsGo.seconds.toFixed(2)} s, peak RSS ${ctagsGo.maxRssMiB.toFixed(0)} MiB, ${tagCount} tags`);
  console.log(`  pod-profiler (whole process incl. Node start and the checks above): ${ours.seconds.toFixed(2)} s, peak RSS ${ours.maxRssMiB.toFixed(0)} MiB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
