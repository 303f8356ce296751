// C++ names, mangled (`_ZNK4shop7pricing11PriceEngine11discountForEi`) or as perf/BCC print them:
//   shop::pricing::PriceEngine::discountFor(int) const [clone .isra.0]
//   shop::pricing::PriceEngine::computeTotals[abi:cxx11](int) const
//   double sumValues<double>(std::map<...> const&)        (function templates carry the return type)
//   operator new(unsigned long), (anonymous namespace)::helper(), foo()::{lambda(int)#1}::operator()(int) const
import { demangle } from './demangle';
import { ParsedSymbol, matchingOpen, splitTopLevel, stripGroups } from './parsedSymbol';

export function parseCppSymbol(raw: string): ParsedSymbol | undefined {
  let s = demangle(raw.trim());
  const display = s;
  s = s.replace(/\s*\[clone [^\]]*\]/g, '');
  s = s.replace(/\[abi:[^\]]*\]/g, '');
  s = s.replace(/@(plt|GLIBC[\w.]*|@?[\w.]+)$/, '');
  s = s.replace(/\.(isra|constprop|part|cold|lto_priv|localalias)(\.\d+)*$/g, '');
  // Trailing member-function qualifiers.
  s = s.replace(/(\s*(const|volatile|&&|&|noexcept))+$/, '').trim();
  let params: string[] | undefined;
  if (s.endsWith(')')) {
    const open = matchingOpen(s, s.length - 1, '(', ')');
    // `operator()` alone ends with ')' but is the name, not an argument list.
    if (open > 0 && !/operator\s*$/.test(s.slice(0, open))) {
      const inner = s.slice(open + 1, -1).trim();
      params = inner === '' || inner === 'void' ? [] : splitTopLevel(inner, ',').map((p) => p.trim());
      s = s.slice(0, open).trim();
    }
  }
  s = s.replace(/\(anonymous namespace\)/g, '{anon}');
  s = dropReturnType(s);
  let parts = splitTopLevel(s, '::').map(cleanPart).filter((p) => p.length > 0);
  let isClosure = false;
  const lambda = parts.findIndex((p) => p.startsWith('{lambda') || p.startsWith('{unnamed'));
  if (lambda >= 0) {
    isClosure = true;
    parts = parts.slice(0, lambda);
    // `foo()` in `foo()::{lambda...}` has its own argument list.
    const last = parts.length - 1;
    if (last >= 0 && parts[last].endsWith(')') && !parts[last].startsWith('operator')) {
      parts[last] = parts[last].slice(0, parts[last].indexOf('('));
    }
    params = undefined;
  }
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1];
  if (!/^[A-Za-z_~{]/.test(name) && !name.startsWith('operator')) return undefined;
  return {
    language: 'cpp',
    qualifiedParts: parts,
    name,
    container: parts.length > 1 ? parts[parts.length - 2] : undefined,
    params,
    isClosure: isClosure || undefined,
    display,
  };
}

/** `double sumValues<double>` -> `sumValues<double>`; keeps `operator new` and conversion operators whole. */
function dropReturnType(s: string): string {
  const op = /(^|::|\s)operator\b/.exec(s);
  const scanEnd = op ? op.index + op[1].length : s.length;
  let depth = 0;
  let cut = -1;
  for (let i = 0; i < scanEnd; i++) {
    const c = s[i];
    if (c === '<' || c === '(' || c === '[' || c === '{') depth++;
    else if ((c === '>' || c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ' ' && depth === 0) cut = i;
  }
  return cut >= 0 ? s.slice(cut + 1) : s;
}

function cleanPart(part: string): string {
  const p = part.trim();
  if (p.startsWith('operator')) return p.replace(/\s+/g, ' ').replace(/^operator\s+(?=[^A-Za-z_])/, 'operator');
  if (p === '{anon}') return '(anonymous namespace)';
  return stripGroups(p, '<', '>').trim();
}

/** Argument types reduced to what both the demangler and the source spell the same way: base name + & / *. */
export function normaliseCppParam(text: string): string {
  let t = text.replace(/\b(const|volatile|struct|class|enum|typename|register)\b/g, ' ');
  t = stripGroups(t, '<', '>');
  const suffix = (t.match(/[&*]+/g) ?? []).join('');
  t = t.replace(/[&*]/g, ' ').trim();
  const words = t.split(/\s+/).filter((w) => w.length > 0);
  // Source parameters carry a name ("const Item& it"); demangled ones don't. Keep the type words only.
  const base = words.map((w) => w.split('::').pop() ?? w).join(' ');
  return base + suffix;
}
