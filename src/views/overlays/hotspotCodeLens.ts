// CodeLens above each hot function: "🔥 41.2% total · 3.1% self · 1,234 samples".
// Clicking it opens the flamegraph focused on that function.
import * as vscode from 'vscode';
import type { ProfileSession } from '../profileSession';
import { config } from '../../config';
import { amount, percent } from './formatShare';

export class HotspotCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: ProfileSession) {
    this.subscription = session.onDidChange(() => this.changed.fire());
  }

  /** Settings changes (thresholds) re-render without a new profile. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const loaded = this.session.active;
    if (!loaded || !config.codeLensEnabled()) return [];
    const lenses: vscode.CodeLens[] = this.goneSinceBaseline(document);
    const file = this.session.hotspotsFor(document.uri);
    if (!file) return lenses;
    const total = loaded.hotspots.totalValue;
    const min = config.codeLensMinTotalPercent();
    const unit = loaded.profile.meta.unit;
    for (const fn of file.functions) {
      if ((100 * fn.total) / total < min || fn.line < 1 || fn.line > document.lineCount) continue;
      const range = document.lineAt(fn.line - 1).range;
      let title = `🔥 ${percent(fn.total, total)} total · ${percent(fn.self, total)} self · ${amount(fn.total, unit)}`;
      const base = this.session.baseline;
      if (base) {
        // Same function in the baseline (before the fix): compare shares, since sample counts differ.
        const before = base.hotspots.files.get(fn.path)?.functions.find((f) => f.name === fn.name);
        const b = before ? before.total / base.hotspots.totalValue : 0;
        const delta = 100 * (fn.total / total - b);
        title += ` · ${delta <= 0 ? '▼' : '▲'} ${Math.abs(delta).toFixed(1)} pts vs ${base.label} (was ${percent(before?.total ?? 0, base.hotspots.totalValue)})`;
      }
      lenses.push(
        new vscode.CodeLens(range, {
          title,
          tooltip: `${fn.name}: on ${percent(fn.total, total)} of sampled stacks (with its callees), executing its own code in ${percent(fn.self, total)}. Click to show it in the flamegraph.`,
          command: 'podProfiler.showFlamegraph',
          arguments: [{ focusFunction: fn.name }],
        }),
      );
      if (fn.alternatives.length > 0) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `$(warning) ambiguous: ${fn.alternatives.length + 1} definitions match`,
            tooltip: `The profile names ${fn.name} only; other matching definitions: ${fn.alternatives.join(', ')}`,
            command: 'podProfiler.pickDefinition',
            arguments: [{ frameIds: fn.frameIds }],
          }),
        );
      }
    }
    return lenses;
  }

  /**
   * While comparing: functions that were hot in the baseline and have no samples now (the fix removed them
   * from the hot path) get a lens too, or the biggest win of a fix would be the one thing not shown.
   */
  private goneSinceBaseline(document: vscode.TextDocument): vscode.CodeLens[] {
    const base = this.session.baseline;
    const before = document.uri.scheme === 'file' ? base?.hotspots.files.get(document.uri.fsPath) : undefined;
    if (!base || !before) return [];
    const now = this.session.hotspotsFor(document.uri);
    const min = config.codeLensMinTotalPercent();
    const lenses: vscode.CodeLens[] = [];
    for (const fn of before.functions) {
      const was = (100 * fn.total) / base.hotspots.totalValue;
      if (was < min || fn.line < 1 || fn.line > document.lineCount) continue;
      if (now?.functions.some((f) => f.name === fn.name && f.total > 0)) continue;
      lenses.push(
        new vscode.CodeLens(document.lineAt(fn.line - 1).range, {
          title: `🔥 0% total now · ▼ ${was.toFixed(1)} pts vs ${base.label} (was ${percent(fn.total, base.hotspots.totalValue)})`,
          tooltip: `${fn.name} has no samples in this profile; it was on ${percent(fn.total, base.hotspots.totalValue)} of sampled stacks in ${base.label}.`,
          command: 'podProfiler.showFlamegraph',
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
