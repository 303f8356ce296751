// Per-file hot functions and hot lines: what CodeLens, gutter heat and hovers show.
// Computed from the call tree and the frame resolutions; no vscode API.
//
// "total" counts a function (or line) once per stack even when it recurses, so 100% means
// "on every sampled stack"; "self" counts samples where it was the leaf.

import type { Profile, CallNode } from './profile';
import type { FrameResolutions, UnresolvedReason } from '../resolve/frameResolution';

export interface FunctionHotspot {
  readonly name: string;
  readonly path: string;
  /** Declaration line (1-based) where the CodeLens goes. */
  readonly line: number;
  self: number;
  total: number;
  /** Samples where this was the deepest workspace function on the stack: its own code plus library and
   * kernel code it called. The best single answer to "which of my functions costs the most". */
  deepest: number;
  /** Frame ids that make up this function (for the flamegraph and "show callers"). */
  readonly frameIds: number[];
  /** Other definitions that matched the name equally well, when resolution was ambiguous. */
  readonly alternatives: readonly string[];
}

export interface LineHotspot {
  readonly line: number;
  self: number;
  total: number;
  /** Samples where this was the deepest workspace line on the stack: the line itself plus the library,
   * runtime and kernel code it called (`json.Unmarshal(...)` is hot even though its self is 0). */
  deepest: number;
}

export interface FileHotspots {
  readonly path: string;
  readonly functions: FunctionHotspot[];
  readonly lines: Map<number, LineHotspot>;
}

export interface Hotspots {
  readonly totalValue: number;
  readonly files: Map<string, FileHotspots>;
  /** Samples whose leaf frame could not be placed in the workspace, by reason. */
  readonly unresolvedLeafValue: Map<UnresolvedReason | 'unknown', number>;
  /** User-code function names that found no workspace source, with their total value (the "unmatched frames" list). */
  readonly unmatchedFunctions: Map<string, number>;
}

export function computeHotspots(profile: Profile, resolutions: FrameResolutions): Hotspots {
  const files = new Map<string, FileHotspots>();
  const fnKeyOfFrame: (string | undefined)[] = [];
  const lineKeyOfFrame: (string | undefined)[] = [];
  const fnByKey = new Map<string, FunctionHotspot>();
  const lineByKey = new Map<string, LineHotspot>();

  const fileOf = (path: string): FileHotspots => {
    let f = files.get(path);
    if (!f) files.set(path, (f = { path, functions: [], lines: new Map() }));
    return f;
  };

  profile.frames.forEach((frame, id) => {
    const loc = resolutions[id]?.location;
    if (!loc) return;
    const fnLine = loc.functionLine ?? loc.line;
    const fnKey = `${loc.path}\u0000${fnLine}`;
    fnKeyOfFrame[id] = fnKey;
    let fn = fnByKey.get(fnKey);
    if (!fn) {
      const alternatives = (resolutions[id]?.candidates ?? []).slice(1).map((c) => `${c.path}:${c.line}`);
      fn = { name: frame.name, path: loc.path, line: fnLine, self: 0, total: 0, deepest: 0, frameIds: [], alternatives };
      fnByKey.set(fnKey, fn);
      fileOf(loc.path).functions.push(fn);
    }
    fn.frameIds.push(id);
    const lineKey = `${loc.path}\u0000${loc.line}`;
    lineKeyOfFrame[id] = lineKey;
    if (!lineByKey.has(lineKey)) {
      const l: LineHotspot = { line: loc.line, self: 0, total: 0, deepest: 0 };
      lineByKey.set(lineKey, l);
      fileOf(loc.path).lines.set(loc.line, l);
    }
  });

  const unresolvedLeafValue = new Map<UnresolvedReason | 'unknown', number>();
  const unmatchedFunctions = new Map<string, number>();

  // Iterative DFS with enter/exit so "on the current stack" counts are exact and recursion-safe.
  const onStackFn = new Map<string, number>();
  const onStackLine = new Map<string, number>();
  const onStackUnmatched = new Map<string, number>();
  // User frames that no workspace file matched, keyed by name (listed, not silently dropped).
  const unmatchedKeyOfFrame = profile.frames.map((f, id) =>
    !resolutions[id]?.location && resolutions[id]?.reason === 'no-source' ? f.name : undefined,
  );
  const enter = (m: Map<string, number>, k: string | undefined): boolean => {
    if (k === undefined) return false;
    const n = m.get(k) ?? 0;
    m.set(k, n + 1);
    return n === 0;
  };
  const exit = (m: Map<string, number>, k: string | undefined): void => {
    if (k === undefined) return;
    const n = (m.get(k) ?? 1) - 1;
    if (n === 0) m.delete(k);
    else m.set(k, n);
  };

  // Deepest workspace function and line on the current path, one entry per depth.
  const deepestOnPath: (string | undefined)[] = [];
  const deepestLineOnPath: (string | undefined)[] = [];

  type Step = { node: CallNode; exit: boolean };
  const steps: Step[] = [];
  for (const c of profile.root.children.values()) steps.push({ node: c, exit: false });
  while (steps.length > 0) {
    const { node, exit: isExit } = steps.pop()!;
    const id = node.frameId;
    const fnKey = fnKeyOfFrame[id];
    const lineKey = lineKeyOfFrame[id];
    if (isExit) {
      exit(onStackFn, fnKey);
      exit(onStackLine, lineKey);
      exit(onStackUnmatched, unmatchedKeyOfFrame[id]);
      deepestOnPath.pop();
      deepestLineOnPath.pop();
      continue;
    }
    if (enter(onStackFn, fnKey)) fnByKey.get(fnKey!)!.total += node.total;
    if (enter(onStackLine, lineKey)) lineByKey.get(lineKey!)!.total += node.total;
    const deepest = fnKey ?? deepestOnPath[deepestOnPath.length - 1];
    deepestOnPath.push(deepest);
    if (node.self > 0 && deepest !== undefined) fnByKey.get(deepest)!.deepest += node.self;
    const deepestLine = lineKey ?? deepestLineOnPath[deepestLineOnPath.length - 1];
    deepestLineOnPath.push(deepestLine);
    if (node.self > 0 && deepestLine !== undefined) lineByKey.get(deepestLine)!.deepest += node.self;
    if (node.self > 0) {
      if (fnKey !== undefined) {
        fnByKey.get(fnKey)!.self += node.self;
        lineByKey.get(lineKey!)!.self += node.self;
      } else {
        const r = resolutions[id];
        const reason = r?.reason ?? 'unknown';
        unresolvedLeafValue.set(reason, (unresolvedLeafValue.get(reason) ?? 0) + node.self);
      }
    }
    const unmatched = unmatchedKeyOfFrame[id];
    if (enter(onStackUnmatched, unmatched)) unmatchedFunctions.set(unmatched!, (unmatchedFunctions.get(unmatched!) ?? 0) + node.total);
    steps.push({ node, exit: true });
    for (const c of node.children.values()) steps.push({ node: c, exit: false });
  }

  for (const f of files.values()) f.functions.sort((a, b) => a.line - b.line);
  return { totalValue: profile.totalValue, files, unresolvedLeafValue, unmatchedFunctions };
}
