// The look-back window of a profile-store query (Pyroscope, Parca): the last N seconds up to an end time,
// bounded the same way for both stores, and its text as pickers, labels and messages say it ("90s", "5m").
import type { StoreErrorKind } from './storeErrors';

export const defaultStoreWindowSeconds = 60;
/** Longest window accepted (a merge over a whole day is already a heavy query). */
export const maxStoreWindowSeconds = 24 * 3600;

/** 90 -> "90s", 300 -> "5m", 7200 -> "2h". */
export function windowText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${Math.round(seconds)}s`;
}

/** [end - seconds, end] in ms since epoch; a window outside 1 s..24 h is the store's 'bad-input' error. */
export function lookbackWindow<E>(
  seconds: number,
  endMs: number,
  store: string,
  make: (kind: StoreErrorKind, message: string) => E,
): { start: number; end: number; text: string } {
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > maxStoreWindowSeconds) {
    throw make('bad-input', `The ${store} window must be 1 s to 24 h (got ${seconds} s).`);
  }
  const end = Math.floor(endMs);
  return { start: end - Math.round(seconds * 1000), end, text: windowText(seconds) };
}
