// Go func literals (the closures the toolchain names `F.func1`, `F.func2.1`) found without a syntax tree:
// the body elision scan (goBodyElision) already walks every byte of every function body at index time,
// skipping strings and comments, so it stops at each `func` keyword and asks funcLiteralBody whether a
// literal starts there. Reading the sites then costs the resolver nothing: no file is re-read or re-parsed.
// Same answers as tree-sitter's func_literal nodes (checked on the whole standard library by the
// indexSpeed bench and on tricky shapes by goFuncLiterals.test.ts).
import type { ClosureSite } from './definition';

/**
 * End of the signature after the `func` keyword at `at` (the caller knows `func` is a whole word there,
 * outside strings and comments): parameters, then an optional result list or type; -1 if none parses.
 * The caller skips to it, so a `func` inside a signature (`func() func() int`) is never taken for another.
 */
export function funcSignatureEnd(src: string, at: number): number {
  return skipSignature(src, at + 4);
}

/**
 * Offset of the `{` opening the body of the func literal whose `func` keyword is at `at` and whose signature
 * ends at `signatureEnd`, or -1 when it is a func type: `var f func(int) int`, `chan func()`,
 * `[]func(){a, b}` (a composite literal of func values). A literal's body starts on the line its signature
 * ends (Go inserts a semicolon at a line end after `)`).
 */
export function funcLiteralBody(src: string, at: number, signatureEnd: number): number {
  // `]func(...)` is the element type of a slice, array or map literal.
  let p = at - 1;
  while (p >= 0 && isBlank(src.charCodeAt(p))) p--;
  if (p >= 0 && src.charCodeAt(p) === 93) return -1;
  const brace = skipBlanks(src, signatureEnd);
  return src.charCodeAt(brace) === 123 ? brace : -1;
}

/** After `func`: parameters, then an optional result list or type. Offset after it, or -1. */
function skipSignature(src: string, from: number): number {
  let i = skipBlanks(src, from);
  if (src.charCodeAt(i) !== 40) return -1;
  i = skipGroup(src, i);
  if (i < 0) return -1;
  const r = skipBlanks(src, i);
  const c = src.charCodeAt(r);
  if (c === 40) return skipGroup(src, r);
  if (startsType(src, r)) return skipType(src, r);
  return i;
}

/** True when a result type starts at `i` (an identifier, `*`, `[`, `<-`, or a keyword type). */
function startsType(src: string, i: number): boolean {
  const c = src.charCodeAt(i);
  return isIdentStart(c) || c === 42 || c === 91 || (c === 60 && src.charCodeAt(i + 1) === 45);
}

/** One type expression starting at `i`; offset after it, or -1. */
function skipType(src: string, i: number): number {
  for (let guard = 0; guard < 64; guard++) {
    const c = src.charCodeAt(i);
    if (c === 42) {
      i = skipBlanks(src, i + 1); // *T
    } else if (c === 91) {
      i = skipGroup(src, i); // []T, [N]T
      if (i < 0) return -1;
      i = skipBlanks(src, i);
    } else if (c === 60 && src.charCodeAt(i + 1) === 45) {
      i = skipBlanks(src, i + 2); // <-chan T
    } else if (c === 40) {
      return skipGroup(src, i); // (T)
    } else if (isIdentStart(c)) {
      const wordEnd = skipIdent(src, i);
      const word = src.slice(i, wordEnd);
      if (word === 'func') return skipSignature(src, wordEnd);
      if (word === 'struct' || word === 'interface') {
        const open = skipBlanks(src, wordEnd);
        return src.charCodeAt(open) === 123 ? skipGroup(src, open) : -1;
      }
      if (word === 'map') {
        const open = skipBlanks(src, wordEnd);
        if (src.charCodeAt(open) !== 91) return -1;
        i = skipGroup(src, open);
        if (i < 0) return -1;
        i = skipBlanks(src, i);
        continue;
      }
      if (word === 'chan') {
        i = skipBlanks(src, wordEnd);
        if (src.charCodeAt(i) === 60 && src.charCodeAt(i + 1) === 45) i = skipBlanks(src, i + 2);
        continue;
      }
      // A (qualified) type name, maybe with type arguments.
      let e = wordEnd;
      if (src.charCodeAt(e) === 46 && isIdentStart(src.charCodeAt(e + 1))) e = skipIdent(src, e + 1);
      return src.charCodeAt(e) === 91 ? skipGroup(src, e) : e;
    } else {
      return -1;
    }
  }
  return -1;
}

