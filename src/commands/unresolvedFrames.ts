// "Show Unresolved Frames": how many samples could not be placed in the workspace and why,
// and which user functions found no source (so nothing is silently dropped).
import * as vscode from 'vscode';
import type { ProfileSession } from '../views/profileSession';
import { amount, percent } from '../views/overlays/formatShare';

const reasonLabel: Record<string, string> = {
  kernel: 'Kernel',
  runtime: 'Runtime and standard library',
  unsymbolized: 'Not symbolized (no function name: stripped binary or JIT without a perf map)',
  'no-source': 'User code with no matching workspace file or definition',
  ambiguous: 'Several matching definitions',
  k8s: 'Kubernetes context frames',
  unknown: 'Unclassified',
};

export async function showUnresolvedFrames(session: ProfileSession): Promise<void> {
  const loaded = session.active;
  if (!loaded) {
    void vscode.window.showInformationMessage('No profile is loaded. Run "Pod Profiler: Profile Pod..." or "Open Profile File..." first.');
    return;
  }
  const { hotspots: h, profile } = loaded;
  const items: vscode.QuickPickItem[] = [{ label: 'Leaf samples outside the workspace, by reason', kind: vscode.QuickPickItemKind.Separator }];
  for (const [reason, value] of [...h.unresolvedLeafValue].sort((a, b) => b[1] - a[1])) {
    items.push({ label: reasonLabel[reason] ?? reason, description: `${percent(value, h.totalValue)} · ${amount(value, profile.meta.unit)}` });
  }
  items.push({ label: 'User functions with no workspace source (total share)', kind: vscode.QuickPickItemKind.Separator });
  const unmatched = [...h.unmatchedFunctions].sort((a, b) => b[1] - a[1]);
  for (const [name, value] of unmatched.slice(0, 500)) {
    items.push({ label: name, description: percent(value, h.totalValue), detail: 'Check that its source is in the workspace, or map build paths with the podProfiler.pathSubstitutions setting.' });
  }
  if (unmatched.length === 0) items.push({ label: 'None: every user function was placed.' });
  await vscode.window.showQuickPick(items, { title: `Unresolved frames of ${loaded.label}`, matchOnDescription: true });
}
