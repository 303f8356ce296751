// Differential flamegraph: the current profile's tree shape, each node coloured by how its share of all
// samples changed against a baseline. Nodes match by the path of function names from the root, so two
// recordings of the same program line up even though their frame ids differ. Shares are normalised to
// each profile's total, so a 30 s and a 10 s recording compare fairly. Pure; no DOM.
import type { FlameTree } from './flameTree';

export interface DiffResult {
  /** Baseline total of the node at the same path, scaled to the current profile's total (0 when absent). */
  readonly baseTotal: Float64Array;
  readonly baseSelf: Float64Array;
  /** (current share - baseline share) of total value, in -1..1 per node. */
  readonly deltaShare: Float64Array;
  /** Largest |deltaShare|, to scale colours. */
  readonly maxAbsDelta: number;
  /** Baseline value (scaled) on paths the current profile no longer has. */
  readonly removedValue: number;
}

export function diffTrees(current: FlameTree, baseline: FlameTree): DiffResult {
  const n = current.size;
  const baseTotal = new Float64Array(n);
  const baseSelf = new Float64Array(n);
  const deltaShare = new Float64Array(n);
  const curAll = current.totalValue;
  const baseAll = baseline.totalValue;
  const scale = baseAll > 0 ? curAll / baseAll : 0;

  // match[i] = baseline node at the same name path as current node i, or -1.
  const match = new Int32Array(n).fill(-1);
  match[0] = 0;
  // Children of a baseline node by name, built lazily.
  const kidsByName = new Map<number, Map<string, number>>();
  const baseKids = (b: number): Map<string, number> => {
    let m = kidsByName.get(b);
    if (!m) {
      m = new Map();
      for (const c of baseline.children(b)) m.set(baseline.name(c), c);
      kidsByName.set(b, m);
    }
    return m;
  };
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const pb = match[current.parent[i]];
      match[i] = pb < 0 ? -1 : (baseKids(pb).get(current.name(i)) ?? -1);
    }
    const b = match[i];
    if (b >= 0) {
      baseTotal[i] = baseline.total[b] * scale;
      baseSelf[i] = baseline.self[b] * scale;
    }
  }
  let maxAbsDelta = 0;
  for (let i = 0; i < n; i++) {
    const cur = curAll > 0 ? current.total[i] / curAll : 0;
    const base = curAll > 0 ? baseTotal[i] / curAll : 0;
    const d = cur - base;
    deltaShare[i] = d;
    if (i > 0 && Math.abs(d) > maxAbsDelta) maxAbsDelta = Math.abs(d);
  }
  // Baseline paths missing now: baseline value of matched nodes minus what their matched children cover.
  let removed = 0;
  const matchedBase = new Uint8Array(baseline.size);
  for (let i = 0; i < n; i++) if (match[i] >= 0) matchedBase[match[i]] = 1;
  for (let b = 1; b < baseline.size; b++) {
    if (!matchedBase[b] && matchedBase[baseline.parent[b]]) removed += baseline.total[b] * scale;
  }
  return { baseTotal, baseSelf, deltaShare, maxAbsDelta, removedValue: removed };
}
