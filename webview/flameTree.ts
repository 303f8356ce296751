// The call tree as the webview uses it: FlameData in typed arrays plus derived layout (x start of each node,
// end of each subtree) and function ids. Pure; no DOM.
import type { FlameData, FlameFrame, FlameFrameKind } from './protocol';

export class FlameTree {
  readonly size: number;
  readonly frames: readonly FlameFrame[];
  readonly unit: string;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly frame: Int32Array;
  readonly self: Float64Array;
  readonly total: Float64Array;
  /** Left edge of each node in value units: the root spans [0, total[0]]. */
  readonly start: Float64Array;
  /** Index just past the node's last descendant (preorder), to skip whole subtrees. */
  readonly end: Int32Array;
  /** Function id of each node (nodes with the same display name share it); -1 for the root. */
  readonly fn: Int32Array;
  readonly fnNames: string[];
  readonly fnKinds: FlameFrameKind[];
  readonly maxDepth: number;

  constructor(data: FlameData) {
    const n = data.parent.length;
    this.size = n;
    this.frames = data.frames;
    this.unit = data.unit;
    this.parent = new Int32Array(data.parent);
    this.depth = new Int32Array(data.depth);
    this.frame = new Int32Array(data.frame);
    this.self = new Float64Array(data.self);
    this.total = new Float64Array(data.total);
    this.start = new Float64Array(n);
    this.end = new Int32Array(n);
    this.fn = new Int32Array(n);
    this.fnNames = [];
    this.fnKinds = [];

    // Children follow their parent in preorder; a per-parent cursor places them left to right.
    const cursor = new Float64Array(n);
    let maxDepth = 0;
    const fnByName = new Map<string, number>();
    const fnOfFrame = new Int32Array(data.frames.length).fill(-1);
    // Locals: this loop runs once per node of profiles with hundreds of thousands of nodes.
    const parent = this.parent, depth = this.depth, frame = this.frame, total = this.total, start = this.start, fnArr = this.fn;
    fnArr[0] = -1;
    for (let i = 1; i < n; i++) {
      const p = parent[i];
      start[i] = start[p] + cursor[p];
      cursor[p] += total[i];
      if (depth[i] > maxDepth) maxDepth = depth[i];
      const f = frame[i];
      let id = fnOfFrame[f];
      if (id < 0) {
        const fr = data.frames[f];
        id = fnByName.get(fr.name) ?? -1;
        if (id < 0) {
          id = this.fnNames.length;
          fnByName.set(fr.name, id);
          this.fnNames.push(fr.name);
          this.fnKinds.push(fr.kind);
        }
        fnOfFrame[f] = id;
      }
      fnArr[i] = id;
    }
    this.maxDepth = maxDepth;
    // Subtree ends: walk backwards, each node's end is the max of its children's ends.
    const end = this.end;
    for (let i = n - 1; i >= 0; i--) if (end[i] === 0) end[i] = i + 1;
    for (let i = n - 1; i >= 1; i--) {
      const p = parent[i];
      if (end[i] > end[p]) end[p] = end[i];
    }
  }

  get totalValue(): number {
    return this.total[0];
  }

  name(i: number): string {
    return i === 0 ? 'all' : this.frames[this.frame[i]].name;
  }

  kind(i: number): FlameFrameKind | 'root' {
    return i === 0 ? 'root' : this.frames[this.frame[i]].kind;
  }

  frameOf(i: number): FlameFrame | undefined {
    return i === 0 ? undefined : this.frames[this.frame[i]];
  }

  /** Direct children of node i, left to right. */
  children(i: number): number[] {
    const out: number[] = [];
    for (let c = i + 1; c < this.end[i]; c = this.end[c]) out.push(c);
    return out;
  }

  /** Function names root to node (root excluded): a stable address of a node across updates. */
  pathOf(i: number): string[] {
    const out: string[] = [];
    for (let p = i; p > 0; p = this.parent[p]) out.push(this.name(p));
    return out.reverse();
  }

  /** Finds the node at a path of names, or the deepest prefix that exists. */
  findPath(path: readonly string[]): number {
    let node = 0;
    for (const name of path) {
      const next = this.children(node).find((c) => this.name(c) === name);
      if (next === undefined) break;
      node = next;
    }
    return node;
  }

  /** The widest node of a function name (ties: the shallowest), or -1. */
  widestNodeNamed(name: string): number {
    let best = -1;
    for (let i = 1; i < this.size; i++) {
      if (this.name(i) !== name) continue;
      if (best < 0 || this.total[i] > this.total[best]) best = i;
    }
    return best;
  }

  /** Stack of names leaf last, one per line (copy stack). */
  stackText(i: number): string {
    return this.pathOf(i).reverse().join('\n');
  }
}
