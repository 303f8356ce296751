// Resolves NAME-ONLY frames (eBPF agents such as Pixie give function names, no file:line) to workspace
// definitions: every reading of the name (src/resolve/symbols) is matched against the definition index by
// the longest run of equal qualified-name parts from the end, plus path/line hints and C++ argument types.
// Equal best matches are reported as 'ambiguous' with all candidates: we never guess silently.
// Frames that are not user code keep the reason their Frame.kind gives (kernel, runtime, unsymbolized, k8s).
import type { Frame, Profile } from '../model/profile';
import type { FrameResolution, SourceLocation, UnresolvedReason } from './frameResolution';
import type { Definition, DefinitionIndex, DefinitionLanguage } from './definitionIndex';
import { normaliseCppParam } from './symbols/cppSymbol';
import { ParsedSymbol, SymbolLanguage, guessLanguages, parseSymbol } from './symbols/parseSymbol';

export interface NameResolver {
  resolve(frame: Frame): FrameResolution;
  /** Resolutions for every frame of `profile`, indexed by frame id. */
  resolveProfile(profile: Profile): FrameResolution[];
  /** Name line of the innermost indexed definition of `path` whose range holds `line`. */
  enclosingFunctionLine(path: string, line: number): number | undefined;
}

const DEF_LANGUAGES: Record<SymbolLanguage, readonly DefinitionLanguage[]> = {
  go: ['go'],
  cpp: ['cpp'],
  rust: ['rust'],
  java: ['java'],
  node: ['javascript', 'typescript'],
  python: ['python'],
};

/** Names that are placeholders for "no symbol", whatever kind the classifier gave them. */
const UNSYMBOLIZED = /^(\[unknown\]|\[Missed (User|Kernel) Stack\]|<stack trace lost>|\[m\] .*|(0x)?[0-9a-f]{6,16}|\[[^\]]+\] \+ 0x[0-9a-f]+)$/i;

// Go files built only for other systems are unlikely to be what ran in a Linux pod; tests never run in one.
const FOREIGN_GO_FILE = /_(windows|darwin|freebsd|netbsd|openbsd|plan9|solaris|aix|illumos|dragonfly|ios|android|js|wasip1|wasm|386|arm|arm64|mips\w*|ppc64\w*|riscv64|s390x|loong64)(_\w+)?\.go$|_test\.go$/;

interface Scored {
  readonly def: Definition;
  readonly score: number;
  readonly symbol: ParsedSymbol;
}

export function createNameResolver(index: DefinitionIndex): NameResolver {
  // Name-only frames are cached by kind then name (the profile's own string: no key is built per call).
  const byName = new Map<string, Map<string, FrameResolution>>();
  const byLocation = new Map<string, FrameResolution>();
  let generation = index.generation;
  let languages = index.languages();

  function resolve(frame: Frame): FrameResolution {
    if (index.generation !== generation) {
      byName.clear();
      byLocation.clear();
      generation = index.generation;
      languages = index.languages();
    }
    if (frame.file === undefined && frame.line === undefined) {
      let cache = byName.get(frame.kind);
      if (!cache) byName.set(frame.kind, (cache = new Map()));
      let r = cache.get(frame.name);
      if (!r) cache.set(frame.name, (r = resolveUncached(frame)));
      return r;
    }
    const key = `${frame.kind}\u0000${frame.name}\u0000${frame.file ?? ''}\u0000${frame.line ?? ''}`;
    let r = byLocation.get(key);
    if (!r) byLocation.set(key, (r = resolveUncached(frame)));
    return r;
  }

  function resolveUncached(frame: Frame): FrameResolution {
    const name = frame.name.trim();
    switch (frame.kind) {
      case 'k8s':
        return { reason: 'k8s' };
      case 'kernel':
        return { reason: 'kernel' };
      case 'unknown':
        return { reason: 'unsymbolized' };
      case 'runtime':
        return { reason: 'runtime' };
      default:
        break;
    }
    if (name === '' || UNSYMBOLIZED.test(name)) return { reason: 'unsymbolized' };
    // Only readings in languages the workspace has: a Go-only workspace never pays for Java parsing.
    const readings = parseSymbol(name, guessLanguages(name).filter((l) => DEF_LANGUAGES[l].some((d) => languages.has(d))));
    let best: Scored[] = [];
    for (const symbol of readings) {
      const found = rank(symbol, frame);
      if (found.length === 0) continue;
      if (best.length === 0 || found[0].score > best[0].score) best = found;
      else if (found[0].score === best[0].score) best = best.concat(found);
    }
    if (best.length === 0) return { reason: 'no-source' };
    const locations = best.length === 1 ? [locationOf(best[0].def)] : dedupe(best.map((s) => locationOf(s.def)));
    const symbol = best[0].symbol;
    const what = symbol.isClosure ? `closure in ${best[0].def.name}` : best[0].def.name;
    if (locations.length > 1) {
      return { reason: 'ambiguous', location: locations[0], candidates: locations, via: `${locations.length} definitions of ${what}` };
    }
    return { location: locations[0], via: `definition of ${what}` };
  }

  /** Definitions matching `symbol`, all with the best score (empty if none is compatible). */
  function rank(symbol: ParsedSymbol, frame: Frame): Scored[] {
    const langs = DEF_LANGUAGES[symbol.language];
    let best: Scored[] = [];
    for (const def of index.lookup(symbol.name)) {
      if (!langs.includes(def.language)) continue;
      const score = scoreOf(symbol, def, frame);
      if (score === undefined) continue;
      if (best.length === 0 || score > best[0].score) best = [{ def, score, symbol }];
      else if (score === best[0].score) best.push({ def, score, symbol });
    }
    return best;
  }

  return {
    resolve,
    resolveProfile(profile: Profile): FrameResolution[] {
      return profile.frames.map((f) => resolve(f));
    },
    enclosingFunctionLine(path: string, line: number): number | undefined {
      let best: Definition | undefined;
      for (const d of index.definitionsIn(path)) {
        if (line < d.startLine || line > d.endLine) continue;
        if (!best || d.endLine - d.startLine < best.endLine - best.startLine) best = d;
      }
      return best?.line;
    },
  };
}

