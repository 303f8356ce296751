// Entry point: turns a profiler's function name into the ways it could be read, most likely first.
// Shapes overlap (`a::b::c` is C++ or Rust, `main` is anything), so several interpretations may come back;
// the resolver keeps the one that matches workspace definitions best and reports ties as ambiguous.
import { parseCppSymbol } from './cppSymbol';
import { looksLikeGo, parseGoSymbol } from './goSymbol';
import { looksLikeJava, parseJavaSymbol } from './javaSymbol';
import { looksLikeNode, parseNodeSymbol } from './nodeSymbol';
import { ParsedSymbol, SymbolLanguage, withoutOffset } from './parsedSymbol';
import { looksLikePython, parsePythonSymbol } from './pythonSymbol';
import { looksLikeRust, parseRustSymbol } from './rustSymbol';

export type { ParsedSymbol, SymbolLanguage } from './parsedSymbol';
export { hasOffset, withoutOffset } from './parsedSymbol';

const PARSERS: Record<SymbolLanguage, (name: string) => ParsedSymbol | undefined> = {
  go: parseGoSymbol,
  cpp: parseCppSymbol,
  rust: parseRustSymbol,
  java: parseJavaSymbol,
  node: parseNodeSymbol,
  python: parsePythonSymbol,
};

// Shared answers: guessLanguages runs once per distinct frame name, so it allocates nothing.
const JAVA_ONLY: readonly SymbolLanguage[] = ['java'];
const PYTHON_ONLY: readonly SymbolLanguage[] = ['python'];
const NODE_ONLY: readonly SymbolLanguage[] = ['node'];
const RUST_ONLY: readonly SymbolLanguage[] = ['rust'];
const GO_JAVA: readonly SymbolLanguage[] = ['go', 'java'];
const JAVA_GO: readonly SymbolLanguage[] = ['java', 'go'];
const CPP_RUST: readonly SymbolLanguage[] = ['cpp', 'rust'];
const RUST_CPP: readonly SymbolLanguage[] = ['rust', 'cpp'];
const CPP_ONLY: readonly SymbolLanguage[] = ['cpp'];
const ANY: readonly SymbolLanguage[] = ['cpp', 'go', 'rust', 'java', 'node', 'python'];
const NONE: readonly SymbolLanguage[] = [];
const IDENTIFIER = /^[A-Za-z_][\w]*$/;

/** Names that are placeholders for "no symbol", whatever kind the classifier gave them. */
const UNSYMBOLIZED = /^(\[unknown\]|\[Missed (User|Kernel) Stack\]|<stack trace lost>|\[m\] .*|(0x)?[0-9a-f]{6,16}|\[[^\]]+\] \+ 0x[0-9a-f]+)$/i;

/** `[unknown]`, a bare address and the like (after trimming and withoutOffset). */
export function isUnsymbolized(name: string): boolean {
  return name === '' || UNSYMBOLIZED.test(name);
}

/** `name` without surrounding blanks and a perf/bpftrace `+0x1f` offset: what the readings are taken of. */
export function normaliseName(raw: string): string {
  const trimmed = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
  return withoutOffset(trimmed);
}

/**
 * guessLanguages(name) for a name that normaliseName leaves as it is and that is no placeholder, else
 * undefined: lets an index compute once, for a symbol it stores, what every frame of that name would.
 */
export function plainReadings(name: string): readonly SymbolLanguage[] | undefined {
  return normaliseName(name) === name && !isUnsymbolized(name) ? guessLanguages(name) : undefined;
}

