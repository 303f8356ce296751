// Which hot function a line of a file belongs to: the flamegraph follows the editor cursor with it.
// No vscode API: the caller passes the file's hotspots, the resolutions and, when the workspace is indexed,
// the file's definitions (their line ranges).

import type { FileHotspots, FunctionHotspot } from './hotspots';
import type { FrameResolutions } from '../resolve/frameResolution';

/** A definition's extent in its file, 1-based lines (DefinitionIndex's Definition has these fields). */
export interface DefinitionRange {
  /** Line of the name: what a hot function's `line` (its CodeLens line) is. */
  readonly line: number;
  readonly startLine: number;
  readonly endLine: number;
}

/**
 * The hot function whose body holds `line`, or undefined.
 *
 * With `definitions`: the innermost definition around the line that is a hot function (a cold nested
 * function inside a hot one gives the hot one). Without them (the workspace was never indexed, as for
 * pprof profiles that carry lines), a hot function's extent is taken as its declaration line down to its
 * last sampled line: the cursor below the last sampled line of a function selects nothing rather than a
 * wrong function.
 */
export function hotFunctionAt(
  file: FileHotspots,
  line: number,
  resolutions: FrameResolutions,
  definitions?: readonly DefinitionRange[],
): FunctionHotspot | undefined {
  if (file.functions.length === 0) return undefined;
  if (definitions && definitions.length > 0) {
    let best: FunctionHotspot | undefined;
    let bestSpan = Infinity;
    for (const d of definitions) {
      if (line < d.startLine || line > d.endLine) continue;
      const span = d.endLine - d.startLine;
      if (span >= bestSpan) continue;
      const fn = file.functions.find((f) => f.line === d.line);
      if (fn) {
        best = fn;
        bestSpan = span;
      }
    }
    if (best) return best;
  }
  // The nearest hot function declared at or above the line, if the line is not past its last sampled line.
  let nearest: FunctionHotspot | undefined;
  for (const f of file.functions) if (f.line <= line && (!nearest || f.line > nearest.line)) nearest = f;
  if (!nearest) return undefined;
  let last = nearest.line;
  for (const id of nearest.frameIds) {
    const l = resolutions[id]?.location?.line;
    if (l !== undefined && l > last) last = l;
  }
  return line <= last ? nearest : undefined;
}
