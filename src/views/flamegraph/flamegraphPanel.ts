// The flamegraph editor panel (host side): one panel, reused; it sends the profile as FlameData and handles
// the webview's validated requests. Opening source is delegated to the caller (only workspace files).
import * as vscode from 'vscode';
import type { Profile } from '../../model/profile';
import type { FrameResolutions } from '../../resolve/frameResolution';
import { describeMessage, isWebviewMessage, type HostMessage, type WebviewMessage, type FlameData } from '../../../webview/protocol';
import { toFlameData, toFlameFrames } from './flameData';
import { flamegraphHtml } from './flamegraphHtml';
import { makeNonce } from './nonce';

export interface FlamegraphProfileInput {
  readonly profile: Profile;
  readonly resolutions: FrameResolutions;
  readonly title: string;
}

export interface FlamegraphInput extends FlamegraphProfileInput {
  /** Shown as a differential flamegraph against this profile (e.g. before a fix). */
  readonly baseline?: FlamegraphProfileInput;
  /** Select and zoom to this function when the data arrives (CodeLens "show in flamegraph"). */
  readonly focusFunction?: string;
}

export interface FlamegraphHandlers {
  /** Toolbar "Export profile" (pprof / folded): the host command that saves the shown profile. */
  readonly onExportProfile?: () => void;
  /** Toolbar "Compare…": the host command that picks a baseline and calls update() with it. */
  readonly onCompareProfile?: () => void;
}

export type OpenSourceHandler = (frameId: number) => void;

let log: vscode.LogOutputChannel | undefined;
function logger(): vscode.LogOutputChannel {
  return (log ??= vscode.window.createOutputChannel('Pod Profiler Flamegraph', { log: true }));
}

export class FlamegraphPanel implements vscode.Disposable {
  static readonly viewType = 'podProfiler.flamegraph';
  private static current: FlamegraphPanel | undefined;

  private input: FlamegraphInput | undefined;
  private readonly flameCache = new WeakMap<Profile, FlameData>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows the one flamegraph panel (creating it on first use) with `input`. */
  static show(
    extensionUri: vscode.Uri,
    input: FlamegraphInput,
    onOpenSource: OpenSourceHandler,
    handlers: FlamegraphHandlers = {},
  ): FlamegraphPanel {
    const existing = FlamegraphPanel.current;
    if (existing) {
      existing.onOpenSource = onOpenSource;
      existing.handlers = handlers;
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Active);
      existing.update(input);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(FlamegraphPanel.viewType, titleOf(input), vscode.ViewColumn.Active, {
      enableScripts: true,
      // Hidden webviews are torn down; the view settings live in webview state and the data is re-sent on 'ready'.
      retainContextWhenHidden: false,
      localResourceRoots: resourceRoots(extensionUri),
    });
    return new FlamegraphPanel(panel, extensionUri, input, onOpenSource, handlers);
  }

