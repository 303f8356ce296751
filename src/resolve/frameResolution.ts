// What symbol resolution says about one profile frame: where it lives in the workspace, or why not.
// No vscode API here.
import type { FrameKind } from '../model/profile';

/** A place in a workspace file. Paths are absolute file-system paths; lines are 1-based. */
export interface SourceLocation {
  readonly path: string;
  /** The line that was executing (leaf) or calling (caller); the declaration line when the profile has no lines. */
  readonly line: number;
  /** The line where the enclosing function is declared (CodeLens goes here), when known. */
  readonly functionLine?: number;
}

export type UnresolvedReason =
  | 'k8s' // context frames (pod:, node:, ...) are not code
  | 'kernel'
  | 'runtime' // language runtime or standard library, not in the workspace
  | 'unsymbolized' // bare address, [m] module+offset, <stack trace lost>
  | 'no-source' // user code, but no workspace file matches
  | 'ambiguous'; // several definitions match equally well; see candidates

export interface FrameResolution {
  readonly location?: SourceLocation;
  /** When ambiguous: every equally good definition, best first. `location` is then the first. */
  readonly candidates?: readonly SourceLocation[];
  readonly reason?: UnresolvedReason;
  /** How the location was found, shown in hovers ("pprof file:line", "definition of parseCatalog"). */
  readonly via?: string;
}

const REASON_ONLY = new Map<UnresolvedReason, FrameResolution>();

/**
 * `{ reason }` and nothing else, one frozen object per reason: unresolved frames are many (every kernel or
 * runtime frame), and resolutions are never written to (callers copy them to change them).
 */
export function unresolved(reason: UnresolvedReason): FrameResolution {
  let r = REASON_ONLY.get(reason);
  if (!r) REASON_ONLY.set(reason, (r = Object.freeze({ reason })));
  return r;
}

/** Resolutions indexed by frame id (Profile.frames index). */
export type FrameResolutions = ReadonlyArray<FrameResolution | undefined>;

/** Why a frame of this kind is never code in the workspace; undefined for user and Java frames. */
export function reasonForKind(kind: FrameKind): UnresolvedReason | undefined {
  switch (kind) {
    case 'k8s':
      return 'k8s';
    case 'kernel':
      return 'kernel';
    case 'unknown':
      return 'unsymbolized';
    case 'runtime':
      return 'runtime';
    default:
      return undefined;
  }
}
