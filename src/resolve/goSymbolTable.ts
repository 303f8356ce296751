// The Go half of the definition index: Go definitions by the symbols the Go toolchain prints for them, by
// receiver, name and the last segment of their package, and by package; Go func literals by their closure
// symbols. What the resolver's fast paths read is worked out when definitions are stored, not per frame.
// Kept by DefinitionIndex as files are stored and dropped. No vscode API here.
import type { ClosureSite, Definition } from './definitions/definition';
import { sitesWithin } from './definitions/fileDefinitions';
import { isForeignGoFile } from './definitions/goPlatform';
import { escapeImportPath, goClosureNumberAt } from './symbols/goSymbol';
import { segmentCount } from './pathSegments';
import { sharedResolutionOf } from './definitionResolution';
import type { FrameResolution } from './frameResolution';
import { guessLanguages, plainReadings, type SymbolLanguage } from './symbols/parseSymbol';
import { addDefinition, removeDefinitionsOf } from './definitionLists';

/**
 * The Go definitions one runtime symbol names (`net/http.(*Server).Serve`), with what resolving a frame of
 * that name needs worked out once when the definitions are stored, not once per frame.
 */
export interface GoSymbolEntry {
  /** In index order. */
  readonly defs: readonly Definition[];
  /** Those outside foreign-platform and test files (isForeignGoFile), in the same order. */
  readonly native: readonly Definition[];
  /**
   * `native.length > 0`, and the segments of the definitions' import path (the symbol spells it, so they all
   * share it): what the resolver's fast path weighs, kept in the entry so that a frame reads this one object
   * (on a 50k-frame profile the arrays and strings behind them cost a cache miss each).
   */
  readonly hasNative: boolean;
  readonly importPathSegments: number;
  /** guessLanguages of the symbol, which is its own normalised name (see plainReadings); else undefined. */
  readonly readings: readonly SymbolLanguage[] | undefined;
  /**
   * sharedResolutionOf(native), or of `defs` when none is native: what a name-only frame spelled exactly as
   * this symbol resolves to when those are its best definitions (the resolver decides: an all-foreign symbol
   * may be beaten by a suffix match elsewhere). Built when the definitions are stored, frozen, shared by
   * every such frame. Undefined only while a build is changing the entry.
   */
  readonly resolution: FrameResolution | undefined;
}

/**
 * A Go closure symbol as the toolchain prints it (`net/http.(*Server).Serve.func3`, `pkg.F.func2.1`) for a
 * func literal noted while indexing, with the answer a frame of that name gets when `def` is the only best
 * definition of its function (see the resolver's goClosure, which this spares the walk to the literal).
 */
export interface GoClosureEntry {
  /** The symbol entry of the function the closure is written in. */
  readonly function: GoSymbolEntry;
  readonly def: Definition;
  /** guessLanguages of the closure symbol. */
  readonly readings: readonly SymbolLanguage[];
  /** Frozen: the literal's line, CodeLens on the function. */
  readonly resolution: FrameResolution;
}

interface MutableGoSymbolEntry extends GoSymbolEntry {
  defs: Definition[];
  native: Definition[];
  hasNative: boolean;
  resolution: FrameResolution | undefined;
}

export class GoSymbolTable {
  /** By the symbol the Go runtime prints (see goSymbolsOf). */
  private readonly bySymbol = new Map<string, MutableGoSymbolEntry>();
  /** By receiver, name and the last segment of the import path (see candidates). */
  private readonly byTail = new Map<string, Definition[]>();
  /** Definitions per import path (Definition.parts[0]), and every '/'-suffix of those paths but `main` with how many paths end so (see hasPackageMatching). */
  private readonly packageDefs = new Map<string, number>();
  private readonly packageSuffixes = new Map<string, number>();
  /** Func literals by their closure symbols, and the symbols each file registered (see addClosures). */
  private readonly byClosure = new Map<string, GoClosureEntry>();
  private readonly closureKeys = new Map<string, string[]>();
  /** Definitions named like a suffix the toolchain adds to symbols (see hasSuffixNames). */
  private suffixNamed = 0;
  /** Entries whose definitions changed since their resolution was built (see settle). */
  private readonly unsettled = new Set<MutableGoSymbolEntry>();

  /**
   * Go definitions named `name` with receiver `container` (undefined for functions) in a package whose
   * import path ends in the same segment as `pkg` (`net/http`, `vendor/golang.org/x/net/http` and `http`
   * all end in `http`), in index order: every definition a Go symbol of package `pkg` can match when the
   * import path is not known exactly (matching wants the paths equal or one a '/'-suffix of the other).
   */
  candidates(name: string, container: string | undefined, pkg: string): readonly Definition[] {
    return this.byTail.get(goTailKey(container, name, pkg)) ?? NONE;
  }

