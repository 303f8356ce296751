// kubectl-style ages for pod pickers: 45s, 12m, 3h, 5d.
export function formatAge(since: Date | undefined, now = Date.now()): string {
  if (!since || Number.isNaN(since.getTime())) return '?';
  const s = Math.max(0, Math.floor((now - since.getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
