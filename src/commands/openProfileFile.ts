// "Open Profile File...": a local pprof, folded-stack or bpftrace file into the same views (no cluster needed).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { decodeProfile } from '../formats/detectFormat';
import type { Profile } from '../model/profile';
import { config } from '../config';
import { announce, hottestFunction, resolveAndShow, type PresentDeps } from './presentProfile';
import { openAt } from '../views/openLocation';

export const profileFileFilters = { 'Profiles (pprof, folded stacks, bpftrace)': ['gz', 'pprof', 'pb', 'folded', 'txt', 'collapsed'], 'All files': ['*'] };

/** Reads and decodes a profile file; throws an Error whose message says what is wrong. */
export async function readProfileFile(uri: vscode.Uri): Promise<Profile> {
  const stat = await vscode.workspace.fs.stat(uri);
  const max = config.maxProfileBytes();
  if (stat.size > max) {
    throw new Error(`${basename(uri.path)} is ${(stat.size / 1048576).toFixed(1)} MB, over the ${max / 1048576} MB limit (setting podProfiler.maxProfileMegabytes).`);
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  return decodeProfile(bytes, basename(uri.path));
}

/**
 * Loads a profile file into the views. `quiet` skips the summary notification (startup); `revealHottest`
 * opens the hottest workspace function instead, so the first screen shows the CodeLens.
 */
export async function openProfileFile(deps: PresentDeps, arg?: unknown, opts: { quiet?: boolean; revealHottest?: boolean } = {}): Promise<boolean> {
  let uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.file(arg) : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: profileFileFilters, title: 'Open a CPU profile' });
    uri = picked?.[0];
    if (!uri) return false;
  }
  const name = basename(uri.path);
  try {
    const loaded = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Loading ${name}` },
      async () => resolveAndShow(deps, await readProfileFile(uri), name),
    );
    const hottest = opts.revealHottest ? hottestFunction(loaded) : undefined;
    if (hottest) await openAt(hottest.path, hottest.line, vscode.ViewColumn.Active, true);
    if (!opts.quiet) void announce(loaded);
    return true;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    deps.log.error(`open ${name}: ${msg}`);
    void vscode.window.showErrorMessage(`Could not open ${name}: ${msg}`);
    return false;
  }
}
