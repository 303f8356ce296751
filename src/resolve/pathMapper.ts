// Maps a source path recorded inside a container (`/app/server.go`, `/go/src/github.com/org/repo/x.go`,
// a `-trimpath` module path `github.com/org/repo/x.go`) to a workspace file.
// User substitutions win; otherwise the workspace file sharing the longest path suffix wins, and a tie is
// reported as ambiguous rather than guessed. No vscode API here.

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

export class PathMapper {
  private readonly byBaseName = new Map<string, string[][]>();
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
    const segs = segments(norm);
    const base = segs[segs.length - 1];
    if (!base) return;
    let list = this.byBaseName.get(base);
    if (!list) this.byBaseName.set(base, (list = []));
    list.push(norm.startsWith('/') ? ['', ...segs] : segs);
    this.cache.clear();
  }

  /** Forgets a file, or every file below a deleted folder. */
  remove(file: string): void {
    const norm = file.replace(/\\/g, '/');
    if (!this.known.has(norm)) {
      const below = norm.endsWith('/') ? norm : `${norm}/`;
      for (const f of [...this.known]) if (f.startsWith(below)) this.remove(f);
      return;
    }
    this.known.delete(norm);
    const segs = segments(norm);
    const list = this.byBaseName.get(segs[segs.length - 1] ?? '');
    if (list) {
      const i = list.findIndex((s) => s.filter(Boolean).join('/') === segs.join('/'));
      if (i >= 0) list.splice(i, 1);
    }
    this.cache.clear();
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
    for (const cand of list) {
      const c = cand.filter(Boolean);
      let n = 0;
      while (n < c.length && n < recSegs.length && c[c.length - 1 - n] === recSegs[recSegs.length - 1 - n]) n++;
      const path = (cand[0] === '' ? '/' : '') + c.join('/');
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
