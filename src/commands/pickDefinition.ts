// Lets the user settle an ambiguous frame: pick which matching definition it is; overlays follow.
import * as vscode from 'vscode';
import type { ProfileSession } from '../views/profileSession';

export async function pickDefinition(session: ProfileSession, arg: unknown): Promise<void> {
  const loaded = session.active;
  const frameIds = (arg as { frameIds?: unknown })?.frameIds;
  if (!loaded || !Array.isArray(frameIds) || !frameIds.every((n) => Number.isInteger(n))) return;
  const first = loaded.resolutions[frameIds[0]];
  const candidates = first?.candidates ?? [];
  if (candidates.length < 2) return;
  const name = loaded.profile.frames[frameIds[0]]?.name ?? 'frame';
  const pick = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: vscode.workspace.asRelativePath(c.path), description: `line ${c.functionLine ?? c.line}`, c })),
    { title: `Which definition is ${name}?` },
  );
  if (!pick) return;
  const resolutions = [...loaded.resolutions];
  for (const id of frameIds as number[]) {
    const r = resolutions[id];
    if (r) resolutions[id] = { location: pick.c, via: 'chosen by you' };
  }
  session.refresh(resolutions);
}
