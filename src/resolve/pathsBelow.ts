// Which of many paths lie inside any of a set of folders, in one pass: a deleted folder (or a clean that
// deletes thousands of files at once) is checked against every known file once, not once per event.
// No vscode API here.

/** `paths` as isAtOrBelow's targets: a set, without trailing separators. */
export function targetSet(paths: Iterable<string>, sep: string): Set<string> {
  const targets = new Set<string>();
  for (const p of paths) targets.add(p.length > 1 && p.endsWith(sep) ? p.slice(0, -1) : p);
  return targets;
}

/**
 * True when `path` is one of `targets` or lies below one of them (`sep` separates segments; targets from
 * targetSet). Few targets: a prefix test each; many: a set lookup per ancestor of `path`.
 */
export function isAtOrBelow(path: string, targets: ReadonlySet<string>, sep: string): boolean {
  if (targets.has(path)) return true;
  if (targets.size <= 8) {
    for (const t of targets) if (path.length > t.length && path[t.length] === sep && path.startsWith(t)) return true;
    return false;
  }
  for (let i = path.indexOf(sep, 1); i > 0; i = path.indexOf(sep, i + 1)) {
    if (targets.has(path.slice(0, i))) return true;
  }
  return false;
}
