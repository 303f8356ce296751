// Look-back windows as people type them: 90s, 10m, 2h (windowText in storeWindow.ts writes them).

/** "90s", "10m", "2h", "45" (seconds) -> seconds; undefined when not a duration from 10 s to `maxSeconds`. */
export function parseLookback(text: string, maxSeconds: number): number | undefined {
  const m = /^\s*-?(\d{1,6})\s*(s|m|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h']);
  return n >= 10 && n <= maxSeconds ? n : undefined;
}
