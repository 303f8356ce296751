// The workspace's source files as the resolvers see them:
// - a PathMapper over every source file (files.exclude applies) for frames that carry a recorded path;
// - the definition index (tree-sitter) and its name resolver for name-only frames, built on first need (or
//   while a pod's profile is on its way: prepare) with cancellable progress, cached per workspace, and kept
//   current by a file watcher.
import * as vscode from 'vscode';
import { PathMapper } from '../resolve/pathMapper';
import { DefinitionIndex, type Definition, type SerializedIndex } from '../resolve/definitionIndex';
import { createNameResolver, type NameResolver } from '../resolve/nameResolver';
import { loadSourceMaps } from '../resolve/sourceMaps';
import { languageOfFile } from '../resolve/definitions/definition';
import type { Profile } from '../model/profile';
import { config } from '../config';
import { withDelayedProgress, type ProgressStep, type ShowProgress } from './delayedProgress';

/** Cap on files listed for path matching: beyond it the mapper still works on what it has. */
const maxFiles = 200_000;
const cacheFile = 'definition-index.json';
/** Files whose creation or change can move a frame; folders are told apart by a stat (see ensureWatcher). */
const relevantFile = /(\.(go|c|cc|cpp|cxx|h|hh|hpp|hxx|rs|java|kt|js|mjs|cjs|jsx|ts|tsx|py|map)|\/go\.mod|\/Cargo\.toml)$/;
/** Deletions are gathered this long and applied in one pass (a clean or a checkout deletes thousands). */
const deleteBatchMs = 100;
/** A build shorter than this shows no notification (see delayedProgress.ts). */
const progressDelayMs = 500;

/** A definition index build begun ahead of a profile (see WorkspaceSources.prepare). */
export type PreparedIndex = Promise<DefinitionIndex | undefined>;

