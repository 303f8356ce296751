// Go source reduced to what declares things: the inside of every top-level brace block, top-level comments
// and the inside of top-level `const (...)` / `var (...)` groups are removed, but their line breaks kept.
// Definitions in Go are all at the top level and bodies plus doc comments are most of the text, so parsing
// the reduced text finds the same declarations, with the same lines and end lines, several times faster.
// The scanner knows Go's strings, raw strings, runes and comments, so brackets inside them are ignored.
// Since it walks every body anyway, it also notes where func literals (closures) start and end.
import { funcLiteralBody, funcSignatureEnd, isIdentPart } from './goFuncLiterals';

/**
 * `src` with bodies elided. When `literals` is given, the func literals inside top-level brace blocks are
 * appended to it as [offset of `func`, offset of the body's closing brace] pairs, in source order.
 */
export function elideGoBodies(src: string, literals?: number[]): string {
  const out: string[] = [];
  let keepFrom = 0; // start of text not yet copied to out (only meaningful at depth 0)
  let depth = 0; // brace depth, or paren depth of an elided const/var group
  let closer = 0; // the bracket that ends the current elided block
  let opener = 0;
  let bodyFrom = 0; // first offset inside the current elided block (its line breaks are counted when it closes)
  // Func literals: the body brace of the next literal found, and the open ones (index into literals, brace depth).
  let pendingBody = -1;
  let pendingSlot = -1;
  const openLiterals: number[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    // Most characters matter to none of the cases below: one table load skips them.
    if (c >= 128 || STOPS[c] === 0) {
      i++;
    } else if (c === 47 && (src.charCodeAt(i + 1) === 47 || src.charCodeAt(i + 1) === 42)) {
      const line = src.charCodeAt(i + 1) === 47;
      const end = line ? src.indexOf('\n', i) : src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : line ? end : end + 2;
      if (depth === 0) {
        out.push(src.slice(keepFrom, i), '\n'.repeat(line ? 0 : countNewlines(src, i, stop)));
        keepFrom = stop;
      }
      i = stop;
    } else if (c === 34 || c === 39) {
      i = skipQuoted(src, i, c);
    } else if (c === 96) {
      const end = src.indexOf('`', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (depth === 0 && (c === 123 || (c === 40 && precededByGroupKeyword(src, i)))) {
      out.push(src.slice(keepFrom, i + 1));
      opener = c;
      closer = c === 123 ? 125 : 41;
      depth = 1;
      bodyFrom = ++i;
    } else if (depth > 0 && c === opener) {
      depth++;
      if (i === pendingBody && literals) {
        openLiterals.push(pendingSlot, depth);
        pendingBody = -1;
      }
      i++;
    } else if (depth > 0 && c === closer) {
      if (openLiterals.length > 0 && openLiterals[openLiterals.length - 1] === depth) {
        literals![openLiterals[openLiterals.length - 2]] = i;
        openLiterals.length -= 2;
      }
      if (--depth === 0) {
        openLiterals.length = 0;
        pendingBody = -1;
        out.push('\n'.repeat(countNewlines(src, bodyFrom, i)));
        keepFrom = i;
      }
      i++;
    } else if (c === 102 && literals && depth > 0 && opener === 123 && src.startsWith('func', i) && !isIdentPart(src.charCodeAt(i + 4)) && (i === 0 || !isIdentPart(src.charCodeAt(i - 1)))) {
      const end = funcSignatureEnd(src, i);
      if (end < 0) {
        i += 4;
        continue;
      }
      const body = funcLiteralBody(src, i, end);
      if (body > i) {
        literals.push(i, -1);
        pendingSlot = literals.length - 1;
        pendingBody = body;
      }
      // Past the signature (its brackets are balanced): a func type in it is no literal.
      i = end;
    } else i++;
  }
  // Literals left open by unbalanced text: dropped.
  if (literals) for (let k = literals.length - 2; k >= 0; k -= 2) if (literals[k + 1] < 0) literals.splice(k, 2);
  if (depth > 0) out.push('\n'.repeat(countNewlines(src, bodyFrom, n)) + String.fromCharCode(closer));
  else out.push(src.slice(keepFrom));
  return out.join('');
}

/** The ASCII characters the scanner stops at: comment and literal starts, brackets, and `f` of `func`. */
const STOPS = new Uint8Array(128);
for (const ch of '/"\'`{}()f') STOPS[ch.charCodeAt(0)] = 1;

/** True for the `(` of `const (`, `var (` (groups of values; `import (` and `type (` are kept). */
function precededByGroupKeyword(src: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && (src[j] === ' ' || src[j] === '\t')) j--;
  const word = src.slice(Math.max(0, j - 4), j + 1);
  return (word.endsWith('const') && (j - 5 < 0 || /\s/.test(src[j - 5]))) || (word.endsWith('var') && (j - 3 < 0 || /\s/.test(src[j - 3])));
}

function skipQuoted(src: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 92) i += 2; // backslash escape
    else if (c === quote || c === 10) return i + 1; // unterminated literals stop at the line end
    else i++;
  }
  return i;
}

function countNewlines(src: string, from: number, to: number): number {
  let count = 0;
  for (let i = src.indexOf('\n', from); i >= 0 && i < to; i = src.indexOf('\n', i + 1)) count++;
  return count;
}
