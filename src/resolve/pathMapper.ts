// Maps a source path recorded inside a container (`/app/server.go`, `/go/src/github.com/org/repo/x.go`,
// a `-trimpath` module path `github.com/org/repo/x.go`) to a workspace file.
// User substitutions win; otherwise the workspace file sharing the longest path suffix wins, and a tie is
// reported as ambiguous rather than guessed. No vscode API here.
import { isAtOrBelow, targetSet } from './pathsBelow';

export interface PathSubstitution {
  /** Prefix as recorded in the profile, e.g. `/go/src/github.com/acme/shop`. */
  readonly from: string;
  /** Workspace folder that prefix stands for (absolute). */
  readonly to: string;
}

export type PathMatch =
  | { readonly kind: 'exact'; readonly path: string; readonly via: 'substitution' | 'suffix'; readonly matchedSegments: number }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[]; readonly matchedSegments: number }
  | { readonly kind: 'none' };

function segments(p: string): string[] {
  return p.replace(/\\/g, '/').split('/').filter((s) => s.length > 0 && s !== '.');
}

/** A workspace file as matched: its path as answered (segments joined, leading '/' kept) and its segments. */
interface KnownFile {
  readonly path: string;
  readonly segs: readonly string[];
}

function knownFile(norm: string): KnownFile {
  const segs = segments(norm);
  return { path: (norm.startsWith('/') ? '/' : '') + segs.join('/'), segs };
}

export class PathMapper {
  private readonly byBaseName = new Map<string, KnownFile[]>();
  private readonly known = new Set<string>();
  private readonly cache = new Map<string, PathMatch>();

  constructor(
    workspaceFiles: Iterable<string>,
    private readonly substitutions: readonly PathSubstitution[] = [],
  ) {
    for (const file of workspaceFiles) this.add(file);
  }

  add(file: string): void {
    const norm = file.replace(/\\/g, '/');
    if (this.known.has(norm)) return;
    this.known.add(norm);
    const known = knownFile(norm);
    const base = known.segs[known.segs.length - 1];
    if (!base) return;
    let list = this.byBaseName.get(base);
    if (!list) this.byBaseName.set(base, (list = []));
    list.push(known);
    this.cache.clear();
  }

  /** Forgets a file, or every file below a deleted folder. */
  remove(file: string): void {
    this.removeAll([file]);
  }

  /**
   * Forgets deleted files and every file below deleted folders, in one pass over the known files. True
   * when a known file went.
   */
  removeAll(paths: Iterable<string>): boolean {
    const targets = targetSet(Array.from(paths, (p) => p.replace(/\\/g, '/')), '/');
    if (targets.size === 0) return false;
    const gone = new Set<string>();
    for (const f of this.known) if (isAtOrBelow(f, targets, '/')) gone.add(f);
    if (gone.size === 0) return false;
    const gonePaths = new Set<string>();
    const bases = new Set<string>();
    for (const f of gone) {
      this.known.delete(f);
      const file = knownFile(f);
      gonePaths.add(file.path);
      bases.add(file.segs[file.segs.length - 1] ?? '');
    }
    for (const base of bases) {
      const list = this.byBaseName.get(base);
      if (!list) continue;
      const kept = list.filter((file) => !gonePaths.has(file.path));
      if (kept.length > 0) this.byBaseName.set(base, kept);
      else this.byBaseName.delete(base);
    }
    this.cache.clear();
    return true;
  }

  map(recorded: string): PathMatch {
    let hit = this.cache.get(recorded);
    if (!hit) {
      hit = this.compute(recorded);
      this.cache.set(recorded, hit);
    }
    return hit;
  }

  private compute(recorded: string): PathMatch {
    const rec = recorded.replace(/\\/g, '/');
    for (const { from, to } of this.substitutions) {
      const f = from.replace(/\\/g, '/').replace(/\/+$/, '');
      if (f && (rec === f || rec.startsWith(f + '/'))) {
        const candidate = to.replace(/\\/g, '/').replace(/\/+$/, '') + rec.slice(f.length);
        if (this.known.has(candidate)) return { kind: 'exact', path: candidate, via: 'substitution', matchedSegments: Infinity };
      }
    }
    const recSegs = segments(rec);
    const base = recSegs[recSegs.length - 1];
    const list = base ? this.byBaseName.get(base) : undefined;
    if (!list || list.length === 0) return { kind: 'none' };
    let best = 0;
    let winners: string[] = [];
    for (const { path, segs: c } of list) {
      let n = 0;
      while (n < c.length && n < recSegs.length && c[c.length - 1 - n] === recSegs[recSegs.length - 1 - n]) n++;
      if (n > best) {
        best = n;
        winners = [path];
      } else if (n === best) {
        winners.push(path);
      }
    }
    if (winners.length === 1) return { kind: 'exact', path: winners[0], via: 'suffix', matchedSegments: best };
    return { kind: 'ambiguous', candidates: winners.sort(), matchedSegments: best };
  }
}
