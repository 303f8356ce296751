// Sandwich view of one function: its callers (inverted tree, the function at the root and who called it
// above) and its callees (all its call sites merged). Built as FlameData so the same renderer draws them.
// Recursion: only the outermost occurrence on each stack counts, so totals match the functions table.
import { flameDataOf, type FlameData } from './protocol';
import type { FlameTree } from './flameTree';

interface Building {
  frame: number;
  self: number;
  total: number;
  children: Map<number, Building>;
}

function node(frame: number): Building {
  return { frame, self: 0, total: 0, children: new Map() };
}

function flatten(root: Building, tree: FlameTree, fnFrame: (f: number) => number): FlameData {
  const parent: number[] = [];
  const depth: number[] = [];
  const frame: number[] = [];
  const self: number[] = [];
  const total: number[] = [];
  const pending: Array<{ b: Building; p: number; d: number }> = [{ b: root, p: -1, d: 0 }];
  while (pending.length) {
    const { b, p, d } = pending.pop()!;
    const i = parent.length;
    parent.push(p);
    depth.push(d);
    frame.push(d === 0 ? -1 : fnFrame(b.frame));
    self.push(b.self);
    total.push(b.total);
    const kids = [...b.children.values()].sort((x, y) => (tree.fnNames[x.frame] < tree.fnNames[y.frame] ? -1 : 1));
    for (let k = kids.length - 1; k >= 0; k--) pending.push({ b: kids[k], p: i, d: d + 1 });
  }
  return flameDataOf({ unit: tree.unit, frames: tree.frames, parent, depth, frame, self, total });
}

/** Outermost nodes of function `fn` (no ancestor of the same function). */
function outermost(tree: FlameTree, fn: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < tree.size; ) {
    if (tree.fn[i] === fn) {
      out.push(i);
      i = tree.end[i];
    } else i++;
  }
  return out;
}

/** A representative frame id for each function id (the first node's frame). */
function frameOfFn(tree: FlameTree): (fn: number) => number {
  const rep = new Int32Array(tree.fnNames.length).fill(-1);
  for (let i = 1; i < tree.size; i++) if (rep[tree.fn[i]] < 0) rep[tree.fn[i]] = tree.frame[i];
  return (fn) => rep[fn];
}

/** Callees: root = the function (all outermost call sites merged), below it what it called. Keys are function ids. */
export function calleesOf(tree: FlameTree, fn: number): FlameData {
  const top = node(fn);
  const root = node(-1);
  root.children.set(fn, top);
  for (const start of outermost(tree, fn)) {
    // Map each tree node of this subtree to the building node at the same function path.
    const map = new Map<number, Building>([[start, top]]);
    top.total += tree.total[start];
    top.self += tree.self[start];
    for (let j = start + 1; j < tree.end[start]; j++) {
      const parentB = map.get(tree.parent[j])!;
      const f = tree.fn[j];
      let b = parentB.children.get(f);
      if (!b) parentB.children.set(f, (b = node(f)));
      b.total += tree.total[j];
      b.self += tree.self[j];
      map.set(j, b);
    }
  }
  root.total = top.total;
  return flatten(root, tree, frameOfFn(tree));
}

/** Callers: root = the function; each level above is who called the level below. */
export function callersOf(tree: FlameTree, fn: number): FlameData {
  const top = node(fn);
  const root = node(-1);
  root.children.set(fn, top);
  for (const start of outermost(tree, fn)) {
    const v = tree.total[start];
    top.total += v;
    let b = top;
    for (let p = tree.parent[start]; p > 0; p = tree.parent[p]) {
      const f = tree.fn[p];
      let c = b.children.get(f);
      if (!c) b.children.set(f, (c = node(f)));
      c.total += v;
      b = c;
    }
    // The outermost caller ends this inverted stack: it is its "self" here.
    b.self += v;
  }
  root.total = top.total;
  return flatten(root, tree, frameOfFn(tree));
}
