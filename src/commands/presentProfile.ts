// Puts a freshly loaded profile in front of the user: resolve its frames against the workspace, show the
// overlays, and say in one message what is hottest and how much could not be placed.
import * as vscode from 'vscode';
import type { Profile } from '../model/profile';
import { resolveProfile } from '../resolve/profileResolver';
import type { FrameResolution } from '../resolve/frameResolution';
import type { ProfileSession, LoadedProfile } from '../views/profileSession';
import type { PreparedIndex, WorkspaceSources } from '../workspace/workspaceSources';
import type { FunctionHotspot } from '../model/hotspots';
import { percent } from '../views/overlays/formatShare';
import { openAt } from '../views/openLocation';

export interface PresentDeps {
  readonly session: ProfileSession;
  readonly sources: WorkspaceSources;
  readonly log: vscode.LogOutputChannel;
}

/**
 * Places every frame of the profile in the workspace (or says why not), with the index `prepared` builds
 * when the profile's command began one while the profile was on its way (WorkspaceSources.prepare).
 */
export async function resolveFrames(deps: PresentDeps, profile: Profile, token?: vscode.CancellationToken, prepared?: PreparedIndex): Promise<FrameResolution[]> {
  const [paths, names] = await Promise.all([deps.sources.pathMapper(token), deps.sources.nameResolver(profile, token, prepared)]);
  return resolveProfile(profile, { paths, names });
}

export async function resolveAndShow(
  deps: PresentDeps,
  profile: Profile,
  label: string,
  token?: vscode.CancellationToken,
  opts: { inPlace?: boolean; prepared?: PreparedIndex } = {},
): Promise<LoadedProfile> {
  const started = Date.now();
  const loaded = deps.session.show(profile, await resolveFrames(deps, profile, token, opts.prepared), label, { inPlace: opts.inPlace });
  const h = loaded.hotspots;
  const placed = [...h.files.values()].reduce((n, f) => n + f.functions.length, 0);
  deps.log.info(`${label}: ${profile.frames.length} frames, ${placed} functions placed in ${h.files.size} files, resolved in ${Date.now() - started} ms`);
  if (h.unmatchedFunctions.size > 0) {
    const top = [...h.unmatchedFunctions].sort((a, b) => b[1] - a[1]).slice(0, 20);
    deps.log.info(`user functions with no workspace source (top ${top.length} of ${h.unmatchedFunctions.size}): ${top.map(([n]) => n).join(', ')}`);
  }
  return loaded;
}

/** The workspace function with the most CPU in it and the library code it calls. */
export function hottestFunction(loaded: LoadedProfile): FunctionHotspot | undefined {
  let hottest: FunctionHotspot | undefined;
  for (const f of loaded.hotspots.files.values()) for (const fn of f.functions) if (fn.deepest > (hottest?.deepest ?? 0)) hottest = fn;
  return hottest;
}

/** A non-modal summary: the hottest user function, with buttons to go there or open the flamegraph. */
export async function announce(loaded: LoadedProfile): Promise<void> {
  const h = loaded.hotspots;
  const hottest = hottestFunction(loaded);
  const actions = hottest ? ['Go to Hottest Function', 'Show Flamegraph'] : ['Show Flamegraph', 'Show Unresolved Frames'];
  const text = hottest
    ? `Profile ${loaded.label}: hottest workspace function ${hottest.name} (${percent(hottest.deepest, h.totalValue)} of CPU in it and the library code it calls).`
    : `Profile ${loaded.label} loaded, but none of its frames matched a workspace file.`;
  const choice = await vscode.window.showInformationMessage(text, ...actions);
  if (choice === 'Go to Hottest Function' && hottest) await openAt(hottest.path, hottest.line);
  else if (choice === 'Show Flamegraph') await vscode.commands.executeCommand('podProfiler.showFlamegraph');
  else if (choice === 'Show Unresolved Frames') await vscode.commands.executeCommand('podProfiler.showUnresolved');
}
