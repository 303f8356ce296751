// Questions asked of a FlameTree: search matches and their share, per-function self/total, keyboard
// neighbours. Pure; no DOM. "Total" always counts a function once per stack (recursion does not inflate it).
import type { FlameTree } from './flameTree';

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
  const self = new Float64Array(tree.fnNames.length);
  const total = new Float64Array(tree.fnNames.length);
  // onStack[fn] > 0 while a node of fn is an ancestor of the current node.
  const onStack = new Int32Array(tree.fnNames.length);
  const stack: number[] = [];
  for (let i = 1; i < tree.size; i++) {
    while (stack.length > 0 && tree.end[stack[stack.length - 1]] <= i) onStack[tree.fn[stack.pop()!]]--;
    const f = tree.fn[i];
    self[f] += tree.self[i];
    if (onStack[f] === 0) total[f] += tree.total[i];
    onStack[f]++;
    stack.push(i);
  }
  return tree.fnNames.map((name, fn) => ({ fn, name, self: self[fn], total: total[fn] }));
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
