// The profile the editor currently shows: the model, how its frames resolved, and the hotspots derived
// from both. Overlays, the status bar and the flamegraph all listen to this one place.
import * as vscode from 'vscode';
import type { Profile } from '../model/profile';
import type { FrameResolution } from '../resolve/frameResolution';
import { computeHotspots, type Hotspots, type FileHotspots } from '../model/hotspots';

export interface LoadedProfile {
  readonly profile: Profile;
  /** Mutable so a user's choice for an ambiguous frame can be recorded. */
  readonly resolutions: FrameResolution[];
  readonly hotspots: Hotspots;
  /** Short name for the status bar and titles: "shop/catalog-7d9 (pprof, 30 s)", "go-cpu.pb.gz". */
  readonly label: string;
  readonly loadedAt: number;
}

export function toLoaded(profile: Profile, resolutions: FrameResolution[], label: string): LoadedProfile {
  return { profile, resolutions, hotspots: computeHotspots(profile, resolutions), label, loadedAt: Date.now() };
}

/** How many recent profiles are kept for "Compare with...". */
const historySize = 8;

export class ProfileSession implements vscode.Disposable {
  private current: LoadedProfile | undefined;
  private comparedWith: LoadedProfile | undefined;
  private readonly recent: LoadedProfile[] = [];
  private readonly changed = new vscode.EventEmitter<LoadedProfile | undefined>();
  readonly onDidChange = this.changed.event;

  get active(): LoadedProfile | undefined {
    return this.current;
  }

  /** The profile the active one is compared with (a differential view), if any. */
  get baseline(): LoadedProfile | undefined {
    return this.comparedWith;
  }

  /** Recently shown profiles, newest first, the active one excluded. */
  get history(): readonly LoadedProfile[] {
    return this.recent.filter((p) => p !== this.current);
  }

  /**
   * `inPlace`: a newer reading of the profile now shown (live mode) takes its place in the recent list
   * instead of adding one entry per refresh, which pushed real baselines out of "Compare with...".
   */
  show(profile: Profile, resolutions: FrameResolution[], label: string, opts: { inPlace?: boolean } = {}): LoadedProfile {
    const previous = this.current;
    this.current = toLoaded(profile, resolutions, label);
    const replaced = opts.inPlace && previous?.label === label ? this.recent.indexOf(previous) : -1;
    if (replaced >= 0) {
      this.recent[replaced] = this.current;
    } else if (previous?.profile !== profile) {
      const i = this.recent.findIndex((p) => p.profile === profile);
      if (i >= 0) this.recent.splice(i, 1);
      this.recent.unshift(this.current);
      this.recent.length = Math.min(this.recent.length, historySize);
    } else {
      const j = this.recent.indexOf(previous);
      if (j >= 0) this.recent[j] = this.current;
    }
    void vscode.commands.executeCommand('setContext', 'podProfiler.hasProfile', true);
    this.changed.fire(this.current);
    return this.current;
  }

  /** Re-derives hotspots after resolutions changed (workspace edits, a picked definition). */
  refresh(resolutions: FrameResolution[]): void {
    if (!this.current) return;
    this.show(this.current.profile, resolutions, this.current.label);
  }

  compareWith(baseline: LoadedProfile | undefined): void {
    this.comparedWith = baseline;
    this.changed.fire(this.current);
  }

  clear(): void {
    this.current = undefined;
    this.comparedWith = undefined;
    void vscode.commands.executeCommand('setContext', 'podProfiler.hasProfile', false);
    this.changed.fire(undefined);
  }

  hotspotsFor(uri: vscode.Uri): FileHotspots | undefined {
    if (uri.scheme !== 'file') return undefined;
    return this.current?.hotspots.files.get(uri.fsPath);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
