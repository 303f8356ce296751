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
}

export class ProfileSession implements vscode.Disposable {
  private current: LoadedProfile | undefined;
  private readonly changed = new vscode.EventEmitter<LoadedProfile | undefined>();
  readonly onDidChange = this.changed.event;

  get active(): LoadedProfile | undefined {
    return this.current;
  }

  show(profile: Profile, resolutions: FrameResolution[], label: string): LoadedProfile {
    this.current = { profile, resolutions, hotspots: computeHotspots(profile, resolutions), label };
    void vscode.commands.executeCommand('setContext', 'podProfiler.hasProfile', true);
    this.changed.fire(this.current);
    return this.current;
  }

  /** Re-derives hotspots after resolutions changed (workspace edits, a picked definition). */
  refresh(resolutions: FrameResolution[]): void {
    if (!this.current) return;
    this.show(this.current.profile, resolutions, this.current.label);
  }

  clear(): void {
    this.current = undefined;
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
