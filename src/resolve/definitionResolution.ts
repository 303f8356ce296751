// The FrameResolution a set of equally good definitions gives (resolved, or ambiguous with every place).
// Shared by the name resolver and the definition index, which builds the answer for an exact Go symbol
// once when definitions are stored, so resolving such a frame allocates nothing.
import type { Definition } from './definitions/definition';
import type { FrameResolution, SourceLocation } from './frameResolution';

/** One definition: resolved; several: ambiguous, unless they are the same place. */
export function resolutionOf(defs: readonly Definition[], what: string): FrameResolution {
  const locations = defs.length === 1 ? undefined : dedupe(defs.map(locationOf));
  if (locations && locations.length > 1) {
    return { reason: 'ambiguous', location: locations[0], candidates: locations, via: `${locations.length} definitions of ${what}` };
  }
  return { location: locations ? locations[0] : locationOf(defs[0]), via: `definition of ${what}` };
}

/** resolutionOf(defs, defs[0].name), frozen (with its locations) so that it can be handed out to every frame. */
export function sharedResolutionOf(defs: readonly Definition[]): FrameResolution {
  const r = resolutionOf(defs, defs[0].name);
  if (r.location) Object.freeze(r.location);
  if (r.candidates) {
    for (const c of r.candidates) Object.freeze(c);
    Object.freeze(r.candidates);
  }
  return Object.freeze(r);
}

/** The definition's name line; CodeLens on the function it is written in when it is nested (Python). */
export function locationOf(def: Definition): SourceLocation {
  return { path: def.file, line: def.line, functionLine: def.enclosingLine ?? def.line };
}

function compareLocations(a: SourceLocation, b: SourceLocation): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line;
}

/** Sorted by path then line, each place once. */
function dedupe(locations: SourceLocation[]): SourceLocation[] {
  if (locations.length <= 32) {
    // The usual few candidates: insertion sort dropping repeats, without building keys.
    const out: SourceLocation[] = [];
    // (Indexed loop: for-of allocates an iterator before the code is optimised, and this runs per frame.)
    for (let k = 0; k < locations.length; k++) {
      const l = locations[k];
      let i = out.length;
      while (i > 0 && compareLocations(out[i - 1], l) > 0) i--;
      if (i > 0 && compareLocations(out[i - 1], l) === 0) continue;
      out.splice(i, 0, l);
    }
    return out;
  }
  const seen = new Set<string>();
  return locations
    .filter((l) => {
      const k = `${l.path}:${l.line}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(compareLocations);
}
