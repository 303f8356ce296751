// Lists the source files of workspace folders, honouring exclude globs (VS Code `files.exclude` style,
// e.g. `**/node_modules`) and every `.gitignore` on the way down, skipping files too large to be hand-written.
import ignore, { Ignore } from 'ignore';
import { readFileSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { languageOfFile } from './definition';

export const DEFAULT_EXCLUDES = ['**/.git', '**/.svn', '**/.hg', '**/node_modules', '**/.DS_Store'];

export interface FileEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface ListOptions {
  readonly exclude?: readonly string[];
  readonly useGitignore?: boolean;
  readonly maxFileBytes: number;
  readonly signal?: AbortSignal;
  /** Longest stretch of synchronous listing between two yields to the event loop (default 8 ms). */
  readonly yieldEveryMs?: number;
}

interface Rules {
  readonly base: string;
  readonly rules: Ignore;
}

/** Matches a path against the exclude globs and the .gitignore files of its ancestors. */
export class IgnoreRules {
  private readonly exclude: Ignore;
  private readonly gitignores = new Map<string, Rules | null>();

  constructor(private readonly root: string, globs: readonly string[], private readonly useGitignore: boolean) {
    this.exclude = ignore().add(globs.map((g) => g.replace(/^\.\//, '')));
  }

  /** Reads `dir`/.gitignore once (synchronously: see listSourceFiles). */
  loadGitignore(dir: string): void {
    if (!this.useGitignore || this.gitignores.has(dir)) return;
    try {
      const text = readFileSync(join(dir, '.gitignore'), 'utf8');
      this.gitignores.set(dir, { base: dir, rules: ignore().add(text) });
    } catch {
      this.gitignores.set(dir, null);
    }
  }

  /** `ancestors` are the directories from the root down to the path's parent. */
  ignored(path: string, isDir: boolean, ancestors: readonly string[]): boolean {
    const rel = toPosix(relative(this.root, path));
    if (rel === '' || rel.startsWith('..')) return false;
    if (this.exclude.ignores(isDir ? `${rel}/` : rel)) return true;
    for (const dir of ancestors) {
      const r = this.gitignores.get(dir);
      if (!r) continue;
      const sub = toPosix(relative(r.base, path));
      if (sub && r.rules.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  }
}

/**
 * Every indexable file under `root` (depth-first, symlinked directories not followed). The file system is
 * read synchronously, yielding to the event loop every few milliseconds (also on a slow network file
 * system): one thread-pool round trip per stat made listing a large tree three times slower than the calls.
 */
export async function listSourceFiles(root: string, opts: ListOptions): Promise<FileEntry[]> {
  const rules = new IgnoreRules(root, opts.exclude ?? DEFAULT_EXCLUDES, opts.useGitignore ?? true);
  const out: FileEntry[] = [];
  const pending: Array<{ dir: string; ancestors: string[] }> = [{ dir: root, ancestors: [] }];
  let lastYield = performance.now();
  // (Checked without awaiting: an await per file would cost a turn of the microtask queue each.)
  const every = opts.yieldEveryMs ?? YIELD_EVERY_MS;
  const due = () => performance.now() - lastYield >= every;
  const breathe = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  };
  while (pending.length > 0) {
    if (due()) await breathe();
    opts.signal?.throwIfAborted();
    const { dir, ancestors } = pending.pop()!;
    rules.loadGitignore(dir);
    const chain = [...ancestors, dir];
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable directory: skip, never fail the whole index
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!rules.ignored(p, true, chain)) pending.push({ dir: p, ancestors: chain });
      } else if (e.isFile() && languageOfFile(e.name) && !rules.ignored(p, false, chain)) {
        const st = statOrUndefined(p);
        if (st && st.size <= opts.maxFileBytes) out.push({ path: p, size: st.size, mtimeMs: st.mtimeMs });
        if (due()) {
          await breathe();
          opts.signal?.throwIfAborted();
        }
      }
    }
  }
  return out;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // gone or unreadable since the directory was read: skipped
  }
}

const YIELD_EVERY_MS = 8;

function toPosix(p: string): string {
  return p.split(sep).join('/');
}
