// Entry point: turns a profiler's function name into the ways it could be read, most likely first.
// Shapes overlap (`a::b::c` is C++ or Rust, `main` is anything), so several interpretations may come back;
// the resolver keeps the one that matches workspace definitions best and reports ties as ambiguous.
import { parseCppSymbol } from './cppSymbol';
import { looksLikeGo, parseGoSymbol } from './goSymbol';
import { looksLikeJava, parseJavaSymbol } from './javaSymbol';
import { looksLikeNode, parseNodeSymbol } from './nodeSymbol';
import { ParsedSymbol, SymbolLanguage } from './parsedSymbol';
import { looksLikePython, parsePythonSymbol } from './pythonSymbol';
import { looksLikeRust, parseRustSymbol } from './rustSymbol';

export type { ParsedSymbol, SymbolLanguage } from './parsedSymbol';

const PARSERS: Record<SymbolLanguage, (name: string) => ParsedSymbol | undefined> = {
  go: parseGoSymbol,
  cpp: parseCppSymbol,
  rust: parseRustSymbol,
  java: parseJavaSymbol,
  node: parseNodeSymbol,
  python: parsePythonSymbol,
};

/** Which languages a name could be written in, most likely first. */
export function guessLanguages(name: string): SymbolLanguage[] {
  const s = name.trim();
  if (s.startsWith('[j]') || s.endsWith('_[j]')) return ['java'];
  // Python and Node shapes carry a path after a space (or py::); most names have neither.
  const spaced = s.includes(' ');
  if ((spaced || s.startsWith('py::')) && looksLikePython(s)) return ['python'];
  if (spaced && looksLikeNode(s)) return ['node'];
  // Go's `pkg.(*T).M` and import paths are the commonest eBPF names: settle them before the costlier checks.
  if (!spaced && !s.includes('::') && !s.includes('$') && (s.includes('.(') || s.includes('/')) && looksLikeGo(s)) return ['go', 'java'];
  if (looksLikeRust(s)) return ['rust'];
  if (/^_?_Z/.test(s)) return ['cpp', 'rust'];
  if (s.includes('::')) return /\)\s*(const)?\s*(\[clone[^\]]*\])?$/.test(s) ? ['cpp', 'rust'] : ['rust', 'cpp'];
  if (looksLikeJava(s)) return ['java', 'go'];
  if (looksLikeGo(s)) return ['go', 'java'];
  if (/^[A-Za-z_][\w]*$/.test(s)) return ['cpp', 'go', 'rust', 'java', 'node', 'python'];
  if (/^[A-Za-z_~][\w\s,<>*&:~]*\(.*\)/.test(s)) return ['cpp'];
  if (/^[A-Za-z_][\w]*<.*>$/.test(s)) return ['cpp', 'rust'];
  return [];
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
