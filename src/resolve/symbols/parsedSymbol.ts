// The normalised shape every language's symbol parser produces, and small text helpers they share.
// A profiler gives a function name only ("main.(*productCatalog).parseCatalog"); the resolver matches
// `qualifiedParts` against the qualified names of workspace definitions (src/resolve/definitionIndex.ts).

export type SymbolLanguage = 'go' | 'cpp' | 'rust' | 'java' | 'node' | 'python';

export interface ParsedSymbol {
  readonly language: SymbolLanguage;
  /**
   * Qualifiers then the function name, outermost first, generics and hashes removed:
   * ['main','productCatalog','parseCatalog'], ['shop','pricing','PriceEngine','discountFor'],
   * ['ledger','ledger','accounts','Ledger','checksum']. Go keeps the whole import path as the first part.
   */
  readonly qualifiedParts: readonly string[];
  /** The function name (last of qualifiedParts). Empty for anonymous functions that only have a location. */
  readonly name: string;
  /** Receiver type (Go), class (C++/Java/Python/JS) or impl type (Rust), when the symbol names one. */
  readonly container?: string;
  /** C++ argument types as printed by the demangler, used to pick among overloads. */
  readonly params?: readonly string[];
  /** Source file the runtime reported (Node, Python): a container path such as /app/report.js. */
  readonly pathHint?: string;
  readonly lineHint?: number;
  readonly columnHint?: number;
  /** The frame is a closure/lambda inside the named function (Go func1, Rust {{closure}}, Java lambda$). */
  readonly isClosure?: boolean;
  /**
   * Closure numbering, 1-based, outermost first, each number counting the closures written directly in the
   * previous one: Go main.f.func2.1 -> [2, 1], Rust v0 f::{closure#1}::{closure#0} -> [2, 1]. (C++ numbers
   * lambdas differently: see cppLambdas.)
   */
  readonly closurePath?: readonly number[];
  /**
   * C++ `f()::{lambda(int const&)#3}::operator()(int const&) const::{lambda()#1}`: each lambda level, outermost
   * first, as [{params: ['int&'], n: 3}, {params: [], n: 1}]. N is not a position: see src/resolve/cppLambdaSite.ts.
   */
  readonly cppLambdas?: readonly CppLambda[];
  /** Python `f.<locals>.<lambda>`: the innermost anonymous code object's name (`<lambda>`, `<genexpr>`, ...). */
  readonly pythonCodeName?: string;
  /** Java `lambda$method$N`: javac's N (0-based, counted over the whole class). */
  readonly lambdaIndex?: number;
  /** Rust: how many `{{closure}}` levels follow the function (closures carry no number). */
  readonly closureDepth?: number;
  /** Rust `<T as Trait>::m` and C++/Rust trait-like qualifiers, informative only. */
  readonly trait?: string;
  /** Go: package import path ('main' for commands). */
  readonly goPackagePath?: string;
  /** The name after demangling / unescaping, for hovers. */
  readonly display: string;
}

/** One `{lambda(<params>)#N}` of a C++ symbol. */
export interface CppLambda {
  /** Parameter types normalised with normaliseCppLambdaParam ([] for `{lambda()#1}`). */
  readonly params: readonly string[];
  /** The demangler's N (1-based); 0 for clang's `$_N`, whose number the source cannot place (see cppSymbol). */
  readonly n: number;
}

/** Splits `text` on `sep` where not nested inside (), <>, [], {}. */
export function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '<' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === '>' || c === ']' || c === '}') && depth > 0) {
      // `->` in C++ (operator->) is not a closing bracket.
      if (!(c === '>' && text[i - 1] === '-')) depth--;
    } else if (depth === 0 && text.startsWith(sep, i)) {
      out.push(text.slice(start, i));
      i += sep.length - 1;
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Removes every balanced `open...close` group (e.g. template or generic arguments); `open` and `close` are
 * single characters. An unmatched `close` stays; an unclosed group is dropped to the end.
 */
export function stripGroups(text: string, open: string, close: string): string {
  const o = open.charCodeAt(0);
  let i = text.indexOf(open);
  if (i < 0) return text;
  // Runs of text outside groups are copied as slices, not character by character.
  const c = close.charCodeAt(0);
  let out = '';
  let depth = 0;
  let run = 0;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === o) {
      if (depth === 0) out += text.slice(run, i);
      depth++;
    } else if (ch === c && depth > 0 && --depth === 0) run = i + 1;
  }
  return depth === 0 ? out + text.slice(run) : out;
}

/** Index of the bracket that opens the group closed at `closeIndex`, or -1. */
export function matchingOpen(text: string, closeIndex: number, open: string, close: string): number {
  let depth = 0;
  for (let i = closeIndex; i >= 0; i--) {
    if (text[i] === close) depth++;
    else if (text[i] === open && --depth === 0) return i;
  }
  return -1;
}

export function lastOf<T>(items: readonly T[]): T | undefined {
  return items.length > 0 ? items[items.length - 1] : undefined;
}

/**
 * `name` without the `+0x1f` / `+113` offset perf and bpftrace append to any language's symbol
 * (the offset says where in the function, not which function).
 */
export function withoutOffset(name: string): string {
  const plus = offsetStart(name);
  return plus < 0 ? name : name.slice(0, plus);
}

/** True when `name` ends in a `+0x1f` / `+113` offset (withoutOffset would cut it), without allocating. */
export function hasOffset(name: string): boolean {
  return offsetStart(name) >= 0;
}

/**
 * Index of the '+' of a trailing `+0x71` / `+113` offset, else -1. Read from the end: a name ending in a
 * letter past `f` (most of them) is settled at its last character, without a search for '+'.
 */
export function offsetStart(name: string): number {
  let start = name.length;
  while (start > 0 && isHexDigit(name.charCodeAt(start - 1))) start--;
  if (start === name.length || start === 0) return -1;
  const before = name.charCodeAt(start - 1);
  // `+113`: decimal digits only.
  if (before === 43 /* + */) {
    for (let i = start; i < name.length; i++) if (name.charCodeAt(i) > 57) return -1;
    return start - 1 > 0 ? start - 1 : -1;
  }
  // `+0x71`.
  const plus = start - 3;
  return (before | 32) === 120 /* x */ && plus > 0 && name.charCodeAt(start - 2) === 48 && name.charCodeAt(plus) === 43 ? plus : -1;
}

/** 0-9, a-f, A-F. */
function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}
