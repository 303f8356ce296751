// Go symbol names as the runtime, perf, BCC and bpftrace print them:
//   main.(*productCatalog).parseCatalog          pointer receiver
//   github.com/org/repo/pkg.T.Method             value receiver, full import path
//   net/http.(*Server).Serve.func3               closure (func<N>, nested .func1.2)
//   pkg.Map[...].Get / pkg.Sum[go.shape.int]     generics (instantiation elided or spelled out)
//   runtime.goexit.abi0                          ABI wrapper suffix
//   main.(*productCatalog).readCatalogFile+113   bpftrace offset
import { ParsedSymbol, stripGroups } from './parsedSymbol';

const CLOSURE = /^(func|gowrap|deferwrap)(\d+)$/;
const GO_SHAPE = /^[a-z][\w.%-]*(\/[\w.~%-]+)*\.[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/;

/** True when `name` has the shape of a Go symbol (used to rank interpretations of ambiguous names). */
export function looksLikeGo(name: string): boolean {
  // `.(` receiver, `.funcN` closure, `.abi0` wrapper: checked by scanning, not by regex (this runs per frame).
  if (hasReceiver(name) || closureSuffix(name) || initSuffix(name) || name.endsWith('.abi0')) return true;
  if (name.includes('::') || name.includes(' ') || name.includes('$')) return false;
  // Generic instantiations `pkg.Sum[go.shape.int_0]` / `pkg.F[...]` are checked without their arguments.
  return GO_SHAPE.test(name.includes('[') ? stripGroups(name, '[', ']') : name);
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
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdent(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** `+113` or `+0x71` at the end (bpftrace offsets): the index of '+', or -1. */
function offsetSuffix(s: string): number {
  const plus = s.lastIndexOf('+');
  if (plus < 0 || plus === s.length - 1) return -1;
  const hex = s.charCodeAt(plus + 1) === 48 && (s.charCodeAt(plus + 2) | 32) === 120;
  const from = hex ? plus + 3 : plus + 1;
  if (from >= s.length) return -1;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = isDigit(c) || (hex && ((c | 32) >= 97 && (c | 32) <= 102));
    if (!ok) return -1;
  }
  return plus;
}

/** The identifier of a receiver token `(*T)` / `(T)`, or undefined. */
function receiverType(token: string): string | undefined {
  const n = token.length;
  if (n < 3 || token.charCodeAt(0) !== 40 || token.charCodeAt(n - 1) !== 41) return undefined;
  const from = token.charCodeAt(1) === 42 ? 2 : 1;
  if (from >= n - 1 || !isIdentStart(token.charCodeAt(from))) return undefined;
  for (let i = from + 1; i < n - 1; i++) if (!isIdent(token.charCodeAt(i))) return undefined;
  return token.slice(from, n - 1);
}

function isNumber(token: string): boolean {
  if (token.length === 0) return false;
  for (let i = 0; i < token.length; i++) if (!isDigit(token.charCodeAt(i))) return false;
  return true;
}

/** N of `funcN` / `gowrapN` / `deferwrapN` / a bare `N` (nested closure), else -1. */
function closureNumber(token: string): number {
  if (isNumber(token)) return Number(token);
  const c = token.charCodeAt(0);
  if (c !== 102 && c !== 103 && c !== 100) return -1; // f, g, d
  const m = CLOSURE.exec(token);
  return m ? Number(m[2]) : -1;
}

export function parseGoSymbol(raw: string): ParsedSymbol | undefined {
  // Hot path (one call per distinct frame name): plain string scans, no regex replace on the common shapes.
  const display = needsTrim(raw) ? raw.trim() : raw;
  let s = display;
  const plus = offsetSuffix(s);
  if (plus >= 0) s = s.slice(0, plus);
  const abi = s.lastIndexOf('.');
  if (abi > 0 && s.length - abi <= 12) {
    const tail = s.slice(abi + 1).toLowerCase();
    if (tail === 'abi0' || tail === 'abiinternal') s = s.slice(0, abi);
  }
  // Generic instantiations: drop [...] (balanced), also inside the receiver: (*List[...]).Push.
  s = stripGroups(s, '[', ']');
  const slash = s.lastIndexOf('/');
  const dot = s.indexOf('.', slash + 1);
  if (dot <= 0 || dot === s.length - 1) return undefined;
  // The linker escapes '.' (and '%') in the last element of an import path: gopkg.in/yaml%2ev3.Unmarshal.
  const pkgPath = s.includes('%') ? unescapeImportPath(s.slice(0, dot)) : s.slice(0, dot);
  const tokens = tokenize(s, dot + 1);
  let container: string | undefined;
  let name: string;
  let i = 0;
  const receiver = receiverType(tokens[0]);
  if (receiver !== undefined) {
    container = receiver;
    name = tokens[1] ?? '';
    i = 2;
  } else if (tokens.length >= 2 && closureNumber(tokens[1]) < 0 && tokens[0] !== 'glob') {
    // T.Method (value receiver) as opposed to Func.func1 (closure).
    container = tokens[0];
    name = tokens[1];
    i = 2;
  } else {
    name = tokens[0];
    i = 1;
  }
  if (!name) return undefined;
  let closurePath: number[] | undefined;
  // `init.0` is the first of several package init functions, not a closure.
  if (name !== 'init') {
    for (; i < tokens.length; i++) {
      const n = closureNumber(tokens[i]);
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
  return path.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The import path as the linker spells it in symbols: '.' and '%' of the last element as %2e / %25. */
export function escapeImportPath(path: string): string {
  const slash = path.lastIndexOf('/');
  const last = path.slice(slash + 1);
  if (!last.includes('.') && !last.includes('%')) return path;
  return path.slice(0, slash + 1) + last.replace(/%/g, '%25').replace(/\./g, '%2e');
}

function needsTrim(s: string): boolean {
  return s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32);
}

/** Splits `s` from `from` on '.' outside parentheses: "(*T).M.func1" -> ["(*T)", "M", "func1"]. */
function tokenize(s: string, from: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (c === 46 && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