export class WorkspaceSources implements vscode.Disposable {
  private mapper: Promise<PathMapper> | undefined;
  private index: Promise<DefinitionIndex> | undefined;
  /** The index once built, for synchronous questions (definitionsIn); undefined before and after reset. */
  private builtIndex: DefinitionIndex | undefined;
  /** The index build under way: every caller waits for this one (see build). */
  private building: { readonly index: DefinitionIndex; readonly abort: AbortController; readonly done: Promise<void> } | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private deleted = new Set<string>();
  private deleteTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after files were created, changed or deleted, so open profiles can be resolved again. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly storageUri: vscode.Uri | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset('the workspace folders changed')),
      vscode.workspace.onDidChangeConfiguration((e) => {
        const key = ['podProfiler.sourceFiles', 'podProfiler.pathSubstitutions', 'files.exclude'].find((k) => e.affectsConfiguration(k));
        if (key) this.reset(`setting ${key} changed`);
      }),
    );
  }

  /** Lists the workspace on first use; later calls reuse the list kept current by the watcher. */
  pathMapper(token?: vscode.CancellationToken): Promise<PathMapper> {
    if (!this.mapper) {
      this.ensureWatcher();
      const mapper = Promise.resolve(vscode.workspace.findFiles(config.sourceFilesGlob(), undefined, maxFiles, token)).then(
        (uris) => new PathMapper(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath), config.pathSubstitutions()),
      );
      this.mapper = mapper;
      // A cancelled listing must not poison later calls.
      mapper.catch(() => {
        if (this.mapper === mapper) this.mapper = undefined;
      });
    }
    return this.mapper;
  }

  /**
   * Starts what resolving a profile needs, the file list and the definition index, while the profile is on
   * its way: a pod's CPU profile arrives after its recording time, and a first index build of a big
   * workspace takes seconds. Give the answer to nameResolver: it waits for this build instead of starting
   * one after the profile arrived, and a build stopped meanwhile (its notification's Cancel) stays stopped.
   */
  prepare(): PreparedIndex {
    void this.pathMapper().catch(() => undefined);
    const index = this.indexBuilt();
    // Rejections are for nameResolver to report; a profile that never comes leaves this one unread.
    index.catch(() => undefined);
    return index;
  }

  /**
   * The name resolver over the definition index, building the index first if needed (progress shown,
   * cancellable), or over the index `prepared` builds; with the source maps `profile`'s compiled-JS frames
   * need. Undefined without a folder, and when the build was stopped.
   */
  async nameResolver(profile: Profile, token?: vscode.CancellationToken, prepared?: PreparedIndex): Promise<NameResolver | undefined> {
    let index: DefinitionIndex | undefined;
    try {
      index = await (prepared ?? this.indexBuilt(token));
      // Folders or settings changed while the profile was on its way (a reset): the index they make now.
      if (prepared && index && index !== this.builtIndex) index = await this.indexBuilt(token);
    } catch (e) {
      if (token?.isCancellationRequested) throw e;
      // The user stopped indexing (or it failed): show what recorded paths can place, say what is missing.
      this.log.warn(`definition index not built: ${e instanceof Error ? e.message : String(e)}`);
      const what = e instanceof Error && e.name === 'AbortError' ? 'Workspace indexing stopped' : 'Workspace indexing failed (see the Pod Profiler log)';
      void vscode.window.showWarningMessage(`${what}: frames that carry only a function name stay unplaced until the next profile is loaded.`);
      return undefined;
    }
    if (!index) return undefined;
    const roots = folderRoots();
    const abort = new AbortController();
    const sub = token?.onCancellationRequested(() => abort.abort());
    try {
      return createNameResolver(index, { sourceMaps: await loadSourceMaps(profile, { roots, signal: abort.signal }) });
    } finally {
      sub?.dispose();
    }
  }

  /** The definition index once built; undefined without a folder. Rejects when the build was stopped or failed. */
  private async indexBuilt(token?: vscode.CancellationToken): Promise<DefinitionIndex | undefined> {
    const roots = folderRoots();
    if (roots.length === 0) return undefined;
    if (!this.index) {
      this.ensureWatcher();
      const created = this.createIndex(roots);
      this.index = created;
      created.catch(() => {
        if (this.index === created) this.index = undefined;
      });
    }
    const pending = this.index;
    const index = await pending;
    // A reset meanwhile (folders or settings changed) made this index stale: the one they make now.
    if (this.index !== pending) return this.indexBuilt(token);
    if (!index.isBuilt) {
      try {
        await this.build(index, token);
      } catch (e) {
        // The reset stopped this build (see reset); the user's Cancel and failures are the caller's to report.
        if (e instanceof StaleIndexError && !token?.isCancellationRequested) return this.indexBuilt(token);
        throw e;
      }
    }
    if (this.index !== pending) return this.indexBuilt(token);
    this.builtIndex = index;
    return index;
  }

  private async createIndex(roots: string[]): Promise<DefinitionIndex> {
    const excludes = vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude', {});
    const exclude = Object.entries(excludes).filter(([, on]) => on === true).map(([glob]) => glob);
    const cache = await this.readCache();
    return DefinitionIndex.create(
      {
        roots,
        exclude: exclude.length > 0 ? [...exclude, '**/node_modules', '**/.git'] : undefined,
        wasmDir: vscode.Uri.joinPath(this.extensionUri, 'dist', 'tree-sitter').fsPath,
        // Parsing on worker threads leaves the extension host's thread free to move messages during a build.
        parseWorkers: { script: vscode.Uri.joinPath(this.extensionUri, 'dist', 'parseWorker.js').fsPath, onProblem: (message) => this.log.warn(message) },
      },
      cache && cache.roots.join('\n') === roots.join('\n') ? cache : undefined,
    );
  }

  /**
   * Builds the index with a cancellable progress notification, opened only when the build outlasts
   * progressDelayMs (a small or cached workspace is indexed before the user could read it). Callers meanwhile
   * wait for the same build and its one notification; one whose token is cancelled stops it, as its Cancel does.
   */
  private build(index: DefinitionIndex, token?: vscode.CancellationToken): Promise<void> {
    let running = this.building;
    if (running?.index !== index) {
      const abort = new AbortController();
      running = { index, abort, done: this.runBuild(index, abort) };
      const current = running;
      this.building = current;
      void current.done.catch(() => undefined).finally(() => {
        if (this.building === current) this.building = undefined;
      });
    }
    const stop = running.abort;
    const sub = token?.onCancellationRequested(() => stop.abort());
    return running.done.finally(() => sub?.dispose());
  }

  private async runBuild(index: DefinitionIndex, abort: AbortController): Promise<void> {
    const show: ShowProgress = (current, follow, done) =>
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Pod Profiler: indexing workspace definitions', cancellable: true },
        (progress, progressToken) => {
          let reported = 0;
          const report = (step: ProgressStep) => {
            progress.report({ message: step.message, increment: step.percent - reported });
            reported = step.percent;
          };
          if (current) report(current);
          follow(report);
          const cancel = progressToken.onCancellationRequested(() => {
            this.log.info('definition index: build cancelled from its notification');
            abort.abort();
          });
          return done.finally(() => cancel.dispose());
        },
      );
    const stats = await withDelayedProgress(progressDelayMs, show, (report) =>
      index.ensureBuilt({
        signal: abort.signal,
        onProgress: (done, total) => report({ message: `${done} of ${total} files`, percent: total > 0 ? (100 * done) / total : 0 }),
      }),
    );
    this.log.info(`definition index: ${stats.files} files (${stats.parsed} parsed, ${stats.parsedByWorkers} of them on worker threads, ${stats.reusedFromCache} from cache), ${stats.definitions} definitions in ${Math.round(stats.millis)} ms`);
    this.scheduleSave(index);
  }

  private ensureWatcher(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const update = async (u: vscode.Uri, kind: 'create' | 'change') => {
      if (!watched(u)) return;
      // Deletions first, in the order they came: a checkout deletes a folder and writes it anew.
      if (this.deleted.size > 0) await this.applyDeletions();
      // Builds touch many files: only source files, manifests and source maps change where frames land. A
      // created folder stands for the files in it: watchers can miss files written into a folder just made
      // (a checkout, an unpacked package), and its name need not be dot-less (gopkg.in/yaml.v3).
      const folder = kind === 'create' && !languageOfFile(u.fsPath) && (await isFolder(u));
      if (!folder && !relevantFile.test(u.path)) return;
      const mapper = this.mapper && (await this.mapper.catch(() => undefined));
      if (kind === 'create' && mapper) for (const file of folder ? await this.sourceFilesIn(u) : [u.fsPath]) mapper.add(file);
      const index = this.index && (await this.index.catch(() => undefined));
      if (index?.isBuilt) {
        await index.updateFile(u.fsPath).catch((e: unknown) => this.log.warn(`index update ${u.fsPath}: ${String(e)}`));
        this.scheduleSave(index);
      }
      this.changed.fire();
    };
    this.watcher.onDidCreate((u) => void update(u, 'create'));
    this.watcher.onDidChange((u) => void update(u, 'change'));
    this.watcher.onDidDelete((u) => {
      // Any name: a deleted folder cannot be told from a file any more, and dropping what lies below it is
      // one pass over the known files per batch.
      if (!watched(u)) return;
      this.deleted.add(u.fsPath);
      this.deleteTimer ??= setTimeout(() => void this.applyDeletions(), deleteBatchMs);
    });
  }

  private async applyDeletions(): Promise<void> {
    const paths = this.deleted;
    this.deleted = new Set();
    clearTimeout(this.deleteTimer);
    this.deleteTimer = undefined;
    const mapper = this.mapper && (await this.mapper.catch(() => undefined));
    let changed = mapper?.removeAll(paths) ?? false;
    const index = this.index && (await this.index.catch(() => undefined));
    if (index?.isBuilt) {
      const before = index.generation;
      index.removeFiles(paths);
      if (index.generation !== before) {
        changed = true;
        this.scheduleSave(index);
      }
    }
    // Build outputs come and go: open profiles are resolved again only when a known file went.
    if (changed) this.changed.fire();
  }

  /** The source files below a created folder (the configured source globs apply, as to the first listing). */
  private async sourceFilesIn(folder: vscode.Uri): Promise<string[]> {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, config.sourceFilesGlob()), undefined, maxFiles);
    return found.map((f) => f.fsPath);
  }

  private async readCache(): Promise<SerializedIndex | undefined> {
    if (!this.storageUri) return undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.storageUri, cacheFile));
      const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as SerializedIndex;
      return parsed && Array.isArray(parsed.files) && Array.isArray(parsed.roots) ? parsed : undefined;
    } catch {
      return undefined; // No cache yet, or a stale/corrupt one: rebuild.
    }
  }

  private scheduleSave(index: DefinitionIndex): void {
    const dir = this.storageUri;
    if (!dir) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(async () => {
      try {
        await vscode.workspace.fs.createDirectory(dir);
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, cacheFile), Buffer.from(JSON.stringify(index.toJSON())));
      } catch (e) {
        this.log.warn(`could not save the definition index cache: ${String(e)}`);
      }
    }, 2000);
  }

  private reset(why: string): void {
    this.log.info(`workspace sources: ${why}, the file list and the definition index are read again on next use`);
    // A build under way would index what no longer applies; its callers go on to the index of now.
    if (this.building) {
      this.log.info('definition index: the build under way is stopped, its index is stale');
      this.building.abort.abort(new StaleIndexError(why));
    }
    this.mapper = undefined;
    this.index = undefined;
    this.builtIndex = undefined;
    this.changed.fire();
  }

  /**
   * The definitions of one file with their line ranges, when the workspace has been indexed (a name-only
   * profile was resolved); undefined otherwise: this never starts an index build.
   */
  definitionsIn(fsPath: string): readonly Definition[] | undefined {
    return this.builtIndex?.definitionsIn(fsPath);
  }

  /** True when the path is a file inside one of the workspace folders (the only files a webview may open). */
  static isInWorkspace(fsPath: string): boolean {
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fsPath)) !== undefined;
  }

  dispose(): void {
    clearTimeout(this.saveTimer);
    clearTimeout(this.deleteTimer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Why a build was stopped by a reset (folders or settings changed), told apart from the user's Cancel. */
class StaleIndexError extends Error {
  override readonly name = 'StaleIndexError';
  constructor(why: string) {
    super(`the definition index went stale: ${why}`);
  }
}

/** The workspace folders on disk (the index's roots). */
function folderRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** True when `u` is a folder now (false when it is a file, or already gone). */
async function isFolder(u: vscode.Uri): Promise<boolean> {
  const st = await Promise.resolve(vscode.workspace.fs.stat(u)).catch(() => undefined);
  return st !== undefined && (st.type & vscode.FileType.Directory) !== 0;
}

/** Local files outside .git and node_modules: the only events the index and the path mapper follow. */
function watched(u: vscode.Uri): boolean {
  return u.scheme === 'file' && !/\/(\.git|node_modules)\//.test(u.path);
}