  /**
   * Whether a Go symbol of package `pkg` can match any Go definition: some definition's import path is
   * `pkg`, or (neither being `main`) one of the two ends with the other after a '/' (the resolver's
   * goPackageMatches). When not, a frame of that package has no candidate: a third-party library the
   * workspace does not hold, answered without building keys or scoring.
   */
  hasPackageMatching(pkg: string): boolean {
    if (pkg === 'main') return this.packageDefs.has('main');
    // Every path the checks below can find ends in `pkg`'s last segment, so that segment is a kept suffix:
    // one lookup settles a third-party package (`google.golang.org/grpc/internal/transport`) whose last
    // segment no workspace package has, instead of one per '/'.
    const slash = pkg.lastIndexOf('/');
    if (slash >= 0 && !this.packageSuffixes.has(pkg.slice(slash + 1))) return false;
    // A path that is `pkg` or ends with `/pkg`.
    if (this.packageSuffixes.has(pkg)) return true;
    // A path that `pkg` ends with, after a '/'.
    for (let slash = pkg.indexOf('/'); slash >= 0; slash = pkg.indexOf('/', slash + 1)) {
      const tail = pkg.slice(slash + 1);
      if (tail !== 'main' && this.packageDefs.has(tail)) return true;
    }
    return false;
  }

  /**
   * Whether some Go function is named `abi0`, `abiinternal` or like a closure (`func2`, `gowrap1`): only then
   * can a symbol ending in such a token be spelled exactly as the index knows a function (`pkg.T.func2`
   * for a method func2). Otherwise the resolver knows without a lookup that `pkg.F.func2` names a closure.
   */
  get hasSuffixNames(): boolean {
    return this.suffixNamed > 0;
  }

  /** The func literal whose closure symbol is exactly `symbol` (`pkg.(*T).M.func2.1`), if noted while indexing. */
  closure(symbol: string): GoClosureEntry | undefined {
    return this.byClosure.get(symbol);
  }

  /**
   * The Go definitions whose runtime symbol is exactly `symbol` (`net/http.(*Server).Serve`, `main.main`),
   * with the facts precomputed for it (see GoSymbolEntry): the resolver's fast path for the commonest frame
   * shape, answered without parsing the name.
   */
  entry(symbol: string): GoSymbolEntry | undefined {
    return this.bySymbol.get(symbol);
  }

  /**
   * Stores the Go definitions of `defs`, the definitions of file `path` in order, with the func literals
   * noted in it while indexing (`closures`). The entries changed are settled by settle().
   */
  add(path: string, defs: readonly Definition[], closures: readonly ClosureSite[] | undefined): void {
    const foreign = path.endsWith('.go') && isForeignGoFile(path);
    for (const d of defs) {
      if (d.language !== 'go') continue;
      if (isGoSuffixName(d.name)) this.suffixNamed++;
      addDefinition(this.byTail, goTailKey(d.container, d.name, d.parts[0]), d);
      this.countPackage(d.parts[0], 1);
      // The answer for this definition alone, shared by its pointer- and value-receiver symbols.
      let own: FrameResolution | undefined;
      const symbols = goSymbolsOf(d);
      for (const symbol of symbols) {
        const entry = this.bySymbol.get(symbol);
        if (!entry) {
          // `native` is `defs` itself while every definition is native (most symbols have one definition).
          const defs = [d];
          this.bySymbol.set(symbol, {
            defs,
            native: foreign ? [] : defs,
            hasNative: !foreign,
            importPathSegments: segmentCount(d.parts[0]),
            readings: plainReadings(symbol),
            resolution: (own ??= sharedResolutionOf(defs)),
          });
          continue;
        }
        if (foreign && entry.native === entry.defs) entry.native = entry.defs.slice();
        entry.defs.push(d);
        if (!foreign && entry.native !== entry.defs) entry.native.push(d);
        entry.hasNative = entry.native.length > 0;
        // Built again by settle(); until then (during a build) the resolver works it out itself.
        entry.resolution = undefined;
        this.unsettled.add(entry);
      }
      if (closures && closures.length > 0) this.addClosures(path, d, symbols, closures, foreign);
    }
  }

  /** Takes out what add() stored for file `path`, whose definitions were `defs`. */
  remove(path: string, defs: readonly Definition[]): void {
    for (const key of this.closureKeys.get(path) ?? []) if (this.byClosure.get(key)?.def.file === path) this.byClosure.delete(key);
    this.closureKeys.delete(path);
    for (const d of defs) {
      if (d.language !== 'go') continue;
      if (isGoSuffixName(d.name)) this.suffixNamed--;
      // (A file's second definition of a name finds the lists already without the file, or gone.)
      removeDefinitionsOf(this.byTail, goTailKey(d.container, d.name, d.parts[0]), path);
      this.countPackage(d.parts[0], -1);
      for (const symbol of goSymbolsOf(d)) {
        const entry = this.bySymbol.get(symbol);
        if (!entry) continue;
        const kept = entry.defs.filter((x) => x.file !== path);
        if (kept.length === 0) {
          this.bySymbol.delete(symbol);
          this.unsettled.delete(entry);
          continue;
        }
        const native = kept.filter((x) => !isForeignGoFile(x.file));
        entry.defs = kept;
        entry.native = native.length === kept.length ? kept : native;
        entry.hasNative = native.length > 0;
        entry.resolution = undefined;
        this.unsettled.add(entry);
      }
    }
  }

