// Node.js (V8) frames from perf maps (`--perf-basic-prof`) and eBPF agents:
//   JS:*formatRow /app/report.js:12:12       tier marker: ~ interpreted, ^ baseline (Sparkplug), + Maglev, * optimized
//   LazyCompile:~Report.render file:///app/report.mjs:30:9
//   JS:~ /app/server.js:5:20                 anonymous function: the location is all there is
import { ParsedSymbol } from './parsedSymbol';

const NODE_FRAME =
  /^(?:(?:JS|LazyCompile|Function|InterpretedFunction|Script|Eval|Code|Baseline|Maglev|Turbofan):)?\s*([~^+*]?)\s*(.*?)\s+((?:file:\/\/)?[^\s:]*[^\s]*?\.(?:[cm]?js|jsx|[cm]?ts|tsx)):(\d+)(?::(\d+))?$/;

export function looksLikeNode(name: string): boolean {
  return NODE_FRAME.test(name.trim());
}

export function parseNodeSymbol(raw: string): ParsedSymbol | undefined {
  const m = NODE_FRAME.exec(raw.trim());
  if (!m) return undefined;
  // Node 24's perf map quotes some names (`JS:*'formatRow`): the quote is not part of the name.
  const fnText = m[2].trim().replace(/^'+/, '');
  const path = m[3].replace(/^file:\/\//, '');
  const parts = fnText === '' || fnText === '(anonymous)' ? [] : fnText.split('.').filter((p) => p && p !== 'prototype' && p !== '<computed>');
  const name = parts[parts.length - 1] ?? '';
  return {
    language: 'node',
    qualifiedParts: parts.length > 0 ? parts : [''],
    name,
    container: parts.length > 1 ? parts[parts.length - 2] : undefined,
    pathHint: path,
    lineHint: Number(m[4]),
    columnHint: m[5] !== undefined ? Number(m[5]) : undefined,
    display: raw.trim(),
  };
}
