// Look-back windows as people type and read them: 90s, 10m, 2h.

/** Seconds as the pickers and labels say them: 90 s -> "90s", 300 -> "5m", 7200 -> "2h". */
export function lookbackText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** "90s", "10m", "2h", "45" (seconds) -> seconds; undefined when not a duration from 10 s to `maxSeconds`. */
export function parseLookback(text: string, maxSeconds: number): number | undefined {
  const m = /^\s*-?(\d{1,6})\s*(s|m|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h']);
  return n >= 10 && n <= maxSeconds ? n : undefined;
}
