// Questions asked of a FlameTree: search matches and their share, per-function self/total, keyboard
// neighbours. Pure; no DOM. "Total" always counts a function once per stack (recursion does not inflate it).
import type { FlameTree } from './flameTree';
import { drain } from './slices';

export interface SearchQuery {
  readonly text: string;
  readonly caseSensitive: boolean;
  /** Treat text as a regular expression; otherwise a plain substring. */
  readonly regex: boolean;
}

/** Compiles a query; an invalid regex gives an error message instead of throwing. */
export function compileQuery(q: SearchQuery): { re?: RegExp; error?: string } {
  if (q.text === '') return {};
  const source = q.regex ? q.text : q.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return { re: new RegExp(source, q.caseSensitive ? '' : 'i') };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export interface SearchResult {
  /** 1 for nodes whose function name matches. */
  readonly matches: Uint8Array;
  readonly matchedNodes: number;
  /** Value of stacks containing at least one match (each stack once). */
  readonly matchedValue: number;
}

export function search(tree: FlameTree, re: RegExp): SearchResult {
  const fnMatch = tree.fnNames.map((n) => re.test(n));
  const matches = new Uint8Array(tree.size);
  let matchedNodes = 0;
  let matchedValue = 0;
  for (let i = 1; i < tree.size; ) {
    if (fnMatch[tree.fn[i]]) {
      // Outermost match: its subtree's samples count once; inner matches are only flagged.
      matchedValue += tree.total[i];
      for (let j = i; j < tree.end[i]; j++) {
        if (fnMatch[tree.fn[j]]) {
          matches[j] = 1;
          matchedNodes++;
        }
      }
      i = tree.end[i];
    } else i++;
  }
  return { matches, matchedNodes, matchedValue };
}

export interface FunctionStat {
  readonly fn: number;
  readonly name: string;
  self: number;
  total: number;
}

/** Self and total (once per stack) of every function in the tree. */
export function functionStats(tree: FlameTree): FunctionStat[] {
  return drain(functionStatsSteps(tree));
}

/** Nodes between two yields of functionStatsSteps: well under a millisecond on a slow machine. */
const STATS_STEP = 4096;

/**
 * functionStats as a job for SliceRunner: yields every STATS_STEP nodes. Typed arrays only: the ancestors
 * on the current path are found by depth (preorder), so no stack of boxed numbers is grown and shrunk.
 */
export function* functionStatsSteps(tree: FlameTree): Generator<void, FunctionStat[]> {
  const fnCount = tree.fnNames.length;
  const self = new Float64Array(fnCount);
  const total = new Float64Array(fnCount);
  // onStack[fn] > 0 while a node of fn is an ancestor of (or is) the current node; pathFn[d] is the
  // function of the node at depth d on the current path, for d in 1..top.
  const onStack = new Int32Array(fnCount);
  const pathFn = new Int32Array(tree.maxDepth + 2);
  const fnOf = tree.fn, depth = tree.depth, selfOf = tree.self, totalOf = tree.total, n = tree.size;
  let top = 0;
  for (let i = 1; i < n; i++) {
    if ((i & (STATS_STEP - 1)) === 0) yield;
    const d = depth[i];
    // Leaving the subtrees of the path nodes at depth >= d.
    for (; top >= d; top--) onStack[pathFn[top]]--;
    const f = fnOf[i];
    self[f] += selfOf[i];
    if (onStack[f] === 0) total[f] += totalOf[i];
    onStack[f]++;
    pathFn[d] = f;
    top = d;
  }
  const out: FunctionStat[] = new Array(fnCount);
  for (let fn = 0; fn < fnCount; fn++) out[fn] = { fn, name: tree.fnNames[fn], self: self[fn], total: total[fn] };
  return out;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

/**
 * Keyboard neighbour of a node. In the icicle (root on top) 'up' is the parent and 'down' the widest child;
 * the caller swaps up/down for the flame orientation. left/right are siblings, and wrap to the nearest node
 * at the same depth in a neighbouring subtree, as the eye expects.
 */
export function neighbour(tree: FlameTree, node: number, dir: Direction): number {
  if (dir === 'up') return node === 0 ? 0 : tree.parent[node];
  if (dir === 'down') {
    const kids = tree.children(node);
    if (kids.length === 0) return node;
    return kids.reduce((a, b) => (tree.total[b] > tree.total[a] ? b : a));
  }
  if (node === 0) return 0;
  const d = tree.depth[node];
  if (dir === 'right') {
    for (let j = tree.end[node]; j < tree.size; j++) if (tree.depth[j] === d) return j;
    return node;
  }
  for (let j = node - 1; j > 0; j--) if (tree.depth[j] === d) return j;
  return node;
}
