// C++ names, mangled (`_ZNK4shop7pricing11PriceEngine11discountForEi`) or as perf/BCC print them:
//   shop::pricing::PriceEngine::discountFor(int) const [clone .isra.0]
//   shop::pricing::PriceEngine::computeTotals[abi:cxx11](int) const
//   double sumValues<double>(std::map<...> const&)        (function templates carry the return type)
//   operator new(unsigned long), (anonymous namespace)::helper(), foo()::{lambda(int)#1}::operator()(int) const
import { demangle } from './demangle';
import { CppLambda, ParsedSymbol, matchingOpen, splitTopLevel, stripGroups } from './parsedSymbol';

export function parseCppSymbol(raw: string): ParsedSymbol | undefined {
  const demangled = demangle(raw.trim());
  const display = demangled;
  let s = demangled.includes("'") ? gnuLambdaNames(demangled) : demangled;
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
  let lambdas: CppLambda[] | undefined;
  const lambda = parts.findIndex((p) => p.startsWith('{lambda') || p.startsWith('{unnamed') || CLANG_UNNAMED.test(p));
  if (lambda >= 0) {
    isClosure = true;
    lambdas = lambdaChain(parts.slice(lambda), params);
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
    ...(lambdas ? { cppLambdas: lambdas } : {}),
    display,
  };
}

/**
 * LLVM's demangler (llvm-cxxfilt, llvm-symbolizer) spells the closure type `{lambda(int const&)#1}` as
 * `'lambda'(int const&)`, #2 as `'lambda0'(...)`, #N as `'lambda<N-2>'(...)`, and `{unnamed type#N}` likewise
 * as `'unnamed<...>'`: rewritten to the GNU spelling the rest of this parser reads.
 */
function gnuLambdaNames(s: string): string {
  const re = /'(lambda|unnamed)(\d*)'/g;
  let out = '';
  let from = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const n = m[2] === '' ? 1 : Number(m[2]) + 2;
    out += s.slice(from, m.index);
    from = m.index + m[0].length;
    if (m[1] === 'unnamed') {
      out += `{unnamed type#${n}}`;
      continue;
    }
    const close = s[from] === '(' ? closingParen(s, from) : -1;
    if (close < 0) {
      out += m[0];
      continue;
    }
    out += `{lambda${s.slice(from, close + 1)}#${n}}`;
    from = close + 1;
    re.lastIndex = from;
  }
  return out + s.slice(from);
}

/** The index of the ')' closing the '(' at `open`, or -1. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** clang's name for the closure type of a lambda in a function that is not inline (`$_3`): no ABI number. */
const CLANG_UNNAMED = /^\$_\d+$/;

/**
 * The lambdas of `{lambda(int const&)#3}::operator()(int const&) const::{lambda()#1}::operator()`, outermost
 * first, each written in the previous one's call operator. Undefined when a level is not a plain lambda
 * (`{unnamed type#1}`, a local class between two lambdas): its number would count in a context we do not read.
 * clang's `$_N` levels (`f()::$_3::operator()(long) const`) take their parameters from the call operator
 * after them (`callParams` for the innermost, the name's own argument list) and n 0: N counts the whole
 * translation unit's lambdas in code-generation order, which the source does not show.
 */
function lambdaChain(parts: readonly string[], callParams: readonly string[] | undefined): CppLambda[] | undefined {
  const out: CppLambda[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    // What follows the innermost lambda is any of its members (operator(), _FUN, a conversion operator);
    // between two lambdas it is the call operator the inner one is written in.
    const next = parts[i + 1];
    if (i + 2 < parts.length && !next.startsWith('operator()')) return undefined;
    if (CLANG_UNNAMED.test(parts[i])) {
      const params = i + 2 < parts.length ? operatorParams(next) : next === 'operator()' || next === '__invoke' ? callParams : undefined;
      if (!params) return undefined;
      out.push({ params: params.map(normaliseCppLambdaParam), n: 0 });
      continue;
    }
    const m = /^\{lambda\((.*)\)#(\d+)\}$/.exec(parts[i]);
    if (!m) return undefined;
    const inner = m[1].trim();
    out.push({ params: inner === '' ? [] : splitTopLevel(inner, ',').map(normaliseCppLambdaParam), n: Number(m[2]) });
  }
  return out.length > 0 ? out : undefined;
}

/** The parameters of a call operator written out with them (`operator()(long) const`), else undefined. */
function operatorParams(part: string): string[] | undefined {
  const m = /^operator\(\)\s*\((.*)\)[\s\w&]*$/.exec(part);
  if (!m) return undefined;
  const inner = m[1].trim();
  return inner === '' || inner === 'void' ? [] : splitTopLevel(inner, ',').map((p) => p.trim());
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

/**
 * normaliseCppParam for comparing a lambda's parameters in the source with the demangled ones: generic
 * `auto:1` is the source's `auto`, and the std and fixed-width aliases a demangler spells out (std::string is
 * std::__cxx11::basic_string<char, ...>, uint64_t is unsigned long on 64-bit Linux, `long int` is long) compare
 * as what they name.
 */
export function normaliseCppLambdaParam(text: string): string {
  const t = normaliseCppParam(text.replace(/\bauto:\d+/g, 'auto'));
  const suffix = /[&*]*$/.exec(t)![0];
  const base = t.slice(0, t.length - suffix.length);
  return (ALIASES.get(base) ?? base) + suffix;
}

const ALIASES = new Map<string, string>([
  ...['string', 'wstring', 'u8string', 'u16string', 'u32string'].map((a): [string, string] => [a, 'basic_string']),
  ...['string_view', 'wstring_view', 'u8string_view', 'u16string_view', 'u32string_view'].map((a): [string, string] => [a, 'basic_string_view']),
  ['unsigned', 'unsigned int'],
  ['signed', 'int'],
  ['signed int', 'int'],
  ['short int', 'short'],
  ['unsigned short int', 'unsigned short'],
  ['long int', 'long'],
  ['unsigned long int', 'unsigned long'],
  ['long long int', 'long long'],
  ['unsigned long long int', 'unsigned long long'],
  ['size_t', 'unsigned long'],
  ['uint64_t', 'unsigned long'],
  ['uintptr_t', 'unsigned long'],
  ['ssize_t', 'long'],
  ['ptrdiff_t', 'long'],
  ['int64_t', 'long'],
  ['intptr_t', 'long'],
  ['int32_t', 'int'],
  ['uint32_t', 'unsigned int'],
  ['int16_t', 'short'],
  ['uint16_t', 'unsigned short'],
  ['int8_t', 'signed char'],
  ['uint8_t', 'unsigned char'],
]);
