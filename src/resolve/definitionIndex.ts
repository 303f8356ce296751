// The workspace's function definitions, found with tree-sitter, looked up by name (Go's also by the symbols
// the toolchain prints: goSymbolTable.ts).
// Built lazily (ensureBuilt), in batches that yield to the event loop, on parse worker threads when given
// (parsePool), cancellable, with progress; kept current with updateFile/removeFile (wire them to a file
// watcher); serialisable so a reload only re-parses files whose mtime or size changed. No vscode API: folders,
// exclude globs, the wasm dir and the worker script are passed in.
import { closeSync, openSync, promises as fs, readSync } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import { ClosureSite, Definition, DefinitionLanguage, PYTHON_CODE_NAMES, languageOfFile } from './definitions/definition';
import { lambdaParamTypes } from './definitions/cppDefinitions';
import { CLOSURE_NODES, FileDefinitions, FilePlace, fileDefinitions, readSourceText, firstSiteFrom, sitesWithin } from './definitions/fileDefinitions';
import { ParseWorkers, parseAll } from './definitions/parsePool';
import { ProjectLayout } from './definitions/projectLayout';
import { isCachedFile } from './definitions/cachedFile';
import { TreeSitterHost, grammarOfFile, type TsNode } from './definitions/treeSitter';
import { isAtOrBelow, targetSet } from './pathsBelow';
import { DEFAULT_EXCLUDES, FileEntry, IgnoreRules, listSourceFiles } from './definitions/workspaceFiles';
import { GoSymbolTable } from './goSymbolTable';
import { addDefinition, removeDefinitionsOf } from './definitionLists';

export type { ClosureSite, Definition, DefinitionLanguage } from './definitions/definition';
export type { GoClosureEntry, GoSymbolEntry, GoSymbolTable } from './goSymbolTable';

export interface DefinitionIndexOptions {
  /** Absolute workspace folder paths. */
  readonly roots: readonly string[];
  /** Glob patterns to skip (VS Code `files.exclude` keys that are on). Default: .git, node_modules, ... */
  readonly exclude?: readonly string[];
  /** Honour .gitignore files (default true). */
  readonly useGitignore?: boolean;
  /** Directory of tree-sitter.wasm and the grammars (dist/tree-sitter in the packaged extension). */
  readonly wasmDir?: string;
  /** Files larger than this are generated or data, not code to jump to (default 1 MiB). */
  readonly maxFileBytes?: number;
  /** Files parsed between two yields to the event loop, and sent to a parse worker at a time (default 64). */
  readonly batchSize?: number;
  /** Parse on worker threads during a build (dist/parseWorker.js); without it the calling thread parses all. */
  readonly parseWorkers?: ParseWorkers;
}

export interface BuildOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (filesDone: number, filesTotal: number) => void;
}

export interface IndexStats {
  readonly files: number;
  readonly parsed: number;
  /** Of the files parsed, those parsed on worker threads (see DefinitionIndexOptions.parseWorkers). */
  readonly parsedByWorkers: number;
  readonly reusedFromCache: number;
  readonly definitions: number;
  readonly millis: number;
}

/** The JSON shape of toJSON(): per file its stat key and definitions (file path stored once). */
export interface SerializedIndex {
  readonly version: number;
  readonly roots: readonly string[];
  readonly files: ReadonlyArray<{ path: string; size: number; mtimeMs: number; defs: Array<Omit<Definition, 'file'>>; closures?: readonly ClosureSite[] }>;
}

// 4: Python definitions carry enclosingLine, and defs inside if/for/while/try blocks are found.
const CACHE_VERSION = 4;
const MANIFESTS = new Set(['go.mod', 'Cargo.toml']);

interface FileRecord extends FileDefinitions {
  readonly size: number;
  readonly mtimeMs: number;
}