  /**
   * Registers the closure symbols of the func literals written directly and nested in Go definition `d`
   * (whose own symbols, goSymbolsOf, add() passes as `symbols`): `<symbol>.func<N>` for the N-th literal in
   * its body, `.<M>` for the M-th inside that one, as the resolver's goClosure walks them. Left out, as goClosure leaves them to the general path: `init` (init.N are
   * functions) and escaped import paths ('%'). Of two definitions spelling one closure symbol, a native one
   * is kept over a foreign-platform one.
   */
  private addClosures(path: string, d: Definition, symbols: readonly string[], fileSites: readonly ClosureSite[], foreign: boolean): void {
    if (d.name === 'init') return;
    const sites = sitesWithin(fileSites, d.startLine, d.endLine);
    if (sites.length === 0) return;
    let keys = this.closureKeys.get(path);
    if (!keys) this.closureKeys.set(path, (keys = []));
    const register = (symbol: string, entry: GoSymbolEntry, level: readonly ClosureSite[], first: boolean) => {
      for (let i = 0; i < level.length; i++) {
        const key = first ? `${symbol}.func${i + 1}` : `${symbol}.${i + 1}`;
        const old = this.byClosure.get(key);
        if (!old || (isForeignGoFile(old.def.file) && !foreign)) {
          const site = level[i];
          const location = Object.freeze({ path: d.file, line: site.line, functionLine: d.line });
          const resolution = Object.freeze({ location, via: `closure at line ${site.line} in ${d.name}` });
          this.byClosure.set(key, { function: entry, def: d, readings: guessLanguages(key), resolution });
          keys!.push(key);
        }
        register(key, entry, level[i].children, false);
      }
    };
    for (const symbol of symbols) {
      const entry = this.bySymbol.get(symbol);
      if (entry && !symbol.includes('%')) register(symbol, entry, sites, true);
    }
  }

  /** Rebuilds the resolution of every entry changed since the last call (once per entry, not per definition added): after a batch of add/remove. */
  settle(): void {
    for (const entry of this.unsettled) {
      entry.resolution = sharedResolutionOf(entry.native.length > 0 ? entry.native : entry.defs);
    }
    this.unsettled.clear();
  }

  /** Counts a Go definition in (+1) or out of (-1) import path `pkg`; a path's suffixes go with its first and last definition. */
  private countPackage(pkg: string, delta: 1 | -1): void {
    const n = (this.packageDefs.get(pkg) ?? 0) + delta;
    if (n > 0) this.packageDefs.set(pkg, n);
    else this.packageDefs.delete(pkg);
    // (`main` matches only `main`: its suffixes are not kept.)
    if ((delta > 0 ? n !== 1 : n !== 0) || pkg === 'main') return;
    for (let start = 0; start >= 0; ) {
      const suffix = start === 0 ? pkg : pkg.slice(start);
      const m = (this.packageSuffixes.get(suffix) ?? 0) + delta;
      if (m > 0) this.packageSuffixes.set(suffix, m);
      else this.packageSuffixes.delete(suffix);
      const slash = pkg.indexOf('/', start);
      start = slash < 0 ? -1 : slash + 1;
    }
  }
}

const NONE: readonly Definition[] = [];

/** byTail's key: receiver, name and the import path's last segment. */
function goTailKey(container: string | undefined, name: string, pkg: string): string {
  return `${pkg.slice(pkg.lastIndexOf('/') + 1)}\0${container ?? ''}\0${name}`;
}

/** `abi0`, `abiinternal`, `func2`, `gowrap1`, `deferwrap3`: tokens the Go toolchain appends to symbols. */
function isGoSuffixName(name: string): boolean {
  return name === 'abi0' || name === 'abiinternal' || goClosureNumberAt(name, 0, name.length) >= 0;
}

/**
 * The symbols the Go toolchain gives a definition: `pkg.F`, and for methods both `pkg.(*T).M` and
 * `pkg.T.M` (the receiver's pointer-ness is not kept in the index). `pkg` is the import path, or `main`.
 */
function goSymbolsOf(d: Definition): string[] {
  const pkg = escapeImportPath(d.parts[0]);
  // Joined, not concatenated: a concatenation is a tree of pieces that the first lookup comparing a frame
  // name with it has to flatten (allocating a copy); joined strings are flat from the start, which makes
  // the first resolution after indexing about as fast as later ones.
  return d.container ? [[pkg, '.(*', d.container, ').', d.name].join(''), [pkg, '.', d.container, '.', d.name].join('')] : [[pkg, '.', d.name].join('')];
}
