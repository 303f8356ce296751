// Shared by the extension-host suites (*.itest.ts): the run's context and polling for our CodeLenses.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ExpectedLens } from '../support/goCpuExpectations';
import type { FakeClusterState } from '../fakes/startFakeCluster';
import type { FakeVizierProcessState } from '../fakes/startFakeVizier';

export interface ItestContext {
  cluster: FakeClusterState;
  vizier: FakeVizierProcessState;
  profile: string;
  workspace: string;
}

export function context(): ItestContext {
  const file = process.env.POD_PROFILER_ITEST_CONTEXT;
  if (!file) throw new Error('POD_PROFILER_ITEST_CONTEXT is not set (run through test/e2e/vscodeExtensionHost.test.ts)');
  return JSON.parse(readFileSync(file, 'utf8')) as ItestContext;
}

export async function ourLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return lenses.filter((l) => l.command?.title.includes('🔥'));
}

/** Polls until the lenses satisfy `ok` (overlays follow the profile asynchronously). */
export async function lensesWhen(uri: vscode.Uri, ok: (l: vscode.CodeLens[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.CodeLens[]> {
  const deadline = Date.now() + timeoutMs;
  let last: vscode.CodeLens[] = [];
  while (Date.now() < deadline) {
    last = await ourLenses(uri);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: timed out; lenses now: ${JSON.stringify(last.map((l) => [l.range.start.line + 1, l.command?.title]))}`);
}

export function lensAt(lenses: vscode.CodeLens[], e: ExpectedLens): vscode.CodeLens | undefined {
  return lenses.find((l) => l.range.start.line === e.line - 1);
}

export function assertLens(lenses: vscode.CodeLens[], e: ExpectedLens): void {
  const lens = lensAt(lenses, e);
  const all = JSON.stringify(lenses.map((l) => [l.range.start.line + 1, l.command?.title]));
  assert.ok(lens, `no CodeLens on line ${e.line} (${e.name}); lenses: ${all}`);
  const title = lens.command!.title;
  assert.ok(title.includes(`${e.totalPercent} total`), `${e.name}: "${title}" should say ${e.totalPercent} total`);
  assert.ok(title.includes(`${e.selfPercent} self`), `${e.name}: "${title}" should say ${e.selfPercent} self`);
}