/** From an opening `(`, `[` or `{` to just after its match (strings, runes and comments skipped); -1 if none. */
function skipGroup(src: string, open: number): number {
  let depth = 0;
  const n = src.length;
  let i = open;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth === 0) return i + 1;
    } else if (c === 34 || c === 39) {
      i = skipQuoted(src, i, c);
      continue;
    } else if (c === 96) {
      const e = src.indexOf('`', i + 1);
      if (e < 0) return -1;
      i = e + 1;
      continue;
    } else if (c === 47 && src.charCodeAt(i + 1) === 47) {
      const e = src.indexOf('\n', i);
      if (e < 0) return -1;
      i = e;
      continue;
    } else if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const e = src.indexOf('*/', i + 2);
      if (e < 0) return -1;
      i = e + 2;
      continue;
    }
    i++;
  }
  return -1;
}

function skipQuoted(src: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === quote || c === 10) return i + 1;
    else i++;
  }
  return i;
}

/** Spaces, tabs and one-line block comments: a line break ends the signature. */
function skipBlanks(src: string, i: number): number {
  for (;;) {
    const c = src.charCodeAt(i);
    if (isBlank(c)) i++;
    else if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const e = src.indexOf('*/', i + 2);
      const nl = src.indexOf('\n', i + 2);
      if (e < 0 || (nl >= 0 && nl < e)) return i;
      i = e + 2;
    } else return i;
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function skipIdent(src: string, i: number): number {
  while (isIdentPart(src.charCodeAt(i))) i++;
  return i;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/**
 * The func literals of a file as trees of ClosureSite, from `spans`: [funcOffset, closingBraceOffset, ...]
 * in source order of their `func` keywords (so an enclosing literal comes before the ones inside it).
 */
export function closureForest(src: string, spans: readonly number[]): ClosureSite[] {
  const top: ClosureSite[] = [];
  if (spans.length === 0) return top;
  // Lines by counting line breaks up to each offset; offsets are visited in increasing order per pass.
  const starts: number[] = [];
  const ends: number[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    starts.push(spans[k]);
    ends.push(spans[k + 1]);
  }
  const startLines = linesOf(src, starts);
  const endLines = linesOf(src, [...ends].sort((a, b) => a - b));
  const endLineOf = new Map<number, number>();
  [...ends].sort((a, b) => a - b).forEach((o, k) => endLineOf.set(o, endLines[k]));
  // Open literals, innermost last, with the offset where each ends.
  const open: Array<{ site: ClosureSite & { children: ClosureSite[] }; end: number }> = [];
  for (let k = 0; k < starts.length; k++) {
    while (open.length > 0 && open[open.length - 1].end < starts[k]) open.pop();
    const site = { line: startLines[k], endLine: endLineOf.get(ends[k])!, children: [] as ClosureSite[] };
    (open.length > 0 ? open[open.length - 1].site.children : top).push(site);
    open.push({ site, end: ends[k] });
  }
  return top;
}

/** 1-based line of each offset of the ascending `offsets`. */
function linesOf(src: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let nl = src.indexOf('\n');
  for (const o of offsets) {
    while (nl >= 0 && nl < o) {
      line++;
      nl = src.indexOf('\n', nl + 1);
    }
    out.push(line);
  }
  return out;
}
