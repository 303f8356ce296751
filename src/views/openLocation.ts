// Opens the source of a profile frame (flamegraph click, table row) beside the flamegraph.
// Only files inside the workspace are opened; ambiguous frames ask which definition.
import * as vscode from 'vscode';
import type { LoadedProfile } from './profileSession';
import type { SourceLocation, UnresolvedReason } from '../resolve/frameResolution';
import { WorkspaceSources } from '../workspace/workspaceSources';

const reasonText: Record<UnresolvedReason, string> = {
  k8s: 'is Kubernetes context, not code',
  kernel: 'is a kernel function',
  runtime: 'belongs to the language runtime or standard library, which is not in the workspace',
  unsymbolized: 'was not symbolized by the profiler (no function name)',
  'no-source': 'matches no file or definition in the workspace (check the workspace folder and the "podProfiler.pathSubstitutions" setting)',
  ambiguous: 'matches several definitions',
};

export async function openFrameSource(loaded: LoadedProfile, frameId: number, column = vscode.ViewColumn.Beside): Promise<boolean> {
  const frame = loaded.profile.frames[frameId];
  const res = loaded.resolutions[frameId];
  if (!frame) return false;
  let target: SourceLocation | undefined = res?.location;
  if (res?.candidates && res.candidates.length > 1) {
    const pick = await vscode.window.showQuickPick(
      res.candidates.map((c) => ({ label: vscode.workspace.asRelativePath(c.path), description: `line ${c.functionLine ?? c.line}`, c })),
      { title: `${frame.name} matches several definitions`, placeHolder: 'Which one is it?' },
    );
    if (!pick) return false;
    target = pick.c;
  }
  if (!target) {
    const why = reasonText[res?.reason ?? 'no-source'];
    void vscode.window.showInformationMessage(`${frame.name} ${why}.`);
    return false;
  }
  if (!WorkspaceSources.isInWorkspace(target.path)) {
    void vscode.window.showWarningMessage(`Not opening ${target.path}: it is outside the workspace.`);
    return false;
  }
  await openAt(target.path, target.line, column);
  return true;
}

export async function openAt(path: string, line: number, column: vscode.ViewColumn = vscode.ViewColumn.Active, preview = false): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  const ln = Math.min(Math.max(line, 1), doc.lineCount) - 1;
  const pos = new vscode.Position(ln, doc.lineAt(ln).firstNonWhitespaceCharacterIndex);
  return vscode.window.showTextDocument(doc, {
    viewColumn: column,
    selection: new vscode.Range(pos, pos),
    preserveFocus: false,
    preview,
  });
}
