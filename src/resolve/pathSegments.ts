// Walking the segments of a path or import path in place ('/' or '\\' separated, empty segments skipped):
// path comparisons run for every scored candidate, so they do not split strings. No vscode API here.

export function isSeparator(c: number): boolean {
  return c === 47 || c === 92; // '/' or '\\'
}

/** Start of the segment that ends at `end` (exclusive). */
export function segmentStart(s: string, end: number): number {
  let i = end;
  while (i > 0 && !isSeparator(s.charCodeAt(i - 1))) i--;
  return i;
}

/** `end` moved left past separators (empty segments do not count). */
export function skipSeparators(s: string, end: number): number {
  while (end > 0 && isSeparator(s.charCodeAt(end - 1))) end--;
  return end;
}

/** How many non-empty segments `path` has. */
export function segmentCount(path: string): number {
  let n = 0;
  for (let end = skipSeparators(path, path.length); end > 0; end = skipSeparators(path, segmentStart(path, end))) n++;
  return n;
}
