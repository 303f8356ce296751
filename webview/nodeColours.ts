// Every node's fill as an index into a small table of colour strings: the node's function id + 1 (no
// per-node array to fill before the first frame), or in compare mode a quantised diff step per node. The renderer then sorts the visible bars by index and sets fillStyle once per colour, instead of
// once per bar (each fillStyle assignment parses a CSS colour). Pure; no DOM.
import type { FlameTree } from './flameTree';
import type { DiffResult } from './diffTree';
import { diffFill, fillFor, textOn, type Palette } from './palette';

/** Differential colours are quantised to this many steps each way: finer steps are not visible. */
export const DIFF_STEPS = 48;

export class NodeColours {
  private readonly fillCache: Array<string | undefined>;
  private readonly textCache: Array<string | undefined>;

  /**
   * @param count number of colour indices
   * @param make CSS colour of an index (called lazily, once per index: profiles can have 100k functions)
   * @param table per node, the index minus `offset` (hot loops read `table[node] + offset` directly)
   */
  constructor(
    readonly count: number,
    private readonly make: (index: number) => string,
    readonly table: Int32Array,
    readonly offset: number,
  ) {
    this.fillCache = new Array<string | undefined>(count);
    this.textCache = new Array<string | undefined>(count);
  }

  /** Colour index of a node. */
  indexOf(node: number): number {
    return this.table[node] + this.offset;
  }

  fill(index: number): string {
    return (this.fillCache[index] ??= this.make(index));
  }

  /** Label colour (black or white) on a fill. */
  text(index: number): string {
    return (this.textCache[index] ??= textOn(this.fill(index)));
  }
}

export function nodeColours(tree: FlameTree, palette: Palette, diff?: DiffResult): NodeColours {
  if (diff) {
    const ofNode = new Int32Array(tree.size);
    // Index k in 0..2*DIFF_STEPS stands for delta (k - DIFF_STEPS) / DIFF_STEPS of the largest change.
    const max = diff.maxAbsDelta;
    const d = diff.deltaShare;
    for (let i = 0; i < tree.size; i++) {
      const q = max > 0 ? Math.round((d[i] / max) * DIFF_STEPS) : 0;
      ofNode[i] = DIFF_STEPS + Math.max(-DIFF_STEPS, Math.min(DIFF_STEPS, q));
    }
    return new NodeColours(2 * DIFF_STEPS + 1, (k) => diffFill(palette, ((k - DIFF_STEPS) / DIFF_STEPS) * max, max), ofNode, 0);
  }
  // Function f's colour sits at index f + 1; 0 is the root's (its function id is -1).
  return new NodeColours(tree.fnNames.length + 1, (k) => (k === 0 ? palette.root : fillFor(palette, tree.fnKinds[k - 1], tree.fnNames[k - 1])), tree.fn, 1);
}
