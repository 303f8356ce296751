// Number formatting shared by CodeLens, hovers and the status bar.

export function percent(value: number, total: number): string {
  if (!(total > 0)) return '0%';
  const p = (100 * value) / total;
  return p > 0 && p < 0.1 ? '<0.1%' : `${p.toFixed(1)}%`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1,234 samples" or "1.23 s" depending on the profile's unit. */
export function amount(n: number, unit: 'samples' | 'nanoseconds' | 'count'): string {
  if (unit === 'nanoseconds') {
    const s = n / 1e9;
    return s >= 1 ? `${s.toFixed(2)} s CPU` : `${(n / 1e6).toFixed(1)} ms CPU`;
  }
  return `${count(n)} ${n === 1 ? 'sample' : 'samples'}`;
}
