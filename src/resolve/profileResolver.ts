// Resolves every frame of a profile to a workspace location, or says why it can't.
// Frames that carry a recorded file (pprof) go through the PathMapper; name-only frames (eBPF agents)
// go through the name resolver. No vscode API here.

import type { Frame, Profile } from '../model/profile';
import { reasonForKind, unresolved, type FrameResolution, type SourceLocation } from './frameResolution';
import type { PathMapper } from './pathMapper';
import type { NameResolver as FullNameResolver } from './nameResolver';

/** What this module needs of the definition index's resolver (src/resolve/nameResolver.ts). */
export type NameResolver = Pick<FullNameResolver, 'resolve' | 'enclosingFunctionLine'>;

export interface ResolveOptions {
  readonly paths: PathMapper;
  readonly names?: NameResolver;
}

export function resolveProfile(profile: Profile, opts: ResolveOptions): FrameResolution[] {
  const frames = profile.frames;
  const out = new Array<FrameResolution>(frames.length);
  // Frames placed by their recorded path may lack the function's line; the name resolver's never do, and
  // its answers are not read back (two objects a frame, memory a big profile finds cold).
  const placedByPath: number[] = [];
  for (let id = 0; id < frames.length; id++) {
    const frame = frames[id];
    const byPath = frame.file ? resolveByPath(frame, frame.file, opts.paths) : undefined;
    if (byPath) {
      out[id] = byPath;
      if (byPath.location) placedByPath.push(id);
      continue;
    }
    // The name resolver gives non-code frames the reason their kind gives, as below.
    out[id] = opts.names ? opts.names.resolve(frame) : unresolved(reasonForKind(frame.kind) ?? 'no-source');
  }
  placeFunctionLines(profile, out, placedByPath, opts.names);
  return out;
}

/** A frame with a recorded file: its place by path, or why it has none; undefined when the name may tell. */
function resolveByPath(frame: Frame, file: string, paths: PathMapper): FrameResolution | undefined {
  const nonCode = reasonForKind(frame.kind);
  if (nonCode && nonCode !== 'runtime') return unresolved(nonCode);
  const m = paths.map(file);
  // Standard-library files share names with user files (server.go, proc.go): a runtime frame is placed
  // in the workspace only when the user mapped its path explicitly.
  if (nonCode && !(m.kind === 'exact' && m.via === 'substitution')) return unresolved(nonCode);
  const line = frame.line ?? frame.startLine ?? 1;
  const functionLine = frame.startLine && frame.startLine > 0 ? frame.startLine : undefined;
  if (m.kind === 'exact') {
    return { location: { path: m.path, line, functionLine }, via: `${m.via === 'substitution' ? 'path substitution' : 'recorded path'} ${file}` };
  }
  if (m.kind === 'ambiguous') {
    const candidates: SourceLocation[] = m.candidates.map((path) => ({ path, line, functionLine }));
    return { location: candidates[0], candidates, reason: 'ambiguous', via: `recorded path ${file}` };
  }
  return undefined;
}

/**
 * pprof from older Go gives no Function.start_line, so the CodeLens needs the declaration line from
 * elsewhere: the definition of the frame's name in that file, else the definition enclosing the sampled
 * line, else the first sampled line of the function.
 */
function placeFunctionLines(profile: Profile, out: FrameResolution[], placedByPath: readonly number[], names?: NameResolver): void {
  const firstLine = new Map<string, number>();
  const pending: number[] = [];
  for (const id of placedByPath) {
    const r = out[id];
    const loc = r.location;
    if (!loc || loc.functionLine !== undefined) continue;
    // By name first: recorded lines may be stale against edited code, the function's name is not.
    const byName = names?.resolve(profile.frames[id]).location;
    const fromIndex =
      byName && byName.path === loc.path ? byName.functionLine ?? byName.line : names?.enclosingFunctionLine(loc.path, loc.line);
    if (fromIndex !== undefined) {
      out[id] = { ...r, location: { ...loc, functionLine: fromIndex } };
      continue;
    }
    const key = `${loc.path}\u0000${profile.frames[id].name}`;
    firstLine.set(key, Math.min(firstLine.get(key) ?? Infinity, loc.line));
    pending.push(id);
  }
  for (const id of pending) {
    const r = out[id];
    const loc = r.location!;
    const functionLine = firstLine.get(`${loc.path}\u0000${profile.frames[id].name}`)!;
    out[id] = { ...r, location: { ...loc, functionLine } };
  }
}
