// Pod, namespace and container names go into the profile stores' label selectors (Prometheus-style matchers
// `label op "value"`, read by Parca with Prometheus' parser and by Pyroscope with the same grammar). A name
// is put in only through these escapes, so it cannot end the string literal or add a matcher of its own.

/** Go/Prometheus double-quoted string escaping: backslash, quote, and control characters. */
export function escapeStringLiteral(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** A PromQL double-quoted string literal holding exactly `s`. */
export function promqlString(s: string): string {
  return `"${escapeStringLiteral(s)}"`;
}

/** `s` as an RE2 pattern matching exactly `s` (metacharacters escaped), for =~ and !~ matchers. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
