// One source file's definitions: parse it with its language's grammar and run that language's extractor.
// Pure work on a text, no index state, so both the index and its parse workers (parseWorker.ts) run it.
import { readFileSync } from 'node:fs';
import { ClosureSite, Definition, DefinitionLanguage, PYTHON_CODE_NAMES, languageOfFile } from './definition';
import { extractCpp } from './cppDefinitions';
import type { ExtractContext, Extractor } from './extractContext';
import { elideGoBodies } from './goBodyElision';
import { extractGo } from './goDefinitions';
import { closureForest } from './goFuncLiterals';
import { extractJava } from './javaDefinitions';
import { extractJs } from './jsDefinitions';
import { extractPython } from './pythonDefinitions';
import { extractRust } from './rustDefinitions';
import { grammarOfFile, type TreeSitterHost } from './treeSitter';

/** What parsing a file gives the index. */
export interface FileDefinitions {
  readonly defs: readonly Definition[];
  /** Go: every func literal inside the file's top-level blocks, found while indexing (see goFuncLiterals). */
  readonly closures?: readonly ClosureSite[];
}

/** Where the file sits in its project (ExtractContext without the file): worked out by the index's ProjectLayout. */
export type FilePlace = Omit<ExtractContext, 'file'>;

/** Syntax node types that are anonymous functions, per language (the ones profilers name by position). */
export const CLOSURE_NODES: Partial<Record<DefinitionLanguage, ReadonlySet<string>>> = {
  go: new Set(['func_literal']),
  rust: new Set(['closure_expression']),
  java: new Set(['lambda_expression']),
  cpp: new Set(['lambda_expression']),
  python: new Set(Object.keys(PYTHON_CODE_NAMES)),
};

const EXTRACTORS: Record<DefinitionLanguage, Extractor> = {
  go: extractGo,
  cpp: extractCpp,
  rust: extractRust,
  java: extractJava,
  javascript: extractJs('javascript'),
  typescript: extractJs('typescript'),
  python: extractPython,
};

const NO_DEFS: FileDefinitions = Object.freeze({ defs: Object.freeze([]) });
export const NO_SITES: readonly ClosureSite[] = Object.freeze([]);

/**
 * Parses `text` as the file at `path` (its grammar must be loaded in `host`): its definitions, and Go's
 * closures. Never throws on bad source: what cannot be parsed has no definitions.
 */
export function fileDefinitions(host: TreeSitterHost, path: string, text: string, place: FilePlace): FileDefinitions {
  const lang = languageOfFile(path);
  const parser = lang && host.parser(grammarOfFile(path)!);
  if (!lang || !parser) return NO_DEFS;
  // Go fast path: only the top level carries definitions, so bodies are elided before parsing; the same
  // scan notes the func literals inside them.
  const literals: number[] | undefined = lang === 'go' ? [] : undefined;
  const source = lang === 'go' ? elideGoBodies(text, literals) : text;
  const tree = parser.parse(source);
  if (!tree) return NO_DEFS;
  try {
    const defs = EXTRACTORS[lang](tree.rootNode, { file: path, ...place });
    if (literals) return { defs, closures: literals.length > 0 ? closureForest(text, literals) : NO_SITES };
    return { defs: CLOSURE_NODES[lang] ? withByteRanges(defs, text) : defs };
  } catch {
    return NO_DEFS;
  } finally {
    tree.delete();
  }
}

/** Adds byteStart/byteEnd (UTF-8 byte offsets of the definition's lines) to each definition. */
function withByteRanges(defs: Definition[], text: string): Definition[] {
  if (defs.length === 0) return defs;
  const lineStarts = [0];
  // ASCII text: character offsets are byte offsets; otherwise count in the encoded bytes.
  const bytes: { indexOf(c: number | string, from: number): number; length: number } = /^[\x00-\x7f]*$/.test(text) ? text : Buffer.from(text, 'utf8');
  const newline = typeof bytes === 'string' ? '\n' : 10;
  for (let i = bytes.indexOf(newline, 0); i >= 0; i = bytes.indexOf(newline, i + 1)) lineStarts.push(i + 1);
  return defs.map((d) => ({ ...d, byteStart: lineStarts[d.startLine - 1] ?? 0, byteEnd: lineStarts[d.endLine] ?? bytes.length }));
}

/**
 * The text of a source file, or undefined when it was deleted or became unreadable since it was listed.
 * Synchronous: a batch of small source files takes a few ms, and the thread-pool round trips of fs.promises
 * (open, fstat, read, close per file) cost more than the reading itself; callers yield between batches.
 */
export function readSourceText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The sites of `sites` (sorted by line, not overlapping) that lie within [startLine, endLine]. */
export function sitesWithin(sites: readonly ClosureSite[], startLine: number, endLine: number): readonly ClosureSite[] {
  const lo = firstSiteFrom(sites, startLine);
  let end = lo;
  while (end < sites.length && sites[end].endLine <= endLine) end++;
  return end === lo ? NO_SITES : sites.slice(lo, end);
}

/** The index of the first of `sites` (sorted by line) that starts on or after `line` (binary search). */
export function firstSiteFrom(sites: readonly ClosureSite[], line: number): number {
  let lo = 0;
  let hi = sites.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sites[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
