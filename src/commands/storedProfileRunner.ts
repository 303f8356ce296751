// Profile Pod with a continuous-profiling store (Grafana Pyroscope, Parca): the samples are already there, so
// the user picks how far back to merge; where the store is (a URL, or its in-cluster service reached through
// the API server's service proxy) and its credentials (SecretStorage) come from the store's own spec.
import * as vscode from 'vscode';
import type { Profile } from '../model/profile';
import { windowText } from '../sources/agents/storeWindow';
import { pickLookback } from './pickLookback';
import { withCancellableProgress } from './cancellableProgress';
import type { PodTarget } from './profilePod';

/** What differs between stores. */
export interface StoredProfilerSpec {
  /** "Pyroscope", "Parca": in titles and messages. */
  readonly name: string;
  /** SecretStorage key of the whole Authorization header value. */
  readonly secretKey: string;
  /** Basic auth (user + token) is offered; otherwise only a bearer token. */
  readonly basicAuth: boolean;
  /** Setting that holds the store's URL, where credentials go (never through the API server). */
  readonly urlSetting: string;
  url(): string;
  defaultWindowSeconds(): number;
  readonly maxWindowSeconds: number;
  /** Reads the pod's merged CPU profile of the last `seconds`; `authorization` only when a URL is set. */
  fetch(req: { target: PodTarget; seconds: number; authorization?: string; signal: AbortSignal }): Promise<Profile>;
  /** The store's error for a cancelled call (nothing to report). */
  isCancelled(e: unknown): boolean;
}

export class StoredProfileRunner {
  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly spec: StoredProfilerSpec,
  ) {}

  /** Asks for the credentials and keeps the header value in SecretStorage; automation may pass the value. */
  async setCredentials(given?: unknown): Promise<boolean> {
    const { name } = this.spec;
    if (typeof given === 'string' && /^(Basic|Bearer) \S{4,}$/.test(given.trim())) {
      await this.context.secrets.store(this.spec.secretKey, given.trim());
      return true;
    }
    let user = '';
    if (this.spec.basicAuth) {
      const typed = await vscode.window.showInputBox({
        title: `${name} credentials (1/2): user`,
        prompt: 'Basic-auth user, e.g. the Grafana Cloud Profiles instance ID. Leave empty to send a bearer token instead.',
        ignoreFocusOut: true,
      });
      if (typed === undefined) return false;
      user = typed.trim();
    }
    const token = await vscode.window.showInputBox({
      title: this.spec.basicAuth ? `${name} credentials (2/2): token` : `${name} token`,
      prompt: "Password or access token. It is kept in VS Code's secret storage and never logged.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length >= 4 ? undefined : 'Paste the whole token'),
    });
    if (!token) return false;
    const header = user ? `Basic ${Buffer.from(`${user}:${token.trim()}`).toString('base64')}` : `Bearer ${token.trim()}`;
    await this.context.secrets.store(this.spec.secretKey, header);
    void vscode.window.showInformationMessage(`${name} credentials saved. They are sent only to the address in ${this.spec.urlSetting}.`);
    return true;
  }

  async clearCredentials(): Promise<void> {
    await this.context.secrets.delete(this.spec.secretKey);
    void vscode.window.showInformationMessage(`${this.spec.name} credentials removed.`);
  }

  /** Asks how far back to merge the store's samples; undefined when dismissed. */
  pickWindow(): Promise<number | undefined> {
    return pickLookback(`Profile Pod: ${this.spec.name} time window`, this.spec.defaultWindowSeconds(), this.spec.maxWindowSeconds);
  }

  /** Queries the last `seconds` of the pod's samples with progress; undefined when cancelled. */
  async fetch(target: PodTarget, seconds: number): Promise<{ profile: Profile; label: string } | undefined> {
    const { name } = this.spec;
    // Credentials go only to a URL the user set: the API server would drop them anyway.
    const authorization = this.spec.url() ? await this.context.secrets.get(this.spec.secretKey) : undefined;
    const where = `${target.namespace}/${target.pod.name}`;
    const profile = await withCancellableProgress(
      `${name}: reading CPU samples of ${where}`,
      (signal) => this.spec.fetch({ target, seconds, authorization, signal }),
      (e) => this.spec.isCancelled(e),
    );
    return profile && { profile, label: `${where} (${name}, last ${windowText(seconds)})` };
  }
}
