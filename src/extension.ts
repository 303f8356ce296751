// Wires the pieces together: sources -> model -> resolution -> views. Every command is registered here.
import * as vscode from 'vscode';
import { ProfileSession } from './views/profileSession';
import { HotspotCodeLensProvider } from './views/overlays/hotspotCodeLens';
import { HeatDecorations } from './views/overlays/heatDecorations';
import { HotspotHoverProvider } from './views/overlays/hotspotHover';
import { ProfileStatusBar } from './views/statusBar';
import { WorkspaceSources } from './workspace/workspaceSources';
import { openProfileFile } from './commands/openProfileFile';
import { showUnresolvedFrames } from './commands/unresolvedFrames';
import { pickDefinition } from './commands/pickDefinition';
import { onConfigChanged, config } from './config';
import { resolveFrames, type PresentDeps } from './commands/presentProfile';
import { FlamegraphCommands } from './commands/flamegraphCommands';
import { registerFlamegraphSerializer } from './views/flamegraph/flamegraphPanel';
import { profilePod } from './commands/profilePod';
import { PixieRunner } from './commands/pixieProfile';
import { StoredProfileRunner } from './commands/storedProfileRunner';
import { parcaSpec, pyroscopeSpec } from './commands/storedProfilers';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Pod Profiler', { log: true });
  const session = new ProfileSession();
  const sources = new WorkspaceSources(context.extensionUri, context.storageUri, log);
  const codeLens = new HotspotCodeLensProvider(session);
  const heat = new HeatDecorations(session);
  const statusBar = new ProfileStatusBar(session);
  const deps: PresentDeps = { session, sources, log };
  const flamegraph = new FlamegraphCommands(deps, context.extensionUri);
  const pixie = new PixieRunner(context, deps, statusBar);
  const pyroscope = new StoredProfileRunner(context, pyroscopeSpec);
  const parca = new StoredProfileRunner(context, parcaSpec);
  const selector: vscode.DocumentSelector = { scheme: 'file' };

  context.subscriptions.push(
    log,
    session,
    sources,
    codeLens,
    heat,
    statusBar,
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.languages.registerHoverProvider(selector, new HotspotHoverProvider(session)),
    onConfigChanged(['codeLens', 'heat'], () => {
      codeLens.refresh();
      heat.refreshAll();
    }),
    // Edits, new and deleted files: place the frames again so overlays follow the code.
    sources.onDidChange(() => reresolve(deps)),
    pixie,
    session.onDidChange(() => flamegraph.sessionChanged()),
    // The flamegraph follows the cursor into hot functions (a short delay: arrow keys repeat fast).
    vscode.window.onDidChangeTextEditorSelection((e) => {
      clearTimeout(cursorTimer);
      cursorTimer = setTimeout(() => flamegraph.cursorMoved(e.textEditor), 150);
    }),
    registerFlamegraphSerializer(context, () => flamegraph.input(), flamegraph.openSource, flamegraph.handlers),
    vscode.commands.registerCommand('podProfiler.profilePod', (arg?: unknown) => profilePod({ ...deps, pixie, pyroscope, parca }, arg)),
    vscode.commands.registerCommand('podProfiler.showFlamegraph', (arg?: unknown) => flamegraph.show(arg)),
    vscode.commands.registerCommand('podProfiler.compareProfile', (arg?: unknown) => flamegraph.compare(arg)),
    vscode.commands.registerCommand('podProfiler.exportProfile', () => flamegraph.exportProfile()),
    vscode.commands.registerCommand('podProfiler.stopLive', () => pixie.stopLive()),
    vscode.commands.registerCommand('podProfiler.setPixieApiKey', (key?: unknown) => pixie.setApiKey(key)),
    vscode.commands.registerCommand('podProfiler.clearPixieApiKey', () => pixie.clearApiKey()),
    vscode.commands.registerCommand('podProfiler.setPyroscopeCredentials', (header?: unknown) => pyroscope.setCredentials(header)),
    vscode.commands.registerCommand('podProfiler.clearPyroscopeCredentials', () => pyroscope.clearCredentials()),
    vscode.commands.registerCommand('podProfiler.setParcaToken', (header?: unknown) => parca.setCredentials(header)),
    vscode.commands.registerCommand('podProfiler.clearParcaToken', () => parca.clearCredentials()),
    vscode.commands.registerCommand('podProfiler.openProfile', (arg?: unknown) => openProfileFile(deps, arg)),
    vscode.commands.registerCommand('podProfiler.clearOverlays', () => {
      // Live mode would bring the overlays back on its next query.
      pixie.stopLive();
      session.clear();
    }),
    vscode.commands.registerCommand('podProfiler.showUnresolved', () => showUnresolvedFrames(session)),
    vscode.commands.registerCommand('podProfiler.pickDefinition', (arg?: unknown) => pickDefinition(session, arg)),
    vscode.commands.registerCommand('podProfiler.statusBarActions', () => statusBarActions(pixie.isLive)),
  );

  void openOnStartup(deps);
}

let reresolveTimer: NodeJS.Timeout | undefined;
let cursorTimer: NodeJS.Timeout | undefined;
function reresolve(deps: PresentDeps): void {
  clearTimeout(reresolveTimer);
  reresolveTimer = setTimeout(async () => {
    const loaded = deps.session.active;
    if (!loaded) return;
    try {
      const resolutions = await resolveFrames(deps, loaded.profile);
      // A newer profile may have arrived meanwhile (live mode): only refresh the one resolved.
      if (deps.session.active?.profile === loaded.profile) deps.session.refresh(resolutions);
    } catch (e) {
      deps.log.warn(`re-resolving after a workspace change failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, 500);
}

async function statusBarActions(live: boolean): Promise<void> {
  const actions: Array<vscode.QuickPickItem & { command: string }> = [
    { label: '$(graph) Show Flamegraph', command: 'podProfiler.showFlamegraph' },
    { label: '$(diff) Compare With Profile File...', command: 'podProfiler.compareProfile' },
    { label: '$(save) Export Profile...', command: 'podProfiler.exportProfile' },
    { label: '$(question) Show Unresolved Frames', command: 'podProfiler.showUnresolved' },
    ...(live ? [{ label: '$(debug-stop) Stop Live Profiling', command: 'podProfiler.stopLive' }] : []),
    { label: '$(clear-all) Clear Profile Overlays', command: 'podProfiler.clearOverlays' },
  ];
  const pick = await vscode.window.showQuickPick(actions, { title: 'Pod Profiler' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}

/** Loads the workspace's `podProfiler.openOnStartup` profile (the demo uses it). */
async function openOnStartup(deps: PresentDeps): Promise<void> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const rel = config.openOnStartup(folder);
    if (!rel) continue;
    const uri = vscode.Uri.joinPath(folder.uri, rel);
    // Nothing else is open yet: show the hottest function so the first screen carries the CodeLens.
    await openProfileFile(deps, uri, { quiet: true, revealHottest: vscode.window.visibleTextEditors.length === 0 });
    return;
  }
}

export function deactivate(): void {
  clearTimeout(reresolveTimer);
  clearTimeout(cursorTimer);
}
