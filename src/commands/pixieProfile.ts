// The Pixie side of Profile Pod: API key in SecretStorage, cluster choice, window choice, the query with
// a cancellable progress notification, and live mode (re-query on Pixie's push period until stopped).
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import {
  clusterForKubeContext,
  fetchPixieProfile,
  isClusterUsable,
  listPixieClusters,
  type PixieConnection,
  type PixieProfileRequest,
} from '../sources/agents/pixie/pixieAgent';
import { isPixieError, PixieError } from '../sources/agents/pixie/pixieErrors';
import { normalizePixieWindow } from '../sources/agents/pixie/pxlScript';
import type { Profile } from '../model/profile';
import { config } from '../config';
import type { LoadedProfile } from '../views/profileSession';
import type { ProfileStatusBar } from '../views/statusBar';
import { withCancellableProgress } from './cancellableProgress';
import { resolveFrames, type PresentDeps } from './presentProfile';
import type { PodTarget } from './profilePod';

const apiKeySecret = 'podProfiler.pixie.apiKey';
const liveChoice = 'live';

export interface PixieRun {
  readonly label: string;
  fetchWithProgress(): Promise<Profile | undefined>;
  /** Starts live refresh when the user chose it. */
  offerLive(loaded: LoadedProfile): void;
}

export class PixieRunner implements vscode.Disposable {
  private liveTimer: NodeJS.Timeout | undefined;
  private liveAbort: AbortController | undefined;
  /** The label of the profile live mode refreshes; it stops when the session shows another profile. */
  private liveLabel: string | undefined;
  private readonly sessionSub: vscode.Disposable;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: PresentDeps,
    private readonly statusBar: ProfileStatusBar,
  ) {
    // The user opened another profile (a file, another pod): a refresh must not replace it under their eyes.
    this.sessionSub = deps.session.onDidChange((active) => {
      if (!this.isLive || !active || active.label === this.liveLabel) return;
      const label = this.liveLabel;
      this.stopLive();
      void vscode.window.showInformationMessage(`Live profiling of ${label} stopped: ${active.label} is shown now.`);
    });
  }

  get isLive(): boolean {
    return this.liveTimer !== undefined;
  }

  /** Asks for the key; automation (tests, other extensions) may pass it as the argument instead. */
  async setApiKey(given?: unknown): Promise<boolean> {
    if (typeof given === 'string' && given.trim().length >= 8) {
      await this.context.secrets.store(apiKeySecret, given.trim());
      return true;
    }
    const key = await vscode.window.showInputBox({
      title: 'Pixie API key',
      prompt: 'Create one with `px api-key create` or in the Pixie UI (Admin > API Keys). It is kept in VS Code\'s secret storage.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length >= 8 ? undefined : 'Paste the whole API key'),
    });
    if (!key) return false;
    await this.context.secrets.store(apiKeySecret, key.trim());
    void vscode.window.showInformationMessage('Pixie API key saved in secret storage.');
    return true;
  }

  async clearApiKey(): Promise<void> {
    await this.context.secrets.delete(apiKeySecret);
    void vscode.window.showInformationMessage('Pixie API key removed.');
  }

  private async apiKey(): Promise<string | undefined> {
    let key = await this.context.secrets.get(apiKeySecret);
    if (!key) {
      const choice = await vscode.window.showWarningMessage('Pixie needs an API key to read profiles.', 'Set API Key');
      if (choice !== 'Set API Key' || !(await this.setApiKey())) return undefined;
      key = await this.context.secrets.get(apiKeySecret);
    }
    return key;
  }

  private connection(apiKey: string): PixieConnection {
    const direct = config.pixieDirectAddress();
    if (direct) {
      const caFile = config.pixieDirectCaFile();
      let caPem: string | undefined;
      if (caFile) {
        try {
          caPem = readFileSync(caFile, 'utf8');
        } catch (e) {
          throw new PixieError('unreachable', `Cannot read the Vizier CA file ${caFile} (setting podProfiler.pixie.directCaFile): ${(e as Error).message}`);
        }
      }
      return { apiKey, direct: { address: direct, caPem, plaintext: config.pixieInsecurePlaintext() } };
    }
    return { apiKey, address: config.pixieCloudAddress() };
  }

  /** Cluster id: the setting, a remembered choice for this kube context, the matching name, or a pick. */
  private async clusterId(conn: PixieConnection, kubeContext: string): Promise<string | undefined> {
    if (conn.direct) return config.pixieClusterId();
    const configured = config.pixieClusterId();
    if (configured) return configured;
    const memoKey = `pixie.cluster.${kubeContext}`;
    const remembered = this.context.workspaceState.get<string>(memoKey);
    if (remembered) return remembered;
    const clusters = await withCancellableProgress('Pixie: listing clusters', (signal) => listPixieClusters({ ...conn, signal }), isPixieCancelled);
    if (!clusters) return undefined;
    const match = clusterForKubeContext(clusters, kubeContext);
    let id = match && isClusterUsable(match) ? match.id : undefined;
    if (!id) {
      if (clusters.length === 0) throw new PixieError('unknown-cluster', 'This API key sees no Pixie clusters. Deploy Pixie (`px deploy`) or use a key of the right organisation.');
      const pick = await vscode.window.showQuickPick(
        clusters.map((c) => ({
          label: c.prettyName || c.name || c.id,
          description: `${c.status.replace(/^CS_/, '').toLowerCase()}${c.vizierVersion ? ` · Vizier ${c.vizierVersion}` : ''}`,
          detail: c.id,
          id: c.id,
        })),
        { title: `Pixie cluster for kube context ${kubeContext}`, placeHolder: 'Which Pixie cluster is this? (remembered for this workspace)' },
      );
      if (!pick) return undefined;
      id = pick.id;
    }
    await this.context.workspaceState.update(memoKey, id);
    return id;
  }

  private async pickWindow(given?: string): Promise<string | undefined> {
    if (given) return given === liveChoice ? given : normalizePixieWindow(given);
    const def = config.pixieDefaultWindow();
    const items = ['-30s', '-1m', '-5m', '-15m'].map((w) => ({ label: `Last ${w.slice(1)}`, description: w === def ? 'default' : undefined, w }));
    const pick = await vscode.window.showQuickPick(
      [
        ...items,
        { label: 'Custom...', description: 'e.g. 90s, 10m, 2h', w: 'custom' },
        { label: '$(pulse) Live', description: `last 30 s, refreshed every ${config.pixieLiveIntervalSeconds()} s until stopped`, w: liveChoice },
      ],
      { title: 'Profile Pod: Pixie time window', placeHolder: "Pixie samples continuously: which part of the past to show?" },
    );
    if (!pick) return undefined;
    if (pick.w !== 'custom') return pick.w;
    const text = await vscode.window.showInputBox({
      title: 'Window: how far back',
      value: '2m',
      validateInput: (v) => {
        try {
          normalizePixieWindow(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    return text ? normalizePixieWindow(text) : undefined;
  }

  async prepare(target: PodTarget, givenWindow?: string): Promise<PixieRun | undefined> {
    const apiKey = await this.apiKey();
    if (!apiKey) return undefined;
    const conn = this.connection(apiKey);
    const clusterId = await this.clusterId(conn, target.client.context);
    if (clusterId === undefined) return undefined;
    const choice = await this.pickWindow(givenWindow);
    if (!choice) return undefined;
    const live = choice === liveChoice;
    const window = live ? '-30s' : choice;
    const request: PixieProfileRequest = { ...conn, clusterId, namespace: target.namespace, pod: target.pod.name, container: target.container, window };
    const label = `${target.namespace}/${target.pod.name} (Pixie, ${live ? 'live' : `last ${window.slice(1)}`})`;
    const where = `${target.namespace}/${target.pod.name}`;
    return {
      label,
      fetchWithProgress: () =>
        withCancellableProgress(
          `Pixie: reading CPU samples of ${where}`,
          (signal) => fetchPixieProfile({ ...request, signal }),
          isPixieCancelled,
        ),
      offerLive: (loaded) => {
        if (live) this.startLive(request, loaded.label);
      },
    };
  }

  /** Re-queries on Pixie's push period and updates overlays and the flamegraph in place. */
  private startLive(request: PixieProfileRequest, label: string): void {
    this.stopLive();
    this.liveLabel = label;
    let running = false;
    this.liveTimer = setInterval(async () => {
      if (running) return; // A slow query must not pile up behind itself.
      running = true;
      this.liveAbort = new AbortController();
      try {
        const profile = await fetchPixieProfile({ ...request, signal: this.liveAbort.signal });
        const resolutions = await resolveFrames(this.deps, profile);
        // Stopped meanwhile (by the user, or because another profile is shown): drop this reading.
        if (this.isLive && this.deps.session.active?.label === label) this.deps.session.show(profile, resolutions, label, { inPlace: true });
      } catch (e) {
        if (!(isPixieError(e) && e.kind === 'cancelled')) {
          this.stopLive();
          const msg = e instanceof Error ? e.message : String(e);
          this.deps.log.error(`pixie live: ${msg}`);
          void vscode.window.showErrorMessage(`Live profiling stopped: ${msg}`);
        }
      } finally {
        running = false;
      }
    }, config.pixieLiveIntervalSeconds() * 1000);
    this.statusBar.setLive(true);
  }

  stopLive(): void {
    clearInterval(this.liveTimer);
    this.liveTimer = undefined;
    this.liveAbort?.abort();
    this.liveAbort = undefined;
    this.liveLabel = undefined;
    this.statusBar.setLive(false);
  }

  dispose(): void {
    this.stopLive();
    this.sessionSub.dispose();
  }
}

function isPixieCancelled(e: unknown): boolean {
  return isPixieError(e) && e.kind === 'cancelled';
}
