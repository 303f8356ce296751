// Go symbol names as the runtime, perf, BCC and bpftrace print them:
//   main.(*productCatalog).parseCatalog          pointer receiver
//   github.com/org/repo/pkg.T.Method             value receiver, full import path
//   net/http.(*Server).Serve.func3               closure (func<N>, nested .func1.2)
//   pkg.Map[...].Get / pkg.Sum[go.shape.int]     generics (instantiation elided or spelled out)
//   runtime.goexit.abi0                          ABI wrapper suffix
//   main.(*productCatalog).readCatalogFile+113   bpftrace offset
import { ParsedSymbol, offsetStart, stripGroups } from './parsedSymbol';

// Identifiers may use any Unicode letter (`reflect.T.ΦExported`). The same shape for ASCII letters alone
// is matched first: its compiled code runs about three times as fast, and nearly every name is ASCII.
const GO_SHAPE = /^[a-z][\w.%-]*(\/[\w.~%-]+)*\.[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)?$/u;
const GO_SHAPE_ASCII = /^[a-z][\w.%-]*(\/[\w.~%-]+)*\.[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/;
const NON_ASCII = /[^\0-\x7f]/;

/** True when `name` has the shape of a Go symbol (used to rank interpretations of ambiguous names). */
export function looksLikeGo(name: string): boolean {
  // `pkg.(*T).M-fm`: the wrapper the compiler makes for a method value (`f := t.M`).
  if (name.endsWith('-fm')) return looksLikeGo(name.slice(0, -3));
  // `.(` receiver, `.funcN` closure, `.abi0` wrapper: checked by scanning, not by regex (this runs per frame).
  if (hasReceiver(name) || closureSuffix(name) || initSuffix(name) || name.endsWith('.abi0')) return true;
  // Generic instantiations `pkg.Sum[go.shape.int_0]` / `pkg.F[...]` are checked without their arguments,
  // which may hold spaces and ';' (`pkg.Sum[go.shape.struct { A int; B string }_0]`, as the binary names it).
  const s = name.includes('[') ? stripGroups(name, '[', ']') : name;
  if (s.includes('::') || s.includes(' ') || s.includes('$')) return false;
  // (An ASCII name GO_SHAPE_ASCII refuses, GO_SHAPE refuses too.)
  return GO_SHAPE_ASCII.test(s) || (NON_ASCII.test(s) && GO_SHAPE.test(s));
}

/** `.(` followed by `*`? and an identifier start. */
function hasReceiver(name: string): boolean {
  for (let i = name.indexOf('.('); i >= 0; i = name.indexOf('.(', i + 2)) {
    let k = i + 2;
    if (name.charCodeAt(k) === 42 /* * */) k++;
    if (isIdentStart(name.charCodeAt(k))) return true;
  }
  return false;
}

/** Ends in `.func<N>` optionally followed by `.<N>` groups. */
function closureSuffix(name: string): boolean {
  let end = name.length;
  for (;;) {
    let k = end;
    while (k > 0 && isDigit(name.charCodeAt(k - 1))) k--;
    if (k === end) return false;
    if (k >= 5 && name.startsWith('.func', k - 5)) return true;
    if (k === 0 || name.charCodeAt(k - 1) !== 46) return false;
    end = k - 1;
  }
}

/** Ends in `.init.<N>`: the Nth of a package's several init functions (`main.init.0`). */
function initSuffix(name: string): boolean {
  let k = name.length;
  while (k > 0 && isDigit(name.charCodeAt(k - 1))) k--;
  return k < name.length && k >= 6 && name.startsWith('.init.', k - 6);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  // Non-ASCII: taken as a letter (Go identifiers may use any Unicode letter; symbols hold no other).
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

function isIdent(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

// Tokens of a symbol are read in place, as [start, end) ranges of the string: a name is parsed once per
// distinct frame, and slicing every token (or matching it with a regex) was most of what parsing allocated.

/** The identifier of a receiver token `(*T)` / `(T)` at [start, end) of `s`, or undefined. */
function receiverTypeAt(s: string, start: number, end: number): string | undefined {
  if (end - start < 3 || s.charCodeAt(start) !== 40 || s.charCodeAt(end - 1) !== 41) return undefined;
  const from = s.charCodeAt(start + 1) === 42 ? start + 2 : start + 1;
  if (from >= end - 1 || !isIdentStart(s.charCodeAt(from))) return undefined;
  for (let i = from + 1; i < end - 1; i++) if (!isIdent(s.charCodeAt(i))) return undefined;
  return s.slice(from, end - 1);
}

/** The decimal number [start, end) of `s` (non-empty, digits only), else -1. */
function numberAt(s: string, start: number, end: number): number {
  if (end <= start) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  // Beyond 2^53 digit by digit may round differently than Number(): never a closure number in practice.
  return end - start <= 15 ? n : Number(s.slice(start, end));
}

/** N of `funcN` / `gowrapN` / `deferwrapN` / a bare `N` (nested closure) at [start, end) of `s`, else -1. */
function closureNumberAt(s: string, start: number, end: number): number {
  const bare = numberAt(s, start, end);
  if (bare >= 0) return bare;
  // (Indexed loop: runs per frame, also before the code is optimised, when for-of allocates.)
  for (let k = 0; k < CLOSURE_PREFIXES.length; k++) {
    const prefix = CLOSURE_PREFIXES[k];
    if (end - start > prefix.length && s.startsWith(prefix, start)) return numberAt(s, start + prefix.length, end);
  }
  return -1;
}

const CLOSURE_PREFIXES = ['func', 'gowrap', 'deferwrap'];

/**
 * Where the closure tokens that end `s` start (`F.func2.1`, `F.gowrap1`: the index of the '.' before
 * `func2`), or -1 when the last token is no closure token. Every trailing token that closureNumberAt
 * reads as a number is taken, as parseGoSymbol does with the tokens after the function name, so for a
 * `s` whose part before them is a symbol of the index, parseGoSymbol names that symbol's function and
 * the closure numbers are those of the tokens (see goClosureNumberAt). Allocates nothing.
 */
export function goClosureSuffixStart(s: string): number {
  let end = s.length;
  let start = -1;
  while (end > 0) {
    const dot = s.lastIndexOf('.', end - 1);
    if (dot < 0 || closureNumberAt(s, dot + 1, end) < 0) break;
    start = dot;
    end = dot;
  }
  return start;
}

/** The number of the closure token [start, end) of `s` (`func2`, `gowrap1`, `1`), else -1. */
export function goClosureNumberAt(s: string, start: number, end: number): number {
  return closureNumberAt(s, start, end);
}

/** End of the token starting at `start`: the next '.' outside parentheses, or the end of `s`. */
function tokenEnd(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (c === 46 && depth === 0) return i;
  }
  return s.length;
}

export function parseGoSymbol(raw: string): ParsedSymbol | undefined {
  // Hot path (one call per distinct frame name): plain string scans, no regex replace on the common shapes.
  const display = needsTrim(raw) ? raw.trim() : raw;
  let s = display;
  const plus = offsetStart(s);
  if (plus >= 0) s = s.slice(0, plus);
  const abi = s.lastIndexOf('.');
  if (abi > 0 && (isWordAt(s, abi + 1, 'abi0') || isWordAt(s, abi + 1, 'abiinternal'))) s = s.slice(0, abi);
  // A method value's wrapper (`pkg.(*T).M-fm`) stands for the method.
  if (s.endsWith('-fm')) s = s.slice(0, -3);
  // Generic instantiations: drop [...] (balanced), also inside the receiver: (*List[...]).Push.
  s = stripGroups(s, '[', ']');
  const slash = s.lastIndexOf('/');
  const dot = s.indexOf('.', slash + 1);
  if (dot <= 0 || dot === s.length - 1) return undefined;
  // The linker escapes '.' (and '%') in the last element of an import path: gopkg.in/yaml%2ev3.Unmarshal.
  const pkgPath = s.includes('%') ? unescapeImportPath(s.slice(0, dot)) : s.slice(0, dot);
  // Tokens split on '.' outside parentheses: "(*T).M.func1" -> (*T), M, func1. The second is absent (-1)
  // when the first runs to the end.
  const start0 = dot + 1;
  const end0 = tokenEnd(s, start0);
  const start1 = end0 + 1;
  const end1 = end0 < s.length ? tokenEnd(s, start1) : -1;
  let container: string | undefined;
  let name: string;
  // End of the last token read: closure numbers follow it.
  let read: number;
  const receiver = receiverTypeAt(s, start0, end0);
  if (receiver !== undefined) {
    container = receiver;
    name = end1 >= 0 ? s.slice(start1, end1) : '';
    read = end1 >= 0 ? end1 : s.length;
  } else if (end1 >= 0 && closureNumberAt(s, start1, end1) < 0 && !(end1 === start1 && end0 - start0 === 4 && s.startsWith('glob', start0))) {
    // (`glob..func1`, empty second token, is a closure of a package-level initialiser; `glob.M` is method M
    // of a type named glob.)
    // T.Method (value receiver) as opposed to Func.func1 (closure).
    container = s.slice(start0, end0);
    name = s.slice(start1, end1);
    read = end1;
  } else {
    name = s.slice(start0, end0);
    read = end0;
  }
  if (!name) return undefined;
  let closurePath: number[] | undefined;
  // `init.0` is the first of several package init functions, not a closure.
  if (name !== 'init') {
    while (read < s.length) {
      const start = read + 1;
      read = tokenEnd(s, start);
      const n = closureNumberAt(s, start, read);
      if (n >= 0) (closurePath ??= []).push(n);
    }
  }
  return {
    language: 'go',
    qualifiedParts: container !== undefined ? [pkgPath, container, name] : [pkgPath, name],
    name,
    container,
    goPackagePath: pkgPath,
    isClosure: closurePath !== undefined || undefined,
    closurePath,
    display,
  };
}

function unescapeImportPath(path: string): string {
  // %XX are bytes of the UTF-8 path (see escapeImportPath).
  return Buffer.from(path.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

/**
 * The import path as the linker spells it in symbols (Go's objabi.PathToPrefix): '%', '"', spaces, control
 * and non-ASCII bytes as %xx everywhere, and '.' as %2e in the last element (gopkg.in/yaml%2ev3).
 */
export function escapeImportPath(path: string): string {
  const slash = path.lastIndexOf('/');
  let plain = true;
  for (let i = 0; i < path.length && plain; i++) plain = !needsEscape(path.charCodeAt(i), i > slash);
  if (plain) return path;
  const bytes = Buffer.from(path, 'utf8');
  // Byte offsets differ from character offsets only after non-ASCII characters, which contain no '/'.
  const lastSlash = bytes.lastIndexOf(47);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    out += needsEscape(c, i > lastSlash) ? `%${c.toString(16).padStart(2, '0')}` : String.fromCharCode(c);
  }
  return out;
}

function needsEscape(c: number, inLastElement: boolean): boolean {
  return c <= 32 || c === 37 || c === 34 || c >= 0x7f || (c === 46 && inLastElement);
}

function needsTrim(s: string): boolean {
  return s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32);
}

/** `s` from `start` to its end is `word` (lower case), ignoring case. */
function isWordAt(s: string, start: number, word: string): boolean {
  if (s.length - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    const c = s.charCodeAt(start + k);
    const w = word.charCodeAt(k);
    if (c !== w && !(c >= 65 && c <= 90 && c + 32 === w)) return false;
  }
  return true;
}
