// Decode speed of every profile format on the real fixtures and on a large synthetic folded file.
// Run: node scripts/build.mjs --tests && node out/test/bench/formatsBench.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProfile } from '../../src/formats/detectFormat';
import { encodePprof } from '../../src/formats/pprof';
import { encodeFolded } from '../../src/formats/folded';
import { repoRoot } from '../support/repoRoot';

const dir = join(repoRoot(), 'test/fixtures/profiles');
const FIXTURES = ['go-cpu.pb.gz', 'cpp-perf.pb.gz', 'rust-perf.pb.gz', 'go.folded', 'cpp.folded', 'rust.folded', 'go-perf.folded', 'cpp-perf.folded', 'rust-perf.folded', 'go-bpftrace.txt'];

function time(fn: () => unknown, runs: number): { first: number; median: number } {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    all.push(performance.now() - t);
  }
  all.sort((a, b) => a - b);
  return { first, median: all[Math.floor(all.length / 2)] };
}

const ms = (n: number) => `${n.toFixed(2).padStart(8)} ms`;
console.log(`${'input'.padEnd(28)} ${'bytes'.padStart(10)} ${'frames'.padStart(7)} ${'first'.padStart(11)} ${'median'.padStart(11)}`);
for (const name of FIXTURES) {
  const bytes = readFileSync(join(dir, name));
  const p = decodeProfile(bytes, name);
  const t = time(() => decodeProfile(bytes, name), 20);
  console.log(`${name.padEnd(28)} ${String(bytes.length).padStart(10)} ${String(p.frames.length).padStart(7)} ${ms(t.first)} ${ms(t.median)}`);
}

// 200k lines: real stacks from every folded fixture, with counts varied so lines are not all identical
// and some stacks get a distinct extra leaf (more distinct stacks than the fixtures alone have).
const realLines = ['go.folded', 'cpp.folded', 'rust.folded', 'go-perf.folded']
  .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
  .filter((l) => l.trim())
  .map((l) => l.slice(0, l.lastIndexOf(' ')));
const lines: string[] = [];
for (let i = 0; i < 200_000; i++) {
  const stack = realLines[i % realLines.length];
  lines.push(`${stack}${i % 7 === 0 ? `;leaf_${i % 5000}` : ''} ${1 + ((i * 7919) % 97)}`);
}
const big = Buffer.from(lines.join('\n'));
const bigProfile = decodeProfile(big, 'synthetic.folded');
const t = time(() => decodeProfile(big, 'synthetic.folded'), 5);
console.log(`${'synthetic 200k-line folded'.padEnd(28)} ${String(big.length).padStart(10)} ${String(bigProfile.frames.length).padStart(7)} ${ms(t.first)} ${ms(t.median)}`);

const go = decodeProfile(readFileSync(join(dir, 'go-cpu.pb.gz')), 'go-cpu.pb.gz');
console.log(`encodePprof(go-cpu)        median ${ms(time(() => encodePprof(go), 20).median)}`);
console.log(`encodeFolded(synthetic)    median ${ms(time(() => encodeFolded(bigProfile), 5).median)}`);
console.log(`encodePprof(synthetic)     median ${ms(time(() => encodePprof(bigProfile), 5).median)}`);