export class DefinitionIndex {
  private readonly files = new Map<string, FileRecord>();
  private readonly byName = new Map<string, Definition[]>();
  /** The Go definitions by the symbols the toolchain prints for them, and what resolving those needs. */
  readonly goSymbols = new GoSymbolTable();
  private readonly layout: ProjectLayout;
  private readonly rules = new Map<string, IgnoreRules>();
  private readonly maxFileBytes: number;
  private building: Promise<IndexStats> | undefined;
  private built = false;
  /** Bumped on every change so resolvers can drop cached answers. */
  private generationCounter = 0;
  /** Closures per file, read on demand (closureSites) and dropped when the file changes. */
  private readonly closures = new Map<string, readonly ClosureSite[]>();
  private readonly closureKeys = new Map<string, string[]>();
  /** Definitions per language, kept by store/drop (languages() is asked by every new resolver). */
  private readonly perLanguage = new Map<DefinitionLanguage, number>();
  /** languages() answer, dropped whenever a language appears or disappears. */
  private languagesCache: Set<DefinitionLanguage> | undefined;
  private constructor(
    private readonly host: TreeSitterHost,
    private readonly options: DefinitionIndexOptions,
  ) {
    this.layout = new ProjectLayout(options.roots);
    this.maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
  }

  /** Loads tree-sitter; nothing is indexed until ensureBuilt(). `cache` is a previous toJSON(). */
  static async create(options: DefinitionIndexOptions, cache?: SerializedIndex): Promise<DefinitionIndex> {
    const index = new DefinitionIndex(await TreeSitterHost.create(options.wasmDir), options);
    if (cache) index.restore(cache);
    return index;
  }

  get generation(): number {
    return this.generationCounter;
  }

