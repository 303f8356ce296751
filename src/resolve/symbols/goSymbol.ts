// Go symbol names as the runtime, perf, BCC and bpftrace print them:
//   main.(*productCatalog).parseCatalog          pointer receiver
//   github.com/org/repo/pkg.T.Method             value receiver, full import path
//   net/http.(*Server).Serve.func3               closure (func<N>, nested .func1.2)
//   pkg.Map[...].Get / pkg.Sum[go.shape.int]     generics (instantiation elided or spelled out)
//   runtime.goexit.abi0                          ABI wrapper suffix
//   main.(*productCatalog).readCatalogFile+113   bpftrace offset
import { ParsedSymbol, stripGroups } from './parsedSymbol';

const CLOSURE = /^(func|gowrap|deferwrap)(\d+)$/;

/** True when `name` has the shape of a Go symbol (used to rank interpretations of ambiguous names). */
export function looksLikeGo(name: string): boolean {
  if (/\.\(\*?[A-Za-z_]/.test(name) || /\.func\d+(\.\d+)*$/.test(name) || /\.abi0$/.test(name)) return true;
  if (name.includes('::') || name.includes(' ') || name.includes('$')) return false;
  return /^[a-z][\w.-]*(\/[\w.~-]+)*\.[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/.test(name);
}

export function parseGoSymbol(raw: string): ParsedSymbol | undefined {
  let s = raw.trim().replace(/\+(0x[0-9a-f]+|\d+)$/i, '');
  s = s.replace(/\.(abi0|abiinternal)$/i, '');
  // Generic instantiations: drop [...] (balanced), also inside the receiver: (*List[...]).Push.
  s = stripGroups(s, '[', ']');
  const slash = s.lastIndexOf('/');
  const dot = s.indexOf('.', slash + 1);
  if (dot <= 0 || dot === s.length - 1) return undefined;
  const pkgPath = s.slice(0, dot);
  const rest = s.slice(dot + 1);
  const tokens = tokenize(rest);
  if (tokens.length === 0) return undefined;

  let container: string | undefined;
  let name: string;
  let i = 0;
  const receiver = /^\(\*?([A-Za-z_]\w*)\)$/.exec(tokens[0]);
  if (receiver) {
    container = receiver[1];
    name = tokens[1] ?? '';
    i = 2;
  } else if (tokens.length >= 2 && !CLOSURE.test(tokens[1]) && !/^\d+$/.test(tokens[1]) && tokens[0] !== 'glob') {
    // T.Method (value receiver) as opposed to Func.func1 (closure).
    container = tokens[0];
    name = tokens[1];
    i = 2;
  } else {
    name = tokens[0];
    i = 1;
  }
  if (!name) return undefined;
  const closurePath: number[] = [];
  for (; i < tokens.length; i++) {
    const m = CLOSURE.exec(tokens[i]) ?? /^()(\d+)$/.exec(tokens[i]);
    if (m) closurePath.push(Number(m[2]));
  }
  // `init.0` is the first of several package init functions, not a closure.
  if (name === 'init') closurePath.length = 0;
  const parts = container ? [pkgPath, container, name] : [pkgPath, name];
  return {
    language: 'go',
    qualifiedParts: parts,
    name,
    container,
    goPackagePath: pkgPath,
    isClosure: closurePath.length > 0 || undefined,
    closurePath: closurePath.length > 0 ? closurePath : undefined,
    display: raw.trim(),
  };
}

/** Splits on '.' outside parentheses: "(*T).M.func1" -> ["(*T)", "M", "func1"]. */
function tokenize(rest: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (c === 46 && depth === 0) {
      out.push(rest.slice(start, i));
      start = i + 1;
    }
  }
  out.push(rest.slice(start));
  return out;
}
