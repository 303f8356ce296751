// Where a file sits in its project, as the compiler names it: Go import paths from go.mod, Rust crate and
// module paths from Cargo.toml and the src/ tree, Python module paths from the workspace root.
// Manifest reads are cached per directory; forget() drops them when a manifest changes.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

export class ProjectLayout {
  private readonly manifestCache = new Map<string, { dir: string; text: string } | null>();

  constructor(private readonly roots: readonly string[]) {}

  forget(): void {
    this.manifestCache.clear();
  }

  /** Import path of a Go file's package: module path + directory below go.mod ('std' is Go's own tree). */
  goImportPath(file: string): string | undefined {
    const mod = this.findManifest(dirname(file), 'go.mod');
    if (!mod) return undefined;
    const m = /^\s*module\s+"?([^\s"]+)"?/m.exec(mod.text);
    if (!m) return undefined;
    const rel = toPosix(relative(mod.dir, dirname(file)));
    if (m[1] === 'std') return rel || undefined;
    return rel ? `${m[1]}/${rel}` : m[1];
  }

  /** Crate name then module path: src/main.rs -> [crate], src/a/mod.rs -> [crate,'a'], src/a/b.rs -> [crate,'a','b']. */
  rustModulePath(file: string): string[] {
    const cargo = this.findManifest(dirname(file), 'Cargo.toml');
    if (!cargo) return [];
    const pkg = /\[package\][^[]*?^\s*name\s*=\s*"([^"]+)"/ms.exec(cargo.text);
    const crate = (pkg?.[1] ?? basename(cargo.dir)).replace(/-/g, '_');
    const rel = toPosix(relative(join(cargo.dir, 'src'), file));
    if (rel.startsWith('..')) return [crate];
    const segs = rel.replace(/\.rs$/, '').split('/');
    if (segs[0] === 'bin') return [segs.length > 2 ? segs[1] : segs[segs.length - 1].replace(/^main$/, crate)];
    const last = segs[segs.length - 1];
    if (last === 'mod' || (segs.length === 1 && (last === 'main' || last === 'lib'))) segs.pop();
    return [crate, ...segs];
  }

  pythonModulePath(file: string): string[] {
    const root = this.roots.find((r) => file.startsWith(r.endsWith(sep) ? r : r + sep));
    const rel = toPosix(relative(root ?? dirname(file), file)).replace(/\.pyw?$/, '');
    const segs = rel.split('/').filter((s) => s.length > 0);
    if (segs[segs.length - 1] === '__init__') segs.pop();
    return segs;
  }

  /** The nearest `name` file at or above `dir`, not above the workspace root holding it. */
  private findManifest(dir: string, name: string): { dir: string; text: string } | undefined {
    const key = `${dir}\u0000${name}`;
    const cached = this.manifestCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let found: { dir: string; text: string } | null = null;
    const candidate = join(dir, name);
    if (existsSync(candidate)) {
      try {
        found = { dir, text: readFileSync(candidate, 'utf8').slice(0, 64 * 1024) };
      } catch {
        found = null;
      }
    } else {
      const up = dirname(dir);
      const atRoot = this.roots.some((r) => r === dir) || up === dir;
      if (!atRoot) found = this.findManifest(up, name) ?? null;
    }
    this.manifestCache.set(key, found);
    return found ?? undefined;
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}
