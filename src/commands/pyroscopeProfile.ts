// Profile Pod with Grafana Pyroscope: where Pyroscope is (a URL, or an in-cluster service reached through the
// API server's service proxy), credentials in SecretStorage, the look-back window, and a cancellable query.
import * as vscode from 'vscode';
import {
  defaultPyroscopeWindowSeconds,
  directTransport,
  fetchPyroscopeProfile,
  isPyroscopeError,
  maxPyroscopeWindowSeconds,
  parseServiceRef,
  serviceProxyTransport,
  type PyroscopeTransport,
} from '../sources/agents/pyroscope/pyroscopeAgent';
import type { Profile } from '../model/profile';
import { config } from '../config';
import { lookbackText } from './lookback';
import { pickLookback } from './pickLookback';
import type { PodTarget } from './profilePod';

const credentialsSecret = 'podProfiler.pyroscope.authorization';

export class PyroscopeRunner {
  constructor(private readonly context: vscode.ExtensionContext) {}

  /**
   * Asks for user and token (Grafana Cloud: the stack's user id and an access-policy token) and keeps
   * `Basic base64(user:token)` in SecretStorage. Automation may pass the whole header value instead.
   */
  async setCredentials(given?: unknown): Promise<boolean> {
    if (typeof given === 'string' && /^(Basic|Bearer) \S{4,}$/.test(given.trim())) {
      await this.context.secrets.store(credentialsSecret, given.trim());
      return true;
    }
    const user = await vscode.window.showInputBox({
      title: 'Pyroscope credentials (1/2): user',
      prompt: 'Basic-auth user, e.g. the Grafana Cloud Profiles instance ID. Leave empty to send a bearer token instead.',
      ignoreFocusOut: true,
    });
    if (user === undefined) return false;
    const token = await vscode.window.showInputBox({
      title: 'Pyroscope credentials (2/2): token',
      prompt: 'Password or access token. It is kept in VS Code\'s secret storage and never logged.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length >= 4 ? undefined : 'Paste the whole token'),
    });
    if (!token) return false;
    const header = user.trim() ? `Basic ${Buffer.from(`${user.trim()}:${token.trim()}`).toString('base64')}` : `Bearer ${token.trim()}`;
    await this.context.secrets.store(credentialsSecret, header);
    void vscode.window.showInformationMessage('Pyroscope credentials saved. They are sent only to podProfiler.pyroscope.url.');
    return true;
  }

  async clearCredentials(): Promise<void> {
    await this.context.secrets.delete(credentialsSecret);
    void vscode.window.showInformationMessage('Pyroscope credentials removed.');
  }

  /** Asks for the window (unless given) and queries with progress; undefined when dismissed or cancelled. */
  async fetch(target: PodTarget, givenSeconds?: number): Promise<{ profile: Profile; label: string } | undefined> {
    const transport = await this.transport(target);
    const seconds =
      givenSeconds ??
      (await pickLookback('Profile Pod: Pyroscope time window', config.pyroscopeDefaultWindowSeconds() || defaultPyroscopeWindowSeconds, maxPyroscopeWindowSeconds));
    if (!seconds) return undefined;
    const where = `${target.namespace}/${target.pod.name}`;
    const profile = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pyroscope: reading CPU samples of ${where}`, cancellable: true },
      async (_p, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await fetchPyroscopeProfile({
            transport,
            namespace: target.namespace,
            pod: target.pod.name,
            container: target.container,
            labelSelectorTemplate: config.pyroscopeLabelSelector() || undefined,
            profileType: config.pyroscopeProfileType() || undefined,
            windowSeconds: seconds,
            maxBytes: config.maxProfileBytes(),
            signal: abort.signal,
          });
        } catch (e) {
          if (token.isCancellationRequested || (isPyroscopeError(e) && e.kind === 'cancelled')) return undefined;
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
    return profile && { profile, label: `${where} (Pyroscope, last ${lookbackText(seconds)})` };
  }

  /** A URL when set (credentials go only there); else the in-cluster service through the API server. */
  private async transport(target: PodTarget): Promise<PyroscopeTransport> {
    const url = config.pyroscopeUrl();
    const tenant = config.pyroscopeTenantId() || undefined;
    if (url) return directTransport({ url, tenant, authorization: await this.context.secrets.get(credentialsSecret) });
    return serviceProxyTransport({ kc: target.client.kc, service: parseServiceRef(config.pyroscopeService()), tenant });
  }
}
