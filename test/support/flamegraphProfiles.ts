// Profiles for the flamegraph tests and benchmark, built from the real fixtures.
// pprof is read with the tests' own hand-rolled wire reader (pprofWire.ts), not src/formats/: the flamegraph
// tests then double as an independent reading of the same bytes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileBuilder, type FrameInput, type FrameKind, type Profile } from '../../src/model/profile';
import { readPprofWire } from './pprofWire';

/** Tests run from the repository root (npm scripts); bundles in out/ have no stable __dirname. */
export const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'profiles');

export function fixturePath(name: string): string {
  const p = join(FIXTURES, name);
  if (!existsSync(p)) throw new Error(`fixture ${p} not found: run from the repository root`);
  return p;
}

export function classifyGo(frame: FrameInput): FrameKind {
  return frame.name.startsWith('main.') ? 'user' : 'runtime';
}

/** Root-first frame lists and sample counts (value index 0) of a pprof file. */
export function pprofStacks(file: string): Array<{ stack: FrameInput[]; value: number }> {
  const raw = readPprofWire(readFileSync(file));
  return raw.samples.map((s) => {
    const stack: FrameInput[] = [];
    for (let i = s.locationIds.length - 1; i >= 0; i--) {
      const lines = raw.locations.get(s.locationIds[i]) ?? [];
      // Inlined calls: several lines on one location, the last is the outermost.
      for (let j = lines.length - 1; j >= 0; j--) {
        const fn = raw.functions.get(lines[j].functionId)!;
        stack.push({ name: fn.name, file: fn.file, line: lines[j].line });
      }
    }
    return { stack, value: s.values[0] };
  });
}

export function loadGoCpuProfile(): Profile {
  const b = new ProfileBuilder(classifyGo);
  for (const { stack, value } of pprofStacks(fixturePath('go-cpu.pb.gz'))) b.addStack(stack, value);
  return b.build({ source: 'go-cpu.pb.gz', unit: 'samples' });
}

/** Folded lines ("a;b;c 12"), split on the last space; raw eBPF output repeats lines, so they add up. */
export function foldedStacks(text: string): Array<{ stack: FrameInput[]; value: number }> {
  const out: Array<{ stack: FrameInput[]; value: number }> = [];
  for (const line of text.split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const value = Number(line.slice(sp + 1));
    if (!(value > 0)) continue;
    const stack = line
      .slice(0, sp)
      .split(';')
      .map((name): FrameInput => {
        if (name.endsWith('_[k]')) return { name: name.slice(0, -4), kind: 'kernel' };
        if (name.endsWith('_[j]')) return { name: name.slice(0, -4), kind: 'java' };
        if (/^(0x)?[0-9a-f]+$/.test(name) || name.startsWith('[unknown]')) return { name, kind: 'unknown' };
        return { name };
      });
    out.push({ stack, value });
  }
  return out;
}

/**
 * A large profile for the benchmark: the real fixtures (Go pprof, Go/C++/Rust folded) under k8s context
 * frames of many synthetic pods, each stack pushed down by synthetic recursion so it has depth and breadth.
 * Grows until it has at least `targetNodes` call-tree nodes.
 */
export function buildLargeProfile(targetNodes: number, countNodes: (p: Profile) => number = walkCount): Profile {
  const b = new ProfileBuilder((f) => (f.name.startsWith('main.') || f.name.includes('::') ? 'user' : 'runtime'));
  const sources: Array<{ stack: FrameInput[]; value: number }> = [
    ...pprofStacks(fixturePath('go-cpu.pb.gz')),
    ...['go.folded', 'cpp.folded', 'rust.folded', 'go-perf.folded', 'cpp-perf.folded', 'rust-perf.folded'].flatMap((n) => {
      try {
        return foldedStacks(readFileSync(fixturePath(n), 'utf8'));
      } catch {
        return [];
      }
    }),
  ];
  let nodes = 0;
  for (let pod = 0; ; pod++) {
    const ctx: FrameInput[] = [
      { name: `node:worker-${pod % 7}`, kind: 'k8s' },
      { name: `namespace:ns-${pod % 13}`, kind: 'k8s' },
      { name: `pod:svc-${pod}`, kind: 'k8s' },
    ];
    sources.forEach(({ stack, value }, i) => {
      const synthetic: FrameInput[] = [];
      // Synthetic depth: a recursion chain whose length and names vary per pod and per stack.
      const extra = (i * 7 + pod * 3) % 24;
      for (let d = 0; d < extra; d++) synthetic.push({ name: `synthetic.layer${d % 5}.step${(d * 31 + pod) % 11}`, kind: 'user' });
      b.addStack([...ctx, ...synthetic, ...stack], value);
    });
    if (pod % 4 === 3) {
      const p = b.build({ source: 'synthetic', unit: 'samples' });
      nodes = countNodes(p);
      if (nodes >= targetNodes) return p;
    }
  }
}

function walkCount(p: Profile): number {
  let n = 0;
  p.walk(() => n++);
  return n;
}

/** Collapsed-stack text (root first, leaf count) of a profile: what speedscope imports in the benchmark. */
export function toFolded(p: Profile): string {
  const lines: string[] = [];
  p.walk((node, stack) => {
    if (node.self > 0) lines.push(`${stack.map((n) => p.frames[n.frameId].name.replace(/;/g, ':')).join(';')} ${node.self}`);
  });
  return lines.join('\n') + '\n';
}
