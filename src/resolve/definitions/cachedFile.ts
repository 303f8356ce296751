// The shape of a definition index cache file as DefinitionIndex.toJSON() writes it, checked when the cache is
// read back from disk: a file edited by hand or damaged must not reach the index's tables (see restore).
import type { DefinitionLanguage } from './definition';
import type { SerializedIndex } from '../definitionIndex';

// A record, not a list: a language added to DefinitionLanguage must be added here too, or this fails to
// compile (else every cache holding it would be ignored, and each start index everything).
const LANGUAGES: Readonly<Record<DefinitionLanguage, true>> = { go: true, cpp: true, rust: true, java: true, javascript: true, typescript: true, python: true };

/** Whether `f` has the shape toJSON() gives a file, down to what store() and the resolver read. */
export function isCachedFile(f: unknown): f is SerializedIndex['files'][number] {
  if (!isRecord(f) || typeof f.path !== 'string' || typeof f.size !== 'number' || typeof f.mtimeMs !== 'number') return false;
  if (f.closures !== undefined && !isClosureList(f.closures)) return false;
  return Array.isArray(f.defs) && f.defs.every(isCachedDefinition);
}

function isCachedDefinition(d: unknown): boolean {
  return (
    isRecord(d) &&
    typeof d.language === 'string' &&
    Object.hasOwn(LANGUAGES, d.language) &&
    typeof d.name === 'string' &&
    isStringList(d.parts) &&
    d.parts.length > 0 &&
    typeof d.line === 'number' &&
    typeof d.startLine === 'number' &&
    typeof d.endLine === 'number' &&
    (d.container === undefined || typeof d.container === 'string') &&
    (d.params === undefined || isStringList(d.params))
  );
}

function isClosureList(v: unknown): boolean {
  return Array.isArray(v) && v.every((c) => isRecord(c) && typeof c.line === 'number' && typeof c.endLine === 'number' && isClosureList(c.children) && (c.params === undefined || isStringList(c.params)));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
