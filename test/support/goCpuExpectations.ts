// What the overlays must show for the recorded Go profile, computed here independently of the extension:
// the profile read by the hand-rolled wire reader (pprofWire.ts), shares counted by plain loops, and
// declaration lines found by a regex over main.go. Shared by the UI test and the extension-host tests.
import { readFileSync } from 'node:fs';
import { readPprofWire, type WireProfile } from './pprofWire';

export const HOT_FUNCTIONS = {
  readCatalogFile: 'main.(*productCatalog).readCatalogFile',
  parseCatalog: 'main.(*productCatalog).parseCatalog',
  ServeHTTP: 'main.(*productCatalog).ServeHTTP',
} as const;

export interface ExpectedLens {
  /** Full pprof function name. */
  name: string;
  /** 1-based line of the `func` declaration in main.go. */
  line: number;
  /** As the CodeLens formats shares: one decimal and a percent sign. */
  totalPercent: string;
  selfPercent: string;
  totalSamples: number;
}

/** Root-first function names of each sample (inlined frames expanded) and its sample count. */
function stacks(p: WireProfile): Array<{ names: string[]; count: number }> {
  const countIndex = p.sampleTypes.findIndex((t) => t.type === 'samples');
  return p.samples.map((s) => {
    const leafFirst: string[] = [];
    for (const id of s.locationIds) for (const l of p.locations.get(id) ?? []) leafFirst.push(p.functions.get(l.functionId)?.name ?? '?');
    return { names: leafFirst.reverse(), count: s.values[countIndex < 0 ? 0 : countIndex] };
  });
}

export function pct(part: number, whole: number): string {
  const v = (100 * part) / whole;
  return v > 0 && v < 0.1 ? '<0.1%' : `${v.toFixed(1)}%`;
}

export function expectedLenses(profileFile: string, mainGoFile: string): Record<keyof typeof HOT_FUNCTIONS, ExpectedLens> & { allSamples: number } {
  const all = stacks(readPprofWire(readFileSync(profileFile)));
  const allSamples = all.reduce((a, s) => a + s.count, 0);
  const source = readFileSync(mainGoFile, 'utf8').split('\n');
  const out = { allSamples } as Record<keyof typeof HOT_FUNCTIONS, ExpectedLens> & { allSamples: number };
  for (const [short, name] of Object.entries(HOT_FUNCTIONS) as Array<[keyof typeof HOT_FUNCTIONS, string]>) {
    const total = all.filter((s) => s.names.includes(name)).reduce((a, s) => a + s.count, 0);
    const self = all.filter((s) => s.names[s.names.length - 1] === name).reduce((a, s) => a + s.count, 0);
    const decl = new RegExp(`^func \\([^)]*\\) ${short}\\(`);
    const line = source.findIndex((l) => decl.test(l)) + 1;
    if (line === 0) throw new Error(`no declaration of ${short} in ${mainGoFile}`);
    out[short] = { name, line, totalPercent: pct(total, allSamples), selfPercent: pct(self, allSamples), totalSamples: total };
  }
  return out;
}

/** The same expectations for a folded-stack (eBPF, names only) recording: counts summed per line, split on the last space. */
export function expectedFoldedLenses(foldedFile: string, mainGoFile: string): Record<keyof typeof HOT_FUNCTIONS, ExpectedLens> & { allSamples: number } {
  const all = readFileSync(foldedFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ names: l.slice(0, l.lastIndexOf(' ')).split(';'), count: Number(l.slice(l.lastIndexOf(' ') + 1)) }));
  const allSamples = all.reduce((a, s) => a + s.count, 0);
  const source = readFileSync(mainGoFile, 'utf8').split('\n');
  const out = { allSamples } as Record<keyof typeof HOT_FUNCTIONS, ExpectedLens> & { allSamples: number };
  for (const [short, name] of Object.entries(HOT_FUNCTIONS) as Array<[keyof typeof HOT_FUNCTIONS, string]>) {
    const total = all.filter((s) => s.names.includes(name)).reduce((a, s) => a + s.count, 0);
    const self = all.filter((s) => s.names[s.names.length - 1] === name).reduce((a, s) => a + s.count, 0);
    const line = source.findIndex((l) => new RegExp(`^func \\([^)]*\\) ${short}\\(`).test(l)) + 1;
    out[short] = { name, line, totalPercent: pct(total, allSamples), selfPercent: pct(self, allSamples), totalSamples: total };
  }
  return out;
}

/**
 * Where the samples of a folded recording end (their leaf frame), counted by the markers profilers put on
 * names: BCC/perf `_[k]` (Pixie `[k] `) is kernel, a bracketed name (`[Missed User Stack]`, `[unknown]`) was
 * not symbolized, `main.` is the service's own code, anything else is Go's runtime and standard library.
 */
export function foldedLeafShares(foldedFile: string): { total: number; kernel: number; unsymbolized: number; user: number; runtime: number } {
  const out = { total: 0, kernel: 0, unsymbolized: 0, user: 0, runtime: 0 };
  for (const l of readFileSync(foldedFile, 'utf8').split('\n')) {
    if (!l.trim()) continue;
    const n = Number(l.slice(l.lastIndexOf(' ') + 1));
    const frames = l.slice(0, l.lastIndexOf(' ')).split(';');
    const leaf = frames[frames.length - 1];
    out.total += n;
    if (leaf.endsWith('_[k]') || leaf.startsWith('[k] ')) out.kernel += n;
    else if (/^\[.*\]$/.test(leaf)) out.unsymbolized += n;
    else if (leaf.startsWith('main.')) out.user += n;
    else out.runtime += n;
  }
  return out;
}
