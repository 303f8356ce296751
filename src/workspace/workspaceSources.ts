// The workspace's source files as the resolvers see them: a PathMapper over every source file
// (files.exclude applies) kept current by a file watcher, plus the name resolver when one is attached.
import * as vscode from 'vscode';
import { PathMapper } from '../resolve/pathMapper';
import type { NameResolver } from '../resolve/profileResolver';
import { config } from '../config';

/** Cap on files listed for path matching: beyond it the mapper still works on what it has. */
const maxFiles = 200_000;

export class WorkspaceSources implements vscode.Disposable {
  private mapper: Promise<PathMapper> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after files were created, changed or deleted, so open profiles can be resolved again. */
  readonly onDidChange = this.changed.event;
  nameResolver: NameResolver | undefined;

  constructor() {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('podProfiler.sourceFiles') || e.affectsConfiguration('podProfiler.pathSubstitutions') || e.affectsConfiguration('files.exclude')) this.reset();
      }),
    );
  }

  /** Lists the workspace on first use; later calls reuse the list kept current by the watcher. */
  pathMapper(token?: vscode.CancellationToken): Promise<PathMapper> {
    if (!this.mapper) {
      const glob = config.sourceFilesGlob();
      this.mapper = Promise.resolve(vscode.workspace.findFiles(glob, undefined, maxFiles, token)).then((uris) => {
        const mapper = new PathMapper(
          uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath),
          config.pathSubstitutions(),
        );
        this.watch(glob, mapper);
        return mapper;
      });
      // A cancelled listing must not poison later calls.
      this.mapper.catch(() => (this.mapper = undefined));
    }
    return this.mapper;
  }

  private watch(glob: string, mapper: PathMapper): void {
    this.watcher?.dispose();
    this.watcher = vscode.workspace.createFileSystemWatcher(glob);
    this.watcher.onDidCreate((u) => {
      mapper.add(u.fsPath);
      this.changed.fire();
    });
    this.watcher.onDidDelete((u) => {
      mapper.remove(u.fsPath);
      this.changed.fire();
    });
    this.watcher.onDidChange(() => this.changed.fire());
  }

  private reset(): void {
    this.mapper = undefined;
    this.watcher?.dispose();
    this.watcher = undefined;
    this.changed.fire();
  }

  /** True when the path is a file inside one of the workspace folders (the only files a webview may open). */
  static isInWorkspace(fsPath: string): boolean {
    const uri = vscode.Uri.file(fsPath);
    return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
