// Python frames as eBPF agents and sampling profilers print them:
//   py::RiskScorer.score_record:/app/scorer.py     (Pixie/Parca-style `py::qualname:path`)
//   score_record (/app/scorer.py:42)               (py-spy, austin)
//   <module> (/app/main.py:3)
import { PYTHON_CODE_NAMES } from '../definitions/definition';
import { ParsedSymbol } from './parsedSymbol';

const PY_PREFIXED = /^py::(.+?)(?::((?:\/|[A-Za-z]:\\|\.\/)?[^:]*\.pyw?)(?::(\d+))?)?$/;
const PY_SPY = /^(.+?)\s+\((.+\.pyw?):(\d+)\)$/;

/** Code objects CPython names by kind, not by a name in the source (lambdas, generator expressions, comprehensions). */
const ANONYMOUS: ReadonlySet<string> = new Set(Object.values(PYTHON_CODE_NAMES));

export function looksLikePython(name: string): boolean {
  const s = name.trim();
  return s.startsWith('py::') || PY_SPY.test(s);
}

export function parsePythonSymbol(raw: string): ParsedSymbol | undefined {
  const s = raw.trim();
  let qual: string;
  let path: string | undefined;
  let line: number | undefined;
  const prefixed = PY_PREFIXED.exec(s);
  const spy = prefixed ? null : PY_SPY.exec(s);
  if (prefixed) {
    qual = prefixed[1];
    path = prefixed[2];
    line = prefixed[3] ? Number(prefixed[3]) : undefined;
  } else if (spy) {
    qual = spy[1];
    path = spy[2];
    line = Number(spy[3]);
  } else return undefined;
  // Python 3.11 qualnames include `<locals>` for nested functions: outer.<locals>.inner.
  let parts = qual.split('.').filter((p) => p.length > 0 && p !== '<locals>');
  // Generator expressions, comprehensions and lambdas belong to the function they are written in.
  let anonymous = false;
  const innermost = parts[parts.length - 1];
  while (parts.length > 1 && ANONYMOUS.has(parts[parts.length - 1])) {
    parts = parts.slice(0, -1);
    anonymous = true;
  }
  const name = parts[parts.length - 1] ?? '';
  return {
    language: 'python',
    qualifiedParts: parts,
    name,
    container: parts.length > 1 ? parts[parts.length - 2] : undefined,
    pathHint: path,
    lineHint: line,
    isClosure: anonymous || name === '<lambda>' || undefined,
    pythonCodeName: anonymous ? innermost : undefined,
    display: s,
  };
}
