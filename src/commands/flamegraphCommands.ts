// Flamegraph, compare and export commands: the host side of what the flamegraph toolbar offers too.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { FlamegraphPanel, type FlamegraphInput } from '../views/flamegraph/flamegraphPanel';
import { toLoaded, type LoadedProfile } from '../views/profileSession';
import { openFrameSource } from '../views/openLocation';
import { encodePprof } from '../formats/pprof';
import { encodeFolded } from '../formats/folded';
import { profileFileFilters, readProfileFile } from './openProfileFile';
import { resolveFrames, type PresentDeps } from './presentProfile';
import { hotFunctionAt } from '../model/hotFunctionAt';
import type { FunctionHotspot } from '../model/hotspots';

export class FlamegraphCommands {
  constructor(
    private readonly deps: PresentDeps,
    private readonly extensionUri: vscode.Uri,
  ) {}

  input(focusFunction?: string): FlamegraphInput | undefined {
    const { session } = this.deps;
    const a = session.active;
    if (!a) return undefined;
    const b = session.baseline;
    return {
      profile: a.profile,
      resolutions: a.resolutions,
      title: a.label,
      baseline: b ? { profile: b.profile, resolutions: b.resolutions, title: b.label } : undefined,
      focusFunction,
    };
  }

  readonly openSource = (frameId: number): void => {
    const a = this.deps.session.active;
    if (a) void openFrameSource(a, frameId);
  };

  readonly handlers = {
    onExportProfile: () => void this.exportProfile(),
    onCompareProfile: () => void this.compare(),
  };

  show(arg?: unknown): void {
    const focus = typeof (arg as { focusFunction?: unknown })?.focusFunction === 'string' ? (arg as { focusFunction: string }).focusFunction : undefined;
    const input = this.input(focus);
    if (!input) {
      void vscode.window.showInformationMessage('No profile is loaded. Run "Pod Profiler: Profile Pod..." or "Open Profile File..." first.');
      return;
    }
    FlamegraphPanel.show(this.extensionUri, input, this.openSource, this.handlers);
  }

  /** Keeps an open flamegraph in step with the session (live refresh, compare, cleared). */
  sessionChanged(): void {
    const input = this.input();
    if (input) FlamegraphPanel.visible?.update(input);
  }

  /**
   * The editor cursor moved: an open flamegraph selects the hot function the cursor is in, so the graph and
   * its table follow the code being read. Only when the function changes, and never steals focus.
   */
  cursorMoved(editor: vscode.TextEditor): void {
    const panel = FlamegraphPanel.visible;
    const active = this.deps.session.active;
    if (!panel || !active || editor.document.uri.scheme !== 'file') return;
    const file = active.hotspots.files.get(editor.document.uri.fsPath);
    if (!file) return;
    const line = editor.selection.active.line + 1;
    const fn = hotFunctionAt(file, line, active.resolutions, this.deps.sources.definitionsIn(file.path));
    if (!fn || fn === this.lastCursorFunction) return;
    this.lastCursorFunction = fn;
    panel.selectFunction(fn.name);
  }

  private lastCursorFunction: FunctionHotspot | undefined;

  /**
   * Picks the baseline ("before") among recent profiles or from a file, then shows the differential view.
   * Automation may pass the baseline file's URI and skip the pickers.
   */
  async compare(arg?: unknown): Promise<boolean> {
    const { session } = this.deps;
    const active = session.active;
    if (!active) {
      void vscode.window.showInformationMessage('Load a profile first; then compare it with an earlier one.');
      return false;
    }
    if (arg instanceof vscode.Uri) return this.compareWithFile(arg);
    type Item = vscode.QuickPickItem & { loaded?: LoadedProfile; file?: true; none?: true };
    const items: Item[] = session.history.map((p) => ({ label: p.label, description: new Date(p.loadedAt).toLocaleTimeString(), loaded: p }));
    items.push({ label: '$(folder-opened) Profile file...', file: true });
    if (session.baseline) items.push({ label: '$(close) Stop comparing', none: true });
    const pick = await vscode.window.showQuickPick(items, { title: `Compare ${active.label} with...`, placeHolder: 'The baseline, e.g. the profile from before the fix' });
    if (!pick) return false;
    if (pick.file) {
      const uri = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: profileFileFilters, title: 'Baseline profile' }))?.[0];
      return uri ? this.compareWithFile(uri) : false;
    }
    session.compareWith(pick.loaded);
    if (pick.loaded) this.show();
    return true;
  }

  private async compareWithFile(uri: vscode.Uri): Promise<boolean> {
    try {
      const profile = await readProfileFile(uri);
      this.deps.session.compareWith(toLoaded(profile, await resolveFrames(this.deps, profile), basename(uri.path)));
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not open ${basename(uri.path)}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    this.show();
    return true;
  }

  async exportProfile(): Promise<void> {
    const a = this.deps.session.active;
    if (!a) return;
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'pprof (.pb.gz)', description: 'for go tool pprof, Parca, speedscope', ext: 'pb.gz' },
        { label: 'Folded stacks (.folded)', description: "for Brendan Gregg's flamegraph.pl, speedscope", ext: 'folded' },
      ],
      { title: `Export ${a.label}` },
    );
    if (!pick) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const base = a.label.replace(/[^\w.-]+/g, '_').replace(/_+$/, '').slice(0, 80) || 'profile';
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${pick.ext}`) : undefined,
      title: 'Export profile',
    });
    if (!target) return;
    const bytes = pick.ext === 'folded' ? Buffer.from(encodeFolded(a.profile), 'utf8') : encodePprof(a.profile);
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  }
}
