// The call tree as the webview uses it: FlameData in typed arrays plus derived layout (x start of each node,
// end of each subtree) and function ids. Pure; no DOM.
import { validatedLayout, type FlameData, type FlameFrame, type FlameFrameKind } from './protocol';

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
  private readonly fnByName = new Map<string, number>();

  constructor(data: FlameData) {
    const n = data.parent.length;
    this.size = n;
    this.frames = data.frames;
    this.unit = data.unit;
    // The columns arrive as typed arrays (validated): used as they are, never copied.
    this.parent = data.parent;
    this.depth = data.depth;
    this.frame = data.frame;
    this.self = data.self;
    this.total = data.total;
    this.fn = new Int32Array(n);
    this.fnNames = [];
    this.fnKinds = [];
    // Data that came through a message was laid out by the validation pass (readFlameData): only the
    // function ids are left to assign. Trees made here (sandwich, tests) are laid out below.
    const layout = validatedLayout(data);
    if (layout) {
      this.start = layout.start;
      this.end = layout.end;
      this.maxDepth = layout.maxDepth;
      this.assignFunctions(data);
      return;
    }
    this.start = new Float64Array(n);
    this.end = new Int32Array(n);

    // Children follow their parent in preorder: next[d] is where the next node at depth d starts (the
    // parent's start, advanced by each sibling). Per depth, not per node: fresh node-sized arrays are slow.
    let next = new Float64Array(64);
    let maxDepth = 0;
    // Locals: this loop runs once per node of profiles with hundreds of thousands of nodes.
    const parent = this.parent, depth = this.depth, total = this.total, start = this.start;
    next[1] = 0;
    for (let i = 1; i < n; i++) {
      const d = depth[i];
      if (d + 1 >= next.length) {
        const grown = new Float64Array(next.length * 2);
        grown.set(next);
        next = grown;
      }
      const x = next[d];
      start[i] = x;
      next[d] = x + total[i];
      next[d + 1] = x;
      if (d > maxDepth) maxDepth = d;
    }
    this.maxDepth = maxDepth;
    // Subtree ends, one backward pass: a node's end is its own when it has no children yet seen, and its
    // parent's end is the largest end among its children (the last child's).
    const end = this.end;
    for (let i = n - 1; i >= 0; i--) {
      if (end[i] === 0) end[i] = i + 1;
      if (i > 0) {
        const p = parent[i];
        if (end[i] > end[p]) end[p] = end[i];
      }
    }
    this.assignFunctions(data);
  }

  /** Function ids in preorder of first appearance: one per display name (frames of one function share it). */
  private assignFunctions(data: FlameData): void {
    const fnByName = this.fnByName;
    const fnOfFrame = new Int32Array(data.frames.length).fill(-1);
    const frame = this.frame, fnArr = this.fn, n = this.size;
    fnArr[0] = -1;
    for (let i = 1; i < n; i++) {
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

  /** Function id of a display name, or -1. */
  fnId(name: string): number {
    return this.fnByName.get(name) ?? -1;
  }

  /** The widest node of a function (ties: the first in preorder, so the shallowest on a path), or -1. */
  widestNodeOfFn(fn: number): number {
    let best = -1;
    if (fn < 0) return best;
    const f = this.fn, total = this.total;
    for (let i = 1; i < this.size; i++) {
      if (f[i] === fn && (best < 0 || total[i] > total[best])) best = i;
    }
    return best;
  }

  /**
   * The profile frame (a line of the function) holding most of a function's samples, counting each stack
   * once (outermost calls only), or -1: where "open source" of a whole function should land.
   */
  heaviestFrameOfFn(fn: number): number {
    const byFrame = new Map<number, number>();
    for (let i = 1; i < this.size; ) {
      if (this.fn[i] !== fn) {
        i++;
        continue;
      }
      byFrame.set(this.frame[i], (byFrame.get(this.frame[i]) ?? 0) + this.total[i]);
      i = this.end[i];
    }
    let best = -1;
    let bestValue = -1;
    for (const [f, v] of byFrame) if (v > bestValue || (v === bestValue && f < best)) [best, bestValue] = [f, v];
    return best;
  }

  /** The widest node of a function name (ties: the shallowest), or -1. */
  widestNodeNamed(name: string): number {
    return this.widestNodeOfFn(this.fnId(name));
  }

  /** Stack of names leaf last, one per line (copy stack). */
  stackText(i: number): string {
    return this.pathOf(i).reverse().join('\n');
  }
}
