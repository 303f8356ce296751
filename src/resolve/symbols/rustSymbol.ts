// Rust names in every spelling profilers produce:
//   ledger::ledger::accounts::Ledger::checksum::h3e100643e21cb24a    legacy, crate name first, hash last
//   _$LT$core..hash..sip..Hasher$LT$S$GT$$u20$as$u20$core..hash..Hasher$GT$::write::hdcd78ade7906fdf8
//   std::rt::lang_start::_$u7b$$u7b$closure$u7d$$u7d$::hf73ec453c045aa2a   ($-escapes, BCC)
//   _RNvXs4_NtCslNYArtu3iFV_5alloc6stringNtB5_6StringNtNtCsgEmfK2I1SDS_4core5clone5Clone5clone   (v0)
//   <alloc::string::String as core::clone::Clone>::clone, std::rt::lang_start::{{closure}}   (perf, demangled)
import { demangle } from './demangle';
import { ParsedSymbol, splitTopLevel, stripGroups } from './parsedSymbol';

const ESCAPES: Record<string, string> = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
};

/** Undoes the legacy mangling escapes: `$LT$` -> `<`, `$u7b$` -> `{`, `..` -> `::`. */
export function unescapeRustLegacy(s: string): string {
  let out = s.replace(/\$(SP|BP|RF|LT|GT|LP|RP|C|u[0-9a-f]{2,6})\$/g, (_m, code: string) =>
    code.startsWith('u') ? String.fromCodePoint(parseInt(code.slice(1), 16)) : ESCAPES[code],
  );
  out = out.replace(/\.\./g, '::');
  // A path segment that began with '$' was prefixed with '_' by the mangler.
  out = out.replace(/(^|::|<|\s)_(?=[<{&*@(])/g, '$1');
  return out;
}

const V0_CLOSURE = /^\{closure#(\d+)\}$/;

export function looksLikeRust(name: string): boolean {
  return (
    /^_R[A-Za-z0-9_]/.test(name) ||
    /::h[0-9a-f]{16}$/.test(name) ||
    /\$(LT|GT|u7b|u20|C|RF)\$/.test(name) ||
    name.includes('{{closure}}') ||
    /^<.+ as .+>::/.test(name) ||
    /^_ZN.*17h[0-9a-f]{16}E/.test(name)
  );
}

export function parseRustSymbol(raw: string): ParsedSymbol | undefined {
  let s = raw.trim().replace(/\.llvm\.\d+$/, '');
  s = demangle(s);
  s = unescapeRustLegacy(s);
  s = s.replace(/::h[0-9a-f]{16}$/, '');
  const display = s;
  let trait: string | undefined;
  let parts: string[] = [];
  for (const segment of splitTopLevel(s, '::')) {
    const seg = segment.trim();
    if (seg.startsWith('<') && seg.endsWith('>')) {
      // <T as Trait> (trait impl) or <T> (inherent impl in v0 names): the path of T qualifies the method.
      const inner = seg.slice(1, -1);
      const as = splitTopLevel(inner, ' as ');
      const selfType = as[0].trim().replace(/^&(mut )?/, '');
      if (as.length > 1) trait = stripGroups(as[1], '<', '>').split('::').pop();
      parts.push(...splitTopLevel(selfType, '::').map((p) => stripGroups(p, '<', '>').trim()));
    } else {
      parts.push(stripGroups(seg, '<', '>').trim());
    }
  }
  parts = parts.filter((p) => p.length > 0);
  let isClosure = false;
  let closureDepth: number | undefined;
  let closurePath: number[] | undefined;
  const closure = parts.findIndex((p) => p.startsWith('{{') || p.startsWith('{'));
  if (closure >= 0) {
    isClosure = true;
    const levels = parts.slice(closure);
    closureDepth = levels.filter((p) => p === '{{closure}}').length || undefined;
    // v0 names number each closure among those written directly in its parent, from 0 in source order
    // (`two::{closure#1}::{closure#0}`: the first closure inside the second one of `two`), as checked
    // against DWARF lines of rustc 1.95 output. Kept 1-based like Go's. Legacy `{{closure}}` has no number.
    const numbers = levels.map((p) => V0_CLOSURE.exec(p));
    if (numbers.every((m) => m !== null)) closurePath = numbers.map((m) => Number(m![1]) + 1);
    parts = parts.slice(0, closure);
  }
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1];
  if (!/^[A-Za-z_]/.test(name)) return undefined;
  return {
    language: 'rust',
    qualifiedParts: parts,
    name,
    container: parts.length > 1 && /^[A-Z]/.test(parts[parts.length - 2]) ? parts[parts.length - 2] : undefined,
    trait,
    isClosure: isClosure || undefined,
    closureDepth,
    closurePath,
    display,
  };
}