  /** The open panel, if any: the lead's live mode calls `FlamegraphPanel.visible?.update(input)`. */
  static get visible(): FlamegraphPanel | undefined {
    return FlamegraphPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    input: FlamegraphInput | undefined,
    private onOpenSource: OpenSourceHandler,
    private handlers: FlamegraphHandlers,
  ) {
    FlamegraphPanel.current = this;
    this.input = input;
    panel.webview.options = { enableScripts: true, localResourceRoots: resourceRoots(extensionUri) };
    this.render();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
    );
  }

  /** Replaces the shown profile (live refresh, compare); the webview keeps its zoom and search. */
  update(input: FlamegraphInput): void {
    this.input = input;
    this.panel.title = titleOf(input);
    this.sendProfile();
  }

  /** Selects a function in the graph and its table row (the editor cursor moved into it); no zoom. */
  selectFunction(name: string): void {
    if (this.panel.visible) this.post({ type: 'selectFunction', name });
  }

  dispose(): void {
    if (FlamegraphPanel.current === this) FlamegraphPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private render(): void {
    const webview = this.panel.webview;
    const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    webview.html = flamegraphHtml({
      scriptUri: uri('dist', 'webview.js'),
      styleUri: uri('media', 'flamegraph.css'),
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      title: this.input?.title ?? 'Flamegraph',
    });
  }

  private flameData(p: FlamegraphProfileInput): FlameData {
    let d = this.flameCache.get(p.profile);
    if (!d) this.flameCache.set(p.profile, (d = toFlameData(p.profile, p.resolutions)));
    return d;
  }

  private sendProfile(): void {
    const input = this.input;
    if (!input) {
      this.post({ type: 'notice', text: 'No profile is loaded. Run "Pod Profiler: Profile Pod..." or "Open Profile File...".' });
      return;
    }
    // Resolutions can change (a picked definition); rebuild the frames table cheaply, reuse the tree.
    const data = { ...this.flameData(input), frames: toFlameFrames(input.profile, input.resolutions) };
    this.post({
      type: 'profile',
      data,
      title: input.title,
      baseline: input.baseline ? this.flameData(input.baseline) : undefined,
      baselineTitle: input.baseline?.title,
      focusFunction: input.focusFunction,
    });
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      logger().warn(`flamegraph: ignored malformed message ${describeMessage(raw)}`);
      return;
    }
    void this.handle(raw).catch((e: unknown) => {
      logger().error(`flamegraph: ${raw.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.sendProfile();
        return;
      case 'openSource':
        if (this.input && m.frameId < this.input.profile.frames.length) this.onOpenSource(m.frameId);
        else logger().warn(`flamegraph: openSource for unknown frame ${m.frameId}`);
        return;
      case 'copyText':
        await vscode.env.clipboard.writeText(m.text);
        this.post({ type: 'result', ok: true, text: 'Copied to the clipboard.' });
        return;
      case 'saveImage':
        await this.saveImage(m.format, m.data);
        return;
      case 'command':
        if (m.command === 'exportProfile') this.handlers.onExportProfile?.();
        else this.handlers.onCompareProfile?.();
        return;
      case 'log':
        logger()[m.level](`webview: ${m.text}`);
        return;
    }
  }

  private async saveImage(format: 'png' | 'svg', data: string): Promise<void> {
    const base = (this.input?.title ?? 'flamegraph').replace(/[^\w.-]+/g, '_').slice(0, 80);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${format}`) : undefined,
      filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      title: 'Save flamegraph view',
    });
    if (!target) return;
    const bytes =
      format === 'png'
        ? Buffer.from(data.slice('data:image/png;base64,'.length), 'base64')
        : Buffer.from(data, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.post({ type: 'result', ok: true, text: `Saved ${vscode.workspace.asRelativePath(target)}.` });
  }

  /** Used by the serializer after VS Code reloads: adopt the restored panel. */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    input: FlamegraphInput | undefined,
    onOpenSource: OpenSourceHandler,
    handlers: FlamegraphHandlers = {},
  ): FlamegraphPanel {
    FlamegraphPanel.current?.dispose();
    if (input) panel.title = titleOf(input);
    return new FlamegraphPanel(panel, extensionUri, input, onOpenSource, handlers);
  }
}

function resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

function titleOf(input: FlamegraphInput): string {
  return input.baseline ? `Flamegraph: ${input.title} vs ${input.baseline.title}` : `Flamegraph: ${input.title}`;
}

/**
 * Restores the flamegraph panel after VS Code reloads (the webview's own state keeps zoom and search).
 * `getInput` returns the profile currently loaded, or undefined (the panel then says none is loaded).
 */
export function registerFlamegraphSerializer(
  context: vscode.ExtensionContext,
  getInput: () => FlamegraphInput | undefined,
  onOpenSource: OpenSourceHandler,
  handlers: FlamegraphHandlers = {},
): vscode.Disposable {
  const d = vscode.window.registerWebviewPanelSerializer(FlamegraphPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      FlamegraphPanel.revive(panel, context.extensionUri, getInput(), onOpenSource, handlers);
    },
  });
  context.subscriptions.push(d);
  return d;
}
