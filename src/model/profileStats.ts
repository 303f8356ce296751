// Per-function self/total over a whole profile: the flamegraph's table and tests read this.
// "total" counts a function once per stack even when it recurses (a sample where parse -> parse -> leaf
// counts once for parse), so no function can exceed 100%.

import type { CallNode, Profile } from './profile';

export interface FunctionStat {
  name: string;
  file?: string;
  self: number;
  total: number;
}

/** Functions keyed by (name, file), sorted by total descending, then self, then name. */
export function functionStats(profile: Profile): FunctionStat[] {
  const keyOfFrame = profile.frames.map((f) => `${f.name}\u0000${f.file ?? ''}`);
  const stats = new Map<string, FunctionStat>();
  profile.frames.forEach((f, id) => {
    if (!stats.has(keyOfFrame[id])) stats.set(keyOfFrame[id], { name: f.name, file: f.file, self: 0, total: 0 });
  });

  // Iterative DFS with explicit exits, counting how often each function is on the current stack.
  const onStack = new Map<string, number>();
  const steps: Array<{ node: CallNode; exit: boolean }> = [];
  for (const c of profile.root.children.values()) steps.push({ node: c, exit: false });
  while (steps.length > 0) {
    const { node, exit } = steps.pop()!;
    const key = keyOfFrame[node.frameId];
    if (exit) {
      const n = onStack.get(key)! - 1;
      if (n === 0) onStack.delete(key);
      else onStack.set(key, n);
      continue;
    }
    const stat = stats.get(key)!;
    const depth = onStack.get(key) ?? 0;
    if (depth === 0) stat.total += node.total;
    onStack.set(key, depth + 1);
    stat.self += node.self;
    steps.push({ node, exit: true });
    for (const c of node.children.values()) steps.push({ node: c, exit: false });
  }
  return [...stats.values()]
    .filter((s) => s.total > 0 || s.self > 0)
    .sort((a, b) => b.total - a.total || b.self - a.self || a.name.localeCompare(b.name));
}
