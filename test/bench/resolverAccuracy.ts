// Accuracy of name-only resolution on real profiles: share of samples (weighted) whose user frames all land
// on the right definition. Ground truth is the DWARF/pprof line data of the same program: a resolved
// definition is right when it is in the recorded file and every line the profiler recorded for that function
// lies within the definition's [startLine, endLine]. Each profile is resolved from names only (file and
// line stripped), so the pprof itself is also a test: the name-only result must agree with its own lines.
// Run: node scripts/build.mjs --tests && node out/test/bench/resolverAccuracy.js
import { readFileSync } from 'node:fs';
import type { ParsedSymbol } from '../../src/resolve/symbols/parseSymbol';
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
        // A closure lands on its own line inside the function; the function is what the truth names.
        const def = index.definitionsIn(loc.path).find((d) => d.line === (loc.functionLine ?? loc.line));
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
  await recordedInterpreted();
}

interface Range {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Java, Node and Python: profiles recorded from test/fixtures/sources/{java,node,python} (recipes in
 * test/fixtures/profiles/RECIPES.md). Ground truth is each function's line range read off the program
 * source by the small scanners below (declaration regex + brace or indentation matching), not by the
 * index; the runtimes' own answers (Python co_firstlineno, Node .cpuprofile lineNumber) cross-check it.
 */
async function recordedInterpreted(): Promise<void> {
  const javaFile = join(sources, 'java/src/com/example/orders/OrderProcessor.java');
  const nodeFile = join(sources, 'node/report.js');
  const pyFile = join(sources, 'python/scorer.py');
  const cases = [
    { lang: 'java', root: 'java', file: javaFile, truth: braceRanges(javaFile, /^\s*(?:(?:public|private|protected|static|final|synchronized)\s+)*(?:[\w.<>\[\], ]+\s+)?(\w+)\s*\([^;]*$/), profile: 'java-perf.folded', isUser: (s: ParsedSymbol) => s.qualifiedParts.includes('orders') },
    { lang: 'node', root: 'node', file: nodeFile, truth: braceRanges(nodeFile, /^\s*(?:function\s+(\w+)|(?!if\b|for\b|while\b|switch\b)(\w+))\s*\([^)]*\)\s*\{/), profile: 'node-perf.folded', isUser: (s: ParsedSymbol) => !!s.pathHint?.endsWith('report.js') && s.name !== '' },
    { lang: 'python', root: 'python', file: pyFile, truth: indentRanges(pyFile), profile: 'python-sampled.folded', isUser: (s: ParsedSymbol) => !!s.pathHint?.endsWith('scorer.py') && s.name !== '<module>' },
  ];
  crossCheckTruth(cases[1].truth, cases[2].truth);
  for (const c of cases) {
    const index = await DefinitionIndex.create({ roots: [join(sources, c.root)] });
    await index.ensureBuilt();
    const resolver = createNameResolver(index);
    const profile = load(c.profile);
    const ok = profile.frames.map((f) => {
      const symbol = parseSymbol(f.name)[0];
      if (!symbol || symbol.language !== c.lang || !c.isUser(symbol)) return undefined;
      const t = c.truth.get(symbol.name);
      if (!t) return false;
      const r = resolver.resolve({ name: f.name, kind: f.kind === 'runtime' ? 'user' : f.kind });
      return !r.reason && !!r.location && r.location.path === t.file && r.location.line >= t.start && r.location.line <= t.end;
    });
    let withUser = 0;
    let right = 0;
    let total = 0;
    const wrong = new Set<string>();
    profile.walk((node, stack) => {
      if (node.self <= 0) return;
      total += node.self;
      const verdicts = stack.map((n) => ({ v: ok[n.frameId], name: profile.frames[n.frameId].name })).filter((x) => x.v !== undefined);
      if (verdicts.length === 0) return;
      withUser += node.self;
      if (verdicts.every((x) => x.v)) right += node.self;
      else for (const x of verdicts) if (!x.v) wrong.add(x.name);
    });
    const pct = withUser > 0 ? ((100 * right) / withUser).toFixed(2) : 'n/a';
    const userFrames = ok.filter((v) => v !== undefined).length;
    console.log(`  ${c.lang.padEnd(6)} ${c.profile.padEnd(22)} ${pct}% of ${withUser} samples with user frames correct (of ${total} total; ${userFrames} distinct user frames)${wrong.size ? `; wrong: ${[...wrong].join(' | ')}` : ''}`);
  }
}

/** Function name -> [declaration line, line of its closing brace], for brace languages. */
function braceRanges(file: string, declaration: RegExp): Map<string, Range> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = new Map<string, Range>();
  lines.forEach((line, i) => {
    const m = declaration.exec(line);
    const name = m && (m[1] ?? m[2]);
    if (!name || /^(if|for|while|switch|catch|return|new)$/.test(name)) return;
    let depth = 0;
    let opened = false;
    for (let j = i; j < lines.length; j++) {
      for (const ch of lines[j]) {
        if (ch === '{') {
          depth++;
          opened = true;
        } else if (ch === '}') depth--;
      }
      if (opened && depth <= 0) {
        if (!out.has(name)) out.set(name, { file, start: i + 1, end: j + 1 });
        return;
      }
    }
  });
  return out;
}

/** Python: `def name` -> [def line, last line indented deeper than it]. */
function indentRanges(file: string): Map<string, Range> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = new Map<string, Range>();
  const indentOf = (l: string) => l.length - l.trimStart().length;
  lines.forEach((line, i) => {
    const m = /^(\s*)def\s+(\w+)/.exec(line);
    if (!m) return;
    let end = i;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].trim() === '') continue;
      if (indentOf(lines[j]) <= m[1].length) break;
      end = j;
    }
    out.set(m[2], { file, start: i + 1, end: end + 1 });
  });
  return out;
}

/** The scanners' start lines against what the runtimes themselves recorded. */
function crossCheckTruth(node: Map<string, Range>, python: Map<string, Range>): void {
  const problems: string[] = [];
  const cpu = JSON.parse(readFileSync(join(profiles, 'node-cpu.cpuprofile'), 'utf8')) as { nodes: Array<{ callFrame: { functionName: string; url: string; lineNumber: number } }> };
  let nodeChecked = 0;
  for (const n of cpu.nodes) {
    const f = n.callFrame;
    if (!f.url.endsWith('report.js') || !f.functionName) continue;
    // V8 names a class constructor after its class.
    const t = node.get(f.functionName.split('.').pop()!) ?? (/^[A-Z]/.test(f.functionName) ? node.get('constructor') : undefined);
    nodeChecked++;
    if (!t || t.start !== f.lineNumber + 1) problems.push(`node ${f.functionName}: scanner ${t?.start} vs V8 ${f.lineNumber + 1}`);
  }
  let pyChecked = 0;
  for (const line of readFileSync(join(profiles, 'python-sampled-truth.tsv'), 'utf8').split('\n')) {
    const [qual, , first] = line.split('\t');
    if (!qual || qual.includes('<')) continue;
    const t = python.get(qual.split('.').pop()!);
    pyChecked++;
    if (!t || t.start !== Number(first)) problems.push(`python ${qual}: scanner ${t?.start} vs co_firstlineno ${first}`);
  }
  console.log(`  ground truth cross-check: ${nodeChecked} V8 .cpuprofile functions, ${pyChecked} Python co_firstlineno: ${problems.length === 0 ? 'all agree with the source scanners' : problems.join('; ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