  /** After a batch of stores and drops: the Go symbols' answers rebuilt, and resolvers told to drop theirs. */
  private changed(): void {
    this.goSymbols.settle();
    this.generationCounter++;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** Builds once (later calls share the first build); an aborted build can be retried. */
  ensureBuilt(opts: BuildOptions = {}): Promise<IndexStats> {
    if (!this.building) {
      this.building = this.build(opts).catch((err: unknown) => {
        this.building = undefined;
        throw err;
      });
    }
    return this.building;
  }

  /** Definitions named `name` (the last qualified part). */
  lookup(name: string): readonly Definition[] {
    return this.byName.get(name) ?? [];
  }

  /**
   * The closures written directly inside lines [startLine, endLine] of `file` (a definition's range), in
   * source order, each with the closures nested in it. Go's were found while indexing (no I/O here); other
   * languages' are read on first use by parsing just those lines (parsing whole files here cost seconds on
   * big trees), or the whole file when `wholeFile` (Java numbers lambdas per class). Undefined when they
   * cannot be read now.
   */
  closureSites(def: Pick<Definition, 'file' | 'startLine' | 'endLine' | 'byteStart' | 'byteEnd'>, wholeFile = false): readonly ClosureSite[] | undefined {
    const { file, startLine, endLine } = def;
    const indexed = this.files.get(file)?.closures;
    if (indexed) return sitesWithin(indexed, startLine, endLine);
    const key = wholeFile ? `${file}\u0000*` : `${file}\u0000${startLine}\u0000${endLine}`;
    let sites = this.closures.get(key);
    if (!sites) {
      const found = this.readClosures(file, wholeFile ? undefined : [startLine, endLine], def);
      if (!found) return undefined;
      this.closures.set(key, (sites = found));
      (this.closureKeys.get(file) ?? this.closureKeys.set(file, []).get(file)!).push(key);
    }
    if (!wholeFile) return sites;
    const out: ClosureSite[] = [];
    const visit = (list: readonly ClosureSite[]) => {
      for (const site of list) {
        if (site.line >= startLine && site.endLine <= endLine) out.push(site);
        else if (site.line <= endLine && site.endLine >= startLine) visit(site.children);
      }
    };
    visit(sites);
    return out;
  }

  /**
   * The `n`-th (1-based) closure written directly inside `def`: closureSites(def)[n - 1], without building
   * the list when the file's closures were noted while indexing (Go).
   */
  closureAt(def: Pick<Definition, 'file' | 'startLine' | 'endLine' | 'byteStart' | 'byteEnd'>, n: number): ClosureSite | undefined {
    const indexed = this.files.get(def.file)?.closures;
    if (!indexed) return this.closureSites(def)?.[n - 1];
    if (n < 1) return undefined;
    // sitesWithin's search, then its range check up to the n-th site only.
    const lo = firstSiteFrom(indexed, def.startLine);
    const k = lo + n - 1;
    if (k >= indexed.length) return undefined;
    for (let i = lo; i <= k; i++) if (indexed[i].endLine > def.endLine) return undefined;
    return indexed[k];
  }

  private readClosures(file: string, range: [number, number] | undefined, def: Pick<Definition, 'byteStart' | 'byteEnd'>): ClosureSite[] | undefined {
    const lang = languageOfFile(file);
    const kinds = lang && CLOSURE_NODES[lang];
    const parser = lang && this.host.parser(grammarOfFile(file)!);
    if (!kinds || !parser) return undefined;
    // Just the definition's bytes when the index knows them (reading whole files is what costs here).
    const ranged = range && def.byteStart !== undefined && def.byteEnd !== undefined;
    let text = ranged ? readRange(file, def.byteStart!, def.byteEnd!) : readSourceText(file);
    if (text === undefined) return undefined;
    // Lines before the parsed text: site lines are shifted back by it.
    let offset = 0;
    if (range) {
      const lines = ranged ? [text.endsWith('\n') ? text.slice(0, -1) : text] : text.split('\n').slice(range[0] - 1, range[1]);
      // A Java method only parses inside a class body.
      text = lang === 'java' ? `class __Snippet {\n${lines.join('\n')}\n}` : lines.join('\n');
      offset = range[0] - 1 - (lang === 'java' ? 1 : 0);
    }
    const tree = parser.parse(text);
    if (!tree) return undefined;
    try {
      const top: ClosureSite[] = [];
      // Iterative walk keeping, per open closure, the list its nested closures go into.
      const stack: Array<{ node: TsNode; into: ClosureSite[] }> = [{ node: tree.rootNode, into: top }];
      // Python: what a nested def or class holds is named through it (f.<locals>.g.<locals>.<lambda>), not f's.
      let pythonDef = false;
      while (stack.length > 0) {
        const { node, into } = stack.pop()!;
        if (lang === 'python' && (node.type === 'class_definition' || node.type === 'function_definition')) {
          if (node.type === 'class_definition' || pythonDef) continue;
          pythonDef = true;
        }
        let childInto = into;
        if (kinds.has(node.type)) {
          const params = lang === 'cpp' ? lambdaParamTypes(node) : undefined;
          const kind = lang === 'python' ? PYTHON_CODE_NAMES[node.type] : undefined;
          const site = { line: node.startPosition.row + 1 + offset, endLine: node.endPosition.row + 1 + offset, children: [] as ClosureSite[], ...(params ? { params } : {}), ...(kind ? { kind } : {}) };
          into.push(site);
          childInto = site.children;
        }
        const children = node.namedChildren;
        for (let i = children.length - 1; i >= 0; i--) {
          const child = children[i];
          if (child) stack.push({ node: child, into: childInto });
        }
      }
      return top;
    } catch {
      return undefined;
    } finally {
      tree.delete();
    }
  }

  definitionsIn(file: string): readonly Definition[] {
    return this.files.get(file)?.defs ?? [];
  }

  /** Every indexed file's path. */
  filePaths(): IterableIterator<string> {
    return this.files.keys();
  }

  get fileCount(): number {
    return this.files.size;
  }

  get definitionCount(): number {
    let n = 0;
    for (const r of this.files.values()) n += r.defs.length;
    return n;
  }

  /** Languages that have at least one definition (the resolver skips readings in other languages). */
  languages(): ReadonlySet<DefinitionLanguage> {
    return (this.languagesCache ??= new Set(this.perLanguage.keys()));
  }

  private async build(opts: BuildOptions): Promise<IndexStats> {
    const started = performance.now();
    const entries: FileEntry[] = [];
    for (const root of this.options.roots) {
      entries.push(...(await listSourceFiles(root, { exclude: this.options.exclude, useGitignore: this.options.useGitignore, maxFileBytes: this.maxFileBytes, signal: opts.signal })));
    }
    const byPath = new Map(entries.map((e) => [e.path, e]));
    for (const path of [...this.files.keys()]) if (!byPath.has(path)) this.drop(path);
    const todo = entries.filter((e) => {
      const old = this.files.get(e.path);
      return !old || old.size !== e.size || old.mtimeMs !== e.mtimeMs;
    });
    // Every language present, also for files reused from the cache: closureSites() parses on demand.
    for (const grammar of new Set(entries.map((e) => grammarOfFile(e.path)!))) await this.host.load(grammar);
    let done = entries.length - todo.length;
    opts.onProgress?.(done, entries.length);
    const parsedByWorkers = await parseAll(
      byRarestGrammar(todo).map((e) => ({ path: e.path, place: this.placeOf(e.path) })),
      {
        workers: this.options.parseWorkers,
        wasmDir: this.host.directory,
        batchSize: this.options.batchSize ?? 64,
        signal: opts.signal,
        parseHere: ({ path, place }) => {
          const text = readSourceText(path);
          return text === undefined ? undefined : fileDefinitions(this.host, path, text, place);
        },
        onBatch: (tasks, results) => {
          tasks.forEach((task, k) => {
            const entry = byPath.get(task.path)!;
            const result = results[k];
            if (result) this.store(task.path, { size: entry.size, mtimeMs: entry.mtimeMs, ...result });
          });
          done += tasks.length;
          opts.onProgress?.(done, entries.length);
        },
      },
    );
    this.built = true;
    this.changed();
    return {
      files: entries.length,
      parsed: todo.length,
      parsedByWorkers,
      reusedFromCache: entries.length - todo.length,
      definitions: this.definitionCount,
      millis: performance.now() - started,
    };
  }

  /**
   * Re-reads one file after it was created or changed (ignored if excluded, too large or not source). A
   * created folder is read whole: file watchers can miss files written into a folder that was just made
   * (inotify watches a new folder only once told of it), as a checkout or an unpacked package does.
   */
  async updateFile(path: string): Promise<void> {
    if (MANIFESTS.has(basename(path))) {
      // Import paths / crate names changed for every file below it.
      this.layout.forget();
      const dir = dirname(path) + sep;
      for (const file of [...this.files.keys()]) if (file.startsWith(dir)) await this.updateFile(file);
      return;
    }
    if (!languageOfFile(path)) return this.updateFolder(path);
    if (!(await this.isIncluded(path))) return;
    let st;
    try {
      st = await fs.stat(path);
    } catch {
      this.removeFile(path);
      return;
    }
    if (!st.isFile() || st.size > this.maxFileBytes) {
      this.removeFile(path);
      return;
    }
    await this.host.load(grammarOfFile(path)!);
    const text = await fs.readFile(path, 'utf8');
    this.store(path, { size: st.size, mtimeMs: st.mtimeMs, ...this.extract(path, text) });
    this.changed();
  }

  private async updateFolder(dir: string): Promise<void> {
    const st = await fs.stat(dir).catch(() => undefined);
    if (!st?.isDirectory() || !(await this.isIncluded(dir, true))) return;
    // Only the globs that hold at any depth apply to a listing rooted here; isIncluded has the last word.
    const anyDepth = (this.options.exclude ?? DEFAULT_EXCLUDES).filter((g) => g.startsWith('**/'));
    const entries = await listSourceFiles(dir, { exclude: anyDepth, useGitignore: this.options.useGitignore, maxFileBytes: this.maxFileBytes });
    // The folder may hold a go.mod or Cargo.toml the layout cached as absent.
    if (entries.length > 0) this.layout.forget();
    for (const e of entries) {
      const known = this.files.get(e.path);
      if (known?.size === e.size && known.mtimeMs === e.mtimeMs) continue;
      await this.updateFile(e.path);
    }
  }

  removeFile(path: string): void {
    this.removeFiles([path]);
  }

  /** Drops deleted files, and everything below deleted folders, in one pass over the index. */
  removeFiles(paths: Iterable<string>): void {
    const targets = targetSet(paths, sep);
    if (targets.size === 0) return;
    let dropped = false;
    for (const file of [...this.files.keys()]) {
      if (isAtOrBelow(file, targets, sep)) {
        this.drop(file);
        dropped = true;
      }
    }
    if (dropped) this.changed();
  }

  toJSON(): SerializedIndex {
    const files: SerializedIndex['files'][number][] = [];
    for (const [path, r] of this.files) {
      files.push({ path, size: r.size, mtimeMs: r.mtimeMs, defs: r.defs.map(({ file: _file, ...rest }) => rest), ...(r.closures ? { closures: r.closures } : {}) });
    }
    return { version: CACHE_VERSION, roots: [...this.options.roots], files };
  }

  private restore(cache: SerializedIndex): void {
    if (cache?.version !== CACHE_VERSION || !Array.isArray(cache.files)) return;
    if (JSON.stringify(cache.roots) !== JSON.stringify(this.options.roots)) return;
    // Read from disk: a cache not in toJSON()'s shape (edited by hand, or damaged) is ignored whole, and the
    // build parses every file. Taken in part, it would throw while stored, and on every later start.
    if (!cache.files.every(isCachedFile)) return;
    for (const f of cache.files) {
      this.store(f.path, { size: f.size, mtimeMs: f.mtimeMs, defs: f.defs.map((d: Omit<Definition, 'file'>) => ({ ...d, file: f.path })), closures: f.closures });
    }
    this.goSymbols.settle();
  }

  /** Parses `text` as the file at `path` (never throws on bad source). */
  private extract(path: string, text: string): FileDefinitions {
    return fileDefinitions(this.host, path, text, this.placeOf(path));
  }

  /** What the extractor of `path`'s language needs to know of its project (import path, module path). */
  private placeOf(path: string): FilePlace {
    switch (languageOfFile(path)) {
      case 'go':
        return { goImportPath: this.layout.goImportPath(path) };
      case 'rust':
        return { rustModulePath: this.layout.rustModulePath(path) };
      case 'python':
        return { pythonModulePath: this.layout.pythonModulePath(path) };
      default:
        return {};
    }
  }

  /** Same rules as the initial listing: inside a root, not excluded, not git-ignored (nor any folder above it). */
  private async isIncluded(path: string, isDir = false): Promise<boolean> {
    const root = this.options.roots.find((r) => path.startsWith(r.endsWith(sep) ? r : r + sep));
    if (!root) return false;
    let rules = this.rules.get(root);
    if (!rules) this.rules.set(root, (rules = new IgnoreRules(root, this.options.exclude ?? DEFAULT_EXCLUDES, this.options.useGitignore ?? true)));
    const ancestors: string[] = [];
    for (let dir = dirname(path); dir.length >= root.length; dir = dirname(dir)) {
      ancestors.unshift(dir);
      if (dir === root || dirname(dir) === dir) break;
    }
    for (let i = 0; i < ancestors.length; i++) {
      rules.loadGitignore(ancestors[i]);
      if (i > 0 && rules.ignored(ancestors[i], true, ancestors.slice(0, i))) return false;
    }
    return !rules.ignored(path, isDir, ancestors);
  }

  private store(path: string, record: FileRecord): void {
    this.drop(path);
    this.forgetClosures(path);
    this.files.set(path, record);
    for (const d of record.defs) {
      this.countLanguage(d.language, 1);
      addDefinition(this.byName, d.name, d);
    }
    this.goSymbols.add(path, record.defs, record.closures);
  }

  private countLanguage(language: DefinitionLanguage, delta: number): void {
    const n = (this.perLanguage.get(language) ?? 0) + delta;
    if (n > 0 && n - delta > 0) {
      this.perLanguage.set(language, n);
      return;
    }
    // Appeared or disappeared.
    if (n > 0) this.perLanguage.set(language, n);
    else this.perLanguage.delete(language);
    this.languagesCache = undefined;
  }

  private forgetClosures(path: string): void {
    for (const key of this.closureKeys.get(path) ?? []) this.closures.delete(key);
    this.closureKeys.delete(path);
  }

  private drop(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    this.files.delete(path);
    this.forgetClosures(path);
    for (const d of old.defs) {
      this.countLanguage(d.language, -1);
      // (A file's second definition of a name finds the list already without the file, or gone.)
      removeDefinitionsOf(this.byName, d.name, path);
    }
    this.goSymbols.remove(path, old.defs);
  }
}
/** `length` bytes of `path` from `start`, as text; undefined if unreadable. */
function readRange(path: string, start: number, end: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(Math.max(0, end - start));
    const n = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.toString('utf8', 0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}


/**
 * `entries` with the files of the rarest grammar first, then the next rarest, ... (listing order within each).
 * V8 optimises a grammar's parser code on a background thread once it has run a while, which for a big
 * grammar takes over a second of a core (C++'s, for the few C files of a Go tree): started first, that
 * overlaps the bulk of the build instead of the work that follows it, the first profile's resolution.
 */
function byRarestGrammar(entries: readonly FileEntry[]): FileEntry[] {
  const count = new Map<string | undefined, number>();
  const grammars = entries.map((e) => grammarOfFile(e.path));
  for (const g of grammars) count.set(g, (count.get(g) ?? 0) + 1);
  const order = entries.map((_, i) => i);
  order.sort((a, b) => count.get(grammars[a])! - count.get(grammars[b])! || (grammars[a] ?? '').localeCompare(grammars[b] ?? '') || a - b);
  return order.map((i) => entries[i]);
}
