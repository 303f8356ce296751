// Tiny FlameData builders for the webview's pure tests: stacks as "a;b;c" strings with counts.
import { flameDataOf, type FlameData, type FlameFrameKind } from './protocol';

/** Builds FlameData from folded stacks, merging by name, children sorted by name (like toFlameData). */
export function flameFromFolded(lines: Record<string, number>, kind: FlameFrameKind = 'user'): FlameData {
  type N = { name: string; self: number; total: number; kids: Map<string, N> };
  const root: N = { name: '', self: 0, total: 0, kids: new Map() };
  for (const [stack, v] of Object.entries(lines)) {
    let n = root;
    n.total += v;
    for (const name of stack.split(';')) {
      let c = n.kids.get(name);
      if (!c) n.kids.set(name, (c = { name, self: 0, total: 0, kids: new Map() }));
      c.total += v;
      n = c;
    }
    n.self += v;
  }
  const frames: Array<{ name: string; kind: FlameFrameKind }> = [];
  const frameOf = new Map<string, number>();
  const out = { unit: 'samples', frames, parent: [] as number[], depth: [] as number[], frame: [] as number[], self: [] as number[], total: [] as number[] };
  const visit = (n: N, p: number, d: number) => {
    const i = out.parent.length;
    let f = -1;
    if (d > 0) {
      f = frameOf.get(n.name) ?? -1;
      if (f < 0) {
        f = frames.length;
        frames.push({ name: n.name, kind });
        frameOf.set(n.name, f);
      }
    }
    out.parent.push(p);
    out.depth.push(d);
    out.frame.push(f);
    out.self.push(n.self);
    out.total.push(n.total);
    for (const k of [...n.kids.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(k, i, d + 1);
  };
  visit(root, -1, 0);
  return flameDataOf(out);
}