/** Higher is better; undefined when a qualifier contradicts the definition's. */
function scoreOf(symbol: ParsedSymbol, def: Definition, frame: Frame): number | undefined {
  const sp = symbol.qualifiedParts;
  const dp = def.parts;
  let i = sp.length - 2;
  let j = dp.length - 2;
  let matched = 1;
  for (; i >= 0 && j >= 0; i--, j--) {
    const equal = symbol.language === 'go' && i === 0 && j === 0 ? goPackageMatches(sp[0], def) : sp[i] === dp[j];
    if (!equal) return undefined;
    matched++;
  }
  // A Go method and a function of the same name are different things even if the package matches.
  if (symbol.language === 'go' && (symbol.container === undefined) !== (def.container === undefined)) return undefined;
  let score = matched * 10 + (i < 0 ? 5 : 0);
  const path = symbol.pathHint ?? frame.file;
  if (path) {
    const common = commonPathSuffix(path, def.file);
    score += Math.min(common, 5) * 3;
    const line = symbol.lineHint ?? frame.line;
    if (common > 0 && line !== undefined && line >= def.startLine && line <= def.endLine) score += 100;
  }
  if (symbol.params && def.params) {
    const want = symbol.params.map(normaliseCppParam);
    if (want.length === def.params.length) score += want.every((p, k) => p === def.params![k]) ? 4 : 2;
  }
  if (def.language === 'go' && FOREIGN_GO_FILE.test(def.file)) score -= 3;
  // Without a go.mod the import path is unknown: prefer the directory that spells more of it.
  if (symbol.language === 'go' && symbol.goPackagePath && symbol.goPackagePath !== 'main' && symbol.goPackagePath !== def.parts[0]) {
    score += Math.min(commonPathSuffix(symbol.goPackagePath + '/x', def.file.replace(/[^/\\]+$/, 'x')) - 1, 5) * 3;
  }
  return score;
}

/** 'main' matches package main; import paths match by path suffix when the module path is unknown. */
function goPackageMatches(symbolPkg: string, def: Definition): boolean {
  const defPkg = def.parts[0];
  if (symbolPkg === defPkg) return true;
  if (symbolPkg === 'main' || defPkg === 'main') return false;
  return symbolPkg.endsWith('/' + defPkg) || defPkg.endsWith('/' + symbolPkg);
}

/** Trailing path segments two paths share; the file names compare by stem (report.js ~ report.ts). */
function commonPathSuffix(a: string, b: string): number {
  const sa = a.replace(/\\/g, '/').split('/').filter(Boolean);
  const sb = b.replace(/\\/g, '/').split('/').filter(Boolean);
  let n = 0;
  while (n < sa.length && n < sb.length) {
    const x = sa[sa.length - 1 - n];
    const y = sb[sb.length - 1 - n];
    const same = n === 0 ? stem(x) === stem(y) : x === y;
    if (!same) break;
    n++;
  }
  return n;
}

function stem(file: string): string {
  const dot = file.indexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

function locationOf(def: Definition): SourceLocation {
  return { path: def.file, line: def.line, functionLine: def.line };
}

function dedupe(locations: SourceLocation[]): SourceLocation[] {
  const seen = new Set<string>();
  return locations
    .filter((l) => {
      const k = `${l.path}:${l.line}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

export interface UnresolvedBucket {
  /** Distinct frames with this reason. */
  frames: number;
  /** Samples whose leaf frame has this reason. */
  selfSamples: number;
  /** The heaviest such frames, for a "why are these not placed" list. */
  top: Array<{ name: string; selfSamples: number }>;
}

export interface UnresolvedSummary {
  readonly totalSamples: number;
  /** Samples whose leaf frame resolved to one definition. */
  readonly resolvedSelfSamples: number;
  readonly byReason: Partial<Record<UnresolvedReason, UnresolvedBucket>>;
}

/** How many samples stayed unresolved, and why (by the reason of each sample's leaf frame). */
export function summarizeUnresolved(profile: Profile, resolutions: ReadonlyArray<FrameResolution | undefined>, topN = 10): UnresolvedSummary {
  const selfByFrame = new Map<number, number>();
  profile.walk((node) => {
    if (node.self > 0) selfByFrame.set(node.frameId, (selfByFrame.get(node.frameId) ?? 0) + node.self);
  });
  const byReason: Partial<Record<UnresolvedReason, UnresolvedBucket>> = {};
  let resolved = 0;
  profile.frames.forEach((frame, id) => {
    const r = resolutions[id];
    const self = selfByFrame.get(id) ?? 0;
    if (r && !r.reason && r.location) {
      resolved += self;
      return;
    }
    const reason: UnresolvedReason = r?.reason ?? 'no-source';
    const bucket = (byReason[reason] ??= { frames: 0, selfSamples: 0, top: [] });
    bucket.frames++;
    bucket.selfSamples += self;
    if (self > 0) bucket.top.push({ name: frame.name, selfSamples: self });
  });
  for (const bucket of Object.values(byReason)) {
    if (!bucket) continue;
    bucket.top.sort((a, b) => b.selfSamples - a.selfSamples);
    bucket.top = bucket.top.slice(0, topN);
  }
  return { totalSamples: profile.totalValue, resolvedSelfSamples: resolved, byReason };
}
