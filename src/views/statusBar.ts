// Status bar item naming the active profile; a click offers the profile actions.
import * as vscode from 'vscode';
import type { ProfileSession } from './profileSession';
import { amount } from './overlays/formatShare';

export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('podProfiler.active', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private live = false;

  constructor(private readonly session: ProfileSession) {
    this.item.name = 'Pod Profiler';
    this.item.command = 'podProfiler.statusBarActions';
    this.subscription = session.onDidChange(() => this.render());
    this.render();
  }

  setLive(live: boolean): void {
    this.live = live;
    void vscode.commands.executeCommand('setContext', 'podProfiler.live', live);
    this.render();
  }

  private render(): void {
    const loaded = this.session.active;
    if (!loaded) {
      this.item.hide();
      return;
    }
    const icon = this.live ? '$(pulse)' : '$(flame)';
    this.item.text = `${icon} ${loaded.label}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Pod Profiler**: ${loaded.label}\n\n${amount(loaded.profile.totalValue, loaded.profile.meta.unit)}` +
        (this.live ? ' · live, refreshing' : '') +
        `\n\nClick for actions (flamegraph, compare, export, ${this.live ? 'stop live, ' : ''}clear).`,
    );
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
