// Maps compiled JavaScript frames (`JS:*formatRow /app/dist/report.js:14:19`) back to the TypeScript (or
// other) source they were built from, when the compiled file and its `.map` are in the workspace.
// Source maps are read with the `source-map` package (0.8: async, WebAssembly; in Node it reads
// `mappings.wasm` beside its own code, so a bundle needs that file copied next to it: see the report of
// this change for the build line). Loading is async, so it happens before resolution: loadSourceMaps()
// reads every map the profile's Node frames need, and the name resolver then asks synchronously.
import { existsSync, promises as fs } from 'node:fs';
import { dirname, isAbsolute, join, resolve as resolvePath, sep } from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import type { Profile } from '../model/profile';
import { parseNodeSymbol } from './symbols/nodeSymbol';

/** A compiled position's original place; lines 1-based. */
export interface OriginalPosition {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** Synchronous answers from maps loaded beforehand. */
export interface SourceMapLookup {
  /**
   * Where `line`:`column` (1-based, as V8 prints them) of the compiled file `framePath` (a container path
   * such as /app/dist/report.js) came from, if a map was loaded for it and the original file exists.
   */
  original(framePath: string, line: number, column?: number): OriginalPosition | undefined;
}

export interface SourceMapOptions {
  /** Workspace folders: container paths are matched to files below them by their longest path suffix. */
  readonly roots: readonly string[];
  /** Maps larger than this are skipped (default 16 MiB). */
  readonly maxMapBytes?: number;
  readonly signal?: AbortSignal;
}

interface LoadedMap {
  readonly mapPath: string;
  /** Per requested "line:column" the answer (maps are queried at load time, then released). */
  readonly answers: Map<string, OriginalPosition | undefined>;
}

/** An empty lookup (no maps, or not a Node profile). */
export const NO_SOURCE_MAPS: SourceMapLookup = { original: () => undefined };

/**
 * Loads the source maps the Node frames of `profile` need and answers their positions. Frames whose
 * compiled file is not in the workspace, or has no map, are simply not answered (the name resolver then
 * falls back to its own matching). Never throws for a bad map: that file is skipped.
 */
export async function loadSourceMaps(profile: Profile, options: SourceMapOptions): Promise<SourceMapLookup> {
  // Positions wanted per container path.
  const wanted = new Map<string, Set<string>>();
  for (const frame of profile.frames) {
    // Cheap filter before the frame regex: only names that carry a .js location, or frames with a file.
    if (!frame.file && !/\.[cm]?jsx?:\d/.test(frame.name)) continue;
    const symbol = parseNodeSymbol(frame.name);
    const path = symbol?.pathHint ?? (frame.file && /\.[cm]?jsx?$/.test(frame.file) ? frame.file : undefined);
    const line = symbol?.lineHint ?? frame.line;
    if (!path || line === undefined) continue;
    let set = wanted.get(path);
    if (!set) wanted.set(path, (set = new Set()));
    set.add(`${line}:${symbol?.columnHint ?? 0}`);
  }
  return loadForPositions(wanted, options);
}

/** As loadSourceMaps, for explicit positions: container path -> "line:column" keys (1-based). */
export async function loadForPositions(wanted: ReadonlyMap<string, ReadonlySet<string>>, options: SourceMapOptions): Promise<SourceMapLookup> {
  const maxBytes = options.maxMapBytes ?? 16 * 1024 * 1024;
  const loaded = new Map<string, LoadedMap>();
  for (const [framePath, positions] of wanted) {
    options.signal?.throwIfAborted();
    const compiled = workspaceFileFor(framePath, options.roots);
    if (!compiled) continue;
    const mapPath = await mapFileOf(compiled);
    if (!mapPath) continue;
    const answers = await queryMap(mapPath, positions, maxBytes, options.roots).catch(() => undefined);
    if (answers) loaded.set(framePath, { mapPath, answers });
  }
  if (loaded.size === 0) return NO_SOURCE_MAPS;
  return {
    original(framePath: string, line: number, column?: number): OriginalPosition | undefined {
      return loaded.get(framePath)?.answers.get(`${line}:${column ?? 0}`);
    },
  };
}

/** The workspace file whose path ends with the most trailing segments of `containerPath` (at least the name). */
export function workspaceFileFor(containerPath: string, roots: readonly string[]): string | undefined {
  const segments = containerPath.replace(/^file:\/\//, '').split(/[\\/]/).filter(Boolean);
  for (let k = segments.length; k >= 1; k--) {
    const suffix = segments.slice(segments.length - k).join(sep);
    for (const root of roots) {
      const candidate = join(root, suffix);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** `<file>.map` beside it, or the file named by its `//# sourceMappingURL=` comment (inline data URLs excluded). */
async function mapFileOf(compiled: string): Promise<string | undefined> {
  const beside = compiled + '.map';
  if (existsSync(beside)) return beside;
  let text: string;
  try {
    const handle = await fs.open(compiled, 'r');
    try {
      const { size } = await handle.stat();
      // The comment is at the end: read the last 4 KiB only.
      const length = Math.min(size, 4096);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const m = /\/\/[#@] sourceMappingURL=([^\s'"]+)\s*$/.exec(text);
  if (!m || m[1].startsWith('data:')) return undefined;
  const target = resolvePath(dirname(compiled), decodeURIComponent(m[1]));
  return existsSync(target) ? target : undefined;
}

async function queryMap(mapPath: string, positions: ReadonlySet<string>, maxBytes: number, roots: readonly string[]): Promise<Map<string, OriginalPosition | undefined>> {
  const stat = await fs.stat(mapPath);
  if (stat.size > maxBytes) throw new Error(`${mapPath} is larger than ${maxBytes} bytes`);
  const raw = JSON.parse(await fs.readFile(mapPath, 'utf8')) as RawSourceMap;
  const consumer = await new SourceMapConsumer(raw);
  const answers = new Map<string, OriginalPosition | undefined>();
  try {
    const base = join(dirname(mapPath), raw.sourceRoot ?? '');
    for (const key of positions) {
      const [line, column] = key.split(':').map(Number);
      // V8 columns are 1-based, source-map columns 0-based.
      const pos = consumer.originalPositionFor({ line, column: Math.max(0, column - 1) });
      if (pos.source === null || pos.line === null) {
        answers.set(key, undefined);
        continue;
      }
      const source = pos.source.replace(/^file:\/\//, '');
      let path = isAbsolute(source) ? source : resolvePath(base, source);
      if (!existsSync(path)) path = workspaceFileFor(source, roots) ?? '';
      answers.set(key, path ? { path, line: pos.line, column: (pos.column ?? 0) + 1 } : undefined);
    }
  } finally {
    consumer.destroy();
  }
  return answers;
}
