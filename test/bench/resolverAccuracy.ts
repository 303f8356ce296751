// Accuracy of name-only resolution on real profiles: share of samples (weighted) whose user frames all land
// on the right definition. Ground truth is the DWARF/pprof line data of the same program: a resolved
// definition is right when it is in the recorded file and every line the profiler recorded for that function
// lies within the definition's [startLine, endLine]. Each profile is resolved from names only (file and
// line stripped), so the pprof itself is also a test: the name-only result must agree with its own lines.
// Run: node scripts/build.mjs --tests && node out/test/bench/resolverAccuracy.js
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeFolded } from '../../src/formats/folded';
import { decodePprof } from '../../src/formats/pprof';
import type { CallNode, Profile } from '../../src/model/profile';
import { DefinitionIndex } from '../../src/resolve/definitionIndex';
import { createNameResolver } from '../../src/resolve/nameResolver';
import { parseSymbol } from '../../src/resolve/symbols/parseSymbol';
import { repoRoot } from '../support/repoRoot';

interface Truth {
  file: string;
  lines: Set<number>;
}

const root = repoRoot();
const profiles = join(root, 'test/fixtures/profiles');
const sources = join(root, 'test/fixtures/sources');

const CASES = [
  { lang: 'go', truth: 'go-cpu.pb.gz', userFile: 'main.go', eval: ['go-cpu.pb.gz', 'go.folded', 'go-perf.folded'] },
  { lang: 'cpp', truth: 'cpp-perf.pb.gz', userFile: 'inventory.cpp', eval: ['cpp-perf.pb.gz', 'cpp.folded', 'cpp-perf.folded'] },
  { lang: 'rust', truth: 'rust-perf.pb.gz', userFile: 'main.rs', eval: ['rust-perf.pb.gz', 'rust.folded', 'rust-perf.folded'] },
];

/** The same function spelled by pprof, BCC and perf reduces to one key (hashes, clones, arguments dropped). */
function key(name: string): string {
  const s = parseSymbol(name)[0];
  return s ? `${s.language}:${s.qualifiedParts.join('::')}` : name;
}

function load(file: string): Profile {
  const bytes = readFileSync(join(profiles, file));
  return file.endsWith('.pb.gz') ? decodePprof(bytes, { source: file }) : decodeFolded(bytes.toString('utf8'), { source: file });
}

async function main(): Promise<void> {
  console.log('resolver accuracy (name-only frames, weighted by samples; user code = functions with DWARF lines in the program source)');
  for (const c of CASES) {
    const truth = new Map<string, Truth>();
    const truthProfile = load(c.truth);
    for (const f of truthProfile.frames) {
      if (!f.file || basename(f.file) !== c.userFile || f.line === undefined) continue;
      const k = key(f.name);
      const t = truth.get(k) ?? { file: c.userFile, lines: new Set<number>() };
      t.lines.add(f.line);
      truth.set(k, t);
    }
    const index = await DefinitionIndex.create({ roots: [join(sources, c.lang)] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    for (const file of c.eval) {
      const profile = load(file);
      // Name only: what an eBPF agent gives.
      const ok = profile.frames.map((f) => {
        const t = truth.get(key(f.name));
        if (!t) return undefined;
        const r = resolver.resolve({ name: f.name, kind: f.kind === 'runtime' ? 'user' : f.kind });
        const loc = r.location;
        if (r.reason || !loc || basename(loc.path) !== t.file) return false;
        const def = index.definitionsIn(loc.path).find((d) => d.line === loc.line);
        return !!def && [...t.lines].every((l) => l >= def.startLine && l <= def.endLine);
      });
      let withUser = 0;
      let right = 0;
      let total = 0;
      let wrongFrames = new Set<string>();
      const visit = (node: CallNode, stack: readonly CallNode[]) => {
        if (node.self <= 0) return;
        total += node.self;
        const verdicts = stack.map((n) => ({ v: ok[n.frameId], name: profile.frames[n.frameId].name })).filter((x) => x.v !== undefined);
        if (verdicts.length === 0) return;
        withUser += node.self;
        if (verdicts.every((x) => x.v)) right += node.self;
        else for (const x of verdicts) if (!x.v) wrongFrames.add(x.name);
      };
      profile.walk(visit);
      const pct = withUser > 0 ? ((100 * right) / withUser).toFixed(2) : 'n/a';
      const unit = profile.meta.unit === 'nanoseconds' ? 'ns' : 'samples';
      console.log(`  ${c.lang.padEnd(5)} ${file.padEnd(17)} ${pct}% of ${withUser} ${unit} with user frames correct (of ${total} total)${wrongFrames.size ? `; wrong: ${[...wrongFrames].join(' | ')}` : ''}`);
      wrongFrames = new Set();
    }
  }
  console.log('  java/node/python: no recorded profiles yet (see report): not measured');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