/** Which languages a name could be written in, most likely first. */
export function guessLanguages(name: string): readonly SymbolLanguage[] {
  const trimmed = name.length > 0 && (name.charCodeAt(0) <= 32 || name.charCodeAt(name.length - 1) <= 32) ? name.trim() : name;
  const s = withoutOffset(trimmed);
  if (isDottedPath(s)) {
    // The commonest shape by far (Go `pkg.(*T).M`, `net/http.F`, Java `a.b.C.m`): only these readings are
    // possible, so the Rust/C++ checks below are skipped. Same answers as the general path.
    const go = looksLikeGo(s);
    if (go && (s.includes('.(') || s.includes('/'))) return GO_JAVA;
    if (looksLikeJava(s)) return JAVA_GO;
    if (go) return GO_JAVA;
    return IDENTIFIER.test(s) ? ANY : NONE;
  }
  if (s.startsWith('[j]') || s.endsWith('_[j]')) return JAVA_ONLY;
  // Python and Node shapes carry a path after a space (or py::); most names have neither.
  const spaced = s.includes(' ');
  if ((spaced || s.startsWith('py::')) && looksLikePython(s)) return PYTHON_ONLY;
  if (spaced && looksLikeNode(s)) return NODE_ONLY;
  // Go's `pkg.(*T).M` and import paths are the commonest eBPF names: settle them before the costlier checks.
  if (!spaced && !s.includes('::') && !s.includes('$') && (s.includes('.(') || s.includes('/')) && looksLikeGo(s)) return GO_JAVA;
  if (looksLikeRust(s)) return RUST_ONLY;
  if (/^_?_Z/.test(s)) return CPP_RUST;
  if (s.includes('::')) return /\)\s*(const)?\s*(\[clone[^\]]*\])?$/.test(s) ? CPP_RUST : RUST_CPP;
  if (looksLikeJava(s)) return JAVA_GO;
  if (looksLikeGo(s)) return GO_JAVA;
  if (IDENTIFIER.test(s)) return ANY;
  if (/^[A-Za-z_~][\w\s,<>*&:~]*\(.*\)/.test(s)) return CPP_ONLY;
  if (/^[A-Za-z_][\w]*<.*>$/.test(s)) return CPP_RUST;
  return NONE;
}

/**
 * True for a dotted name ending in `.abi0` (`runtime.memmove.abi0`), which guessLanguages reads as Go or
 * Java, nothing else (looksLikeGo accepts the suffix): lets the resolver skip the shape checks.
 */
export function isGoAbiWrapper(name: string): boolean {
  return name.endsWith('.abi0') && isDottedPath(name);
}

/**
 * Only letters, digits, '_', '.', '/', '-', '~', '%' plus Go receiver parentheses `(*T)` and generic
 * arguments `[...]` after an identifier, not starting with `_` (mangled `_Z`/`_R`) nor `[j]`: no Rust, C++,
 * Node or Python reading can apply.
 */
function isDottedPath(s: string): boolean {
  if (s.length === 0 || s.charCodeAt(0) === 95) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // (Beyond ASCII: letters of Go/Java identifiers such as ΦExported.)
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45 || c === 126 || c === 37 || c >= 128;
    if (ok) continue;
    if (c === 91 && i > 0 && s.charCodeAt(i - 1) !== 46) {
      // Go type arguments: skip to the matching ']' (no C++ `[abi:...]`/`[clone ...]` reaches here: those
      // come with '::', spaces or argument lists outside the brackets, which fail the scan).
      let depth = 1;
      while (depth > 0 && ++i < s.length) {
        const d = s.charCodeAt(i);
        if (d === 91) depth++;
        else if (d === 93) depth--;
      }
      if (depth > 0) return false;
      continue;
    }
    // `.(` or `.(*` opening a receiver, `)` closing it.
    if (c === 40 && i > 0 && s.charCodeAt(i - 1) === 46) continue;
    if (c === 42 && s.charCodeAt(i - 1) === 40) continue;
    if (c === 41) continue;
    return false;
  }
  return true;
}

/** The reading of `name` in one language, if it has that shape. */
export function parseSymbolAs(language: SymbolLanguage, name: string): ParsedSymbol | undefined {
  return PARSERS[language](name);
}

/** Every plausible reading of `name`, most likely first (empty if it is no function name we know). */
export function parseSymbol(name: string, languages: readonly SymbolLanguage[] = guessLanguages(name)): ParsedSymbol[] {
  const out: ParsedSymbol[] = [];
  for (const lang of languages) {
    const parsed = PARSERS[lang](name);
    if (parsed) out.push(parsed);
  }
  return out;
}
