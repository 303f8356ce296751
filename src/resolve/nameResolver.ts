// Resolves NAME-ONLY frames (eBPF agents such as Pixie give function names, no file:line) to workspace
// definitions: every reading of the name (src/resolve/symbols) is matched against the definition index by
// the longest run of equal qualified-name parts from the end, plus path/line hints and C++ argument types.
// Equal best matches are reported as 'ambiguous' with all candidates: we never guess silently.
// Frames that are not user code keep the reason their Frame.kind gives (kernel, runtime, unsymbolized, k8s).
import type { Frame, Profile } from '../model/profile';
import { reasonForKind, unresolved, type FrameResolution, type SourceLocation, type UnresolvedReason } from './frameResolution';
import type { ClosureSite, Definition, DefinitionIndex, DefinitionLanguage, GoSymbolEntry } from './definitionIndex';
import { cppLambdaSite } from './cppLambdaSite';
import { isForeignGoFile as isForeignGo } from './definitions/goPlatform';
import { locationOf, resolutionOf } from './definitionResolution';
import { segmentStart, skipSeparators } from './pathSegments';
import { NO_SOURCE_MAPS, type SourceMapLookup } from './sourceMaps';
import { normaliseCppParam } from './symbols/cppSymbol';
import { escapeImportPath, goClosureNumberAt, goClosureSuffixStart, parseGoSymbol } from './symbols/goSymbol';
import { ParsedSymbol, SymbolLanguage, guessLanguages, hasOffset, isGoAbiWrapper, isUnsymbolized, normaliseName, parseSymbolAs } from './symbols/parseSymbol';

export interface NameResolver {
  /**
   * Every location it gives has its functionLine (where the CodeLens goes). A frame that is not user code
   * (kernel, runtime, unsymbolized, k8s) gets the reason its kind gives (reasonForKind).
   */
  resolve(frame: Frame): FrameResolution;
  /** Name line of the innermost indexed definition of `path` whose range holds `line`. */
  enclosingFunctionLine(path: string, line: number): number | undefined;
}

const DEF_LANGUAGES: Record<SymbolLanguage, readonly DefinitionLanguage[]> = {
  go: ['go'],
  cpp: ['cpp'],
  rust: ['rust'],
  java: ['java'],
  node: ['javascript', 'typescript'],
  python: ['python'],
};


export interface NameResolverOptions {
  /** Compiled-JS positions mapped to their sources (see loadSourceMaps); none by default. */
  readonly sourceMaps?: SourceMapLookup;
  /** Score every frame the long way, without the Go exact-symbol fast path (tests compare the two). */
  readonly noFastPath?: boolean;
}

export function createNameResolver(index: DefinitionIndex, options: NameResolverOptions = {}): NameResolver {
  const sourceMaps = options.sourceMaps ?? NO_SOURCE_MAPS;
  // The index's Go half (one object for the index's life), asked first of most frames.
  const goSymbols = index.goSymbols;
  const fastPath = !options.noFastPath;
  // No per-frame cache: a profile's frames are distinct (name, file, line, kind), and a resolver is made per
  // profile, so each frame is resolved once; a cache insert per frame cost as much as resolving it.
  // Per index generation: which symbol languages the workspace can answer, the readings worth parsing for
  // each guessLanguages() answer (those are shared constant arrays, so identity is the key), and facts about
  // definition files. All dropped when the index changes.
  let generation = -1;
  let usable = new Map<readonly SymbolLanguage[], readonly SymbolLanguage[]>();
  let available = new Set<SymbolLanguage>();
  let facts: ScoreFacts = newScoreFacts();
  let hasGo = false;
  let goSuffixNames = false;
  let pyFiles: Map<string, string[]> | undefined;
  // Scratch state of resolveUncached/rank (synchronous, never re-entered).
  let bestScore = -Infinity;
  const bestDefs: Definition[] = [];
  let bestSymbol: ParsedSymbol | undefined;

  // Called once per index generation, not per frame: its arrow function captures a local, so every call
  // allocates a context, even one that would return at once (40 bytes a frame).
  function refresh(): void {
    generation = index.generation;
    goSuffixNames = goSymbols.hasSuffixNames;
    const languages = index.languages();
    available = new Set((Object.keys(DEF_LANGUAGES) as SymbolLanguage[]).filter((l) => DEF_LANGUAGES[l].some((d) => languages.has(d))));
    hasGo = available.has('go');
    usable = new Map();
    pyFiles = undefined;
    facts = newScoreFacts();
  }

  function resolve(frame: Frame): FrameResolution {
    if (index.generation !== generation) refresh();
    return resolveUncached(frame);
  }

  /** The languages of `guess` the workspace has definitions in (a Go-only workspace never parses Java). */
  function usableLanguages(guess: readonly SymbolLanguage[]): readonly SymbolLanguage[] {
    let langs = usable.get(guess);
    if (!langs) usable.set(guess, (langs = guess.filter((l) => available.has(l))));
    return langs;
  }

  function resolveUncached(frame: Frame): FrameResolution {
    const nonCode = reasonForKind(frame.kind);
    if (nonCode) return unresolved(nonCode);
    const raw = frame.name;
    const nameOnly = frame.file === undefined && frame.line === undefined;
    // Fast path for the commonest frame of all, a Go symbol spelled exactly as the index knows it: one
    // lookup, and the index worked out at store time what the steps below would find out about the name.
    const goFast = fastPath && nameOnly && hasGo;
    // Closure tokens end in a digit: only then is there a cut to find.
    const last = raw.charCodeAt(raw.length - 1);
    const cut = goFast && last >= 48 && last <= 57 ? goClosureSuffixStart(raw) : -1;
    // A name the profiler added a suffix to is no index key (see cannotBeGoKey): not looked up.
    const plain = goFast && !cannotBeGoKey(raw, last, cut) ? goSymbols.entry(raw) : undefined;
    if (plain?.readings && isGoOnly(usableLanguages(plain.readings))) return goExact(plain, undefined);
    if (plain === undefined && cut > 0) {
      const closure = goClosureNoted(raw) ?? goClosure(raw, cut);
      if (closure) return closure;
    }
    // perf/bpftrace `sym+0x1f` offsets say where in the function, not which one.
    const name = normaliseName(raw);
    if (goFast && plain === undefined) {
      const wrapped = goSuffixed(raw, name);
      if (wrapped) return wrapped;
    }
    return resolveByReadings(frame, name, plain, nameOnly);
  }

  /**
   * resolveUncached past the Go shortcuts: `name` is the frame's normalised name, `plain` the index entry
   * of the raw name when it was looked up. (A function of its own, so that the rarer shapes it meets late
   * in a profile deoptimise only it, not the shortcuts most frames take.)
   */
  function resolveByReadings(frame: Frame, name: string, plain: GoSymbolEntry | undefined, nameOnly: boolean): FrameResolution {
    const raw = frame.name;
    if (isUnsymbolized(name)) return unresolved('unsymbolized');
    const langs = usableLanguages(guessLanguages(name));
    if (langs.length === 0) return unresolved('no-source');
    // The same for other Go shapes: the scoring below reduced to what can differ between Go candidates
    // without path hints (see goExact).
    let goSymbol: ParsedSymbol | undefined;
    if (fastPath && nameOnly && isGoOnly(langs)) {
      // `.abi0` marks an assembly ABI wrapper of the function (`raw` was looked up above).
      const spelled = name.endsWith('.abi0') ? name.slice(0, -5) : name;
      let exact = spelled === raw ? plain : goSymbols.entry(spelled);
      if (!exact) {
        // Closures (`F.func2.1`), generic instantiations (`F[...]`), `.abiinternal`: the function they belong
        // to, as parsed (the scoring below would score the same parsed symbol).
        goSymbol = parseGoSymbol(name);
        // A package no Go definition can match (scoreOf's goPackageMatches): no exact symbol (its definition
        // would be of that package) and no candidate to score. Most third-party frames end here.
        if (goSymbol && !goSymbols.hasPackageMatching(goSymbol.qualifiedParts[0])) return unresolved('no-source');
        const key = goSymbol && goSymbolKey(goSymbol);
        // (Strings looked up above are not looked up again.)
        if (key !== undefined && key !== spelled) exact = key === raw ? plain : goSymbols.entry(key);
      }
      if (exact) return goExact(exact, goSymbol);
    }
    // Best score over every reading and candidate, kept in reused scratch state (no per-frame arrays):
    // a higher score replaces the set, an equal one joins it; the reading that first reached it names it.
    bestScore = -Infinity;
    bestDefs.length = 0;
    bestSymbol = undefined;
    for (let k = 0; k < langs.length; k++) {
      const lang = langs[k];
      const symbol = lang === 'go' && goSymbol ? goSymbol : parseSymbolAs(lang, name);
      if (!symbol) continue;
      if (lang === 'node') {
        const mapped = viaSourceMap(symbol, frame);
        if (mapped) return mapped;
      }
      if (lang === 'python' && symbol.qualifiedParts.length === 1 && symbol.name.startsWith('<')) {
        const placed = pythonAnonymous(symbol, frame);
        if (placed) return placed;
      }
      rank(symbol, frame);
    }
    // (rank() set it: TypeScript cannot see assignments made inside the called closure.)
    const symbol = bestSymbol as ParsedSymbol | undefined;
    if (bestDefs.length === 0 || !symbol) return unresolved('no-source');
    return symbol.isClosure ? closureResolution(symbol, bestDefs) : resolutionOf(bestDefs, bestDefs[0].name);
  }

  /**
   * True when `raw` (ending in char code `last`, its closure tokens starting at `cut`, see
   * goClosureSuffixStart) cannot be spelled as an index key: keys end in a function name, so not in `]`
   * (generic arguments) nor in a `+0x1f` offset, and, unless some function is named so, not in `.abi0`,
   * `.abiinternal` or closure tokens either. The common name, ending in a letter past `f`, costs one compare.
   */
  function cannotBeGoKey(raw: string, last: number, cut: number): boolean {
    if (last === 93 /* ] */) return true;
    const digit = last >= 48 && last <= 57;
    // Offsets end in a digit or a hex letter.
    if ((digit || (last >= 97 && last <= 102) || (last >= 65 && last <= 70)) && hasOffset(raw)) return true;
    if (goSuffixNames) return false;
    return digit ? cut > 0 || raw.endsWith('.abi0') : last === 108 /* l */ && raw.endsWith('.abiinternal');
  }

  /**
   * A Go symbol the index knows, behind an offset (`pkg.F+0x1f`, `name` is `raw` without it), as its ABI
   * wrapper (`pkg.F.abi0`) or with type arguments (`pkg.F[...]`): what resolveByReadings finds, without
   * reading the name's languages off its shape (a third of a frame's time for the first two shapes) or
   * parsing it. Undefined when resolveByReadings must decide.
   */
  function goSuffixed(raw: string, name: string): FrameResolution | undefined {
    if (name.charCodeAt(name.length - 1) === 93 /* ] */) return name === raw ? goInstantiation(name) : undefined;
    if (name.endsWith('.abi0')) {
      // guessLanguages gives a dotted name ending in `.abi0` exactly Go and Java: Go alone here unless the
      // workspace has Java. (An offset after the suffix leaves it to resolveByReadings.)
      if (name !== raw || available.has('java') || !isGoAbiWrapper(name)) return undefined;
      const exact = goSymbols.entry(name.slice(0, -5));
      return exact && goExact(exact, undefined);
    }
    if (name === raw) return undefined;
    // `name` is normalised, so the entry's readings are guessLanguages(name), what resolveByReadings reads.
    const exact = goSymbols.entry(name);
    return exact?.readings && isGoOnly(usableLanguages(exact.readings)) ? goExact(exact, undefined) : undefined;
  }

  /**
   * A generic Go function's instantiation, `pkg.F[...]` (runtime/pprof) or `pkg.F[go.shape.int]` (the
   * binary's symbol table), answered by the function the index knows as `pkg.F`: resolveByReadings would
   * read the name as Go alone, parse it and look up the same symbol. Only a function's trailing type
   * arguments: a generic receiver (`pkg.(*T[...]).M`) and anything before or after them take that path.
   */
  function goInstantiation(name: string): FrameResolution | undefined {
    // One group at the end, not nested (`[go.shape.map[string]int]` takes the long way): the name before it
    // is the function's, as parsing reads it.
    const open = name.indexOf('[');
    if (open <= 0 || name.indexOf(']') !== name.length - 1) return undefined;
    // What resolveByReadings asks first (Java in the workspace makes it two readings).
    if (!isGoOnly(usableLanguages(guessLanguages(name)))) return undefined;
    const exact = goSymbols.entry(name.slice(0, open));
    return exact && goExact(exact, undefined);
  }

  /**
   * The best definitions for a Go symbol without path hints whose function the index knows by its import
   * path: what rank() finds. An exact import path outscores every suffix match, so the best are the exact
   * definitions outside foreign-platform files. When all are foreign (equal scores), a suffix match elsewhere
   * can tie or win only by spelling 5 segments of the import path (see goBest): impossible for shorter paths.
   */
  function goExact(exact: GoSymbolEntry, symbol: ParsedSymbol | undefined): FrameResolution {
    if (symbol?.isClosure) return closureResolution(symbol, goExactBest(exact));
    // The index built the answer for native definitions, or for all of them (see GoSymbolEntry.resolution).
    if (exact.resolution && (exact.hasNative || exact.importPathSegments < MAX_DIR_SUFFIX)) return exact.resolution;
    const best = goExactBest(exact);
    return resolutionOf(best, best[0].name);
  }

  function goExactBest(exact: GoSymbolEntry): readonly Definition[] {
    if (exact.hasNative) return exact.native;
    return exact.importPathSegments < MAX_DIR_SUFFIX ? exact.defs : goBest(exact.defs[0]);
  }

  /**
   * A name-only Go closure frame (`pkg.(*T).M.func2.1`) whose function the index knows by the name before
   * the closure tokens: what the steps of resolveUncached find (the same as goExact with the parsed symbol),
   * without parsing the name or building its key. Undefined when the shortcut does not apply: those frames
   * take the general path.
   */
  function goClosure(raw: string, cut: number): FrameResolution | undefined {
    const exact = goSymbols.entry(raw.slice(0, cut));
    if (!exact) return undefined;
    // parseGoSymbol reads no closure after `init` (init.0 is a function) and unescapes '%' before
    // goSymbolKey escapes again: those keep the general path.
    if (exact.defs[0].name === 'init' || raw.lastIndexOf('%', cut) >= 0) return undefined;
    if (!isGoOnly(usableLanguages(guessLanguages(raw)))) return undefined;
    const best = goExactBest(exact);
    if (best.length === 1) {
      // closureLine's Go walk, the numbers read from the tokens in place.
      const def = best[0];
      let site: ClosureSite | undefined;
      let start = cut + 1;
      while (start <= raw.length) {
        let end = raw.indexOf('.', start);
        if (end < 0) end = raw.length;
        const n = goClosureNumberAt(raw, start, end);
        site = site === undefined ? index.closureAt(def, n) : site.children[n - 1];
        if (!site) break;
        start = end + 1;
      }
      if (site) return { location: { path: def.file, line: site.line, functionLine: def.line }, via: `closure at line ${site.line} in ${def.name}` };
    }
    return resolutionOf(best, `closure in ${best[0].name}`);
  }

  /**
   * goClosure's answer read off the index's closure symbols (see GoClosureEntry): one lookup, no walk to
   * the literal. Undefined when the symbol was not noted, or when its definition is not the function's only
   * best one (goClosure decides then).
   */
  function goClosureNoted(raw: string): FrameResolution | undefined {
    const noted = goSymbols.closure(raw);
    if (!noted || !isGoOnly(usableLanguages(noted.readings))) return undefined;
    const best = goExactBest(noted.function);
    return best.length === 1 && best[0] === noted.def ? noted.resolution : undefined;
  }

  /** A closure in the best definitions `defs`: its own line when the index can tell which one it is. */
  function closureResolution(symbol: ParsedSymbol, defs: readonly Definition[]): FrameResolution {
    if (defs.length === 1) {
      const def = defs[0];
      const line = closureLine(symbol, def);
      // CodeLens stays where the function's own samples go (a nested Python def's: the function around it).
      if (line !== undefined) return { location: { path: def.file, line, functionLine: locationOf(def).functionLine }, via: `closure at line ${line} in ${def.name}` };
    }
    return resolutionOf(defs, `closure in ${defs[0].name}`);
  }

  /**
   * Which closure inside `def` the symbol names, as a line: Go and Rust v0 names by their numbers (func2.1 =
   * 1st literal in the 2nd; {closure#1}::{closure#0} the same, 0-based), Java by javac's class-wide lambda
   * counter (checked to fall inside the method, else the method's only lambda), C++ `{lambda(int)#2}` by
   * parameters and number (cppLambdaSite), legacy Rust `{{closure}}` and C++ the numbers do not place only
   * when each level holds exactly one closure. Undefined = not sure.
   */
  function closureLine(symbol: ParsedSymbol, def: Definition): number | undefined {
    const sites = index.closureSites(def, symbol.language === 'java');
    if (!sites || sites.length === 0) return undefined;
    if (symbol.closurePath && (symbol.language === 'go' || symbol.language === 'rust')) {
      let level: readonly ClosureSite[] = sites;
      let site: ClosureSite | undefined;
      for (const n of symbol.closurePath) {
        site = level[n - 1];
        if (!site) return undefined;
        level = site.children;
      }
      return site?.line;
    }
    if (symbol.language === 'java') {
      // javac numbers a class's lambdas in post-order: a nested lambda before the one around it.
      const inMethod = postOrder(sites);
      if (symbol.lambdaIndex !== undefined) {
        const all = postOrder(index.closureSites({ file: def.file, startLine: 1, endLine: Number.MAX_SAFE_INTEGER }, true) ?? []);
        const nth = all[symbol.lambdaIndex];
        if (nth && inMethod.includes(nth)) return nth.line;
      }
      return inMethod.length === 1 ? inMethod[0].line : undefined;
    }
    if (symbol.language === 'python' && symbol.pythonCodeName) {
      // Qualnames carry no number, and 3.12 inlines comprehensions (a lambda in one is named as if beside
      // it): placed only when the function holds one code object of that name at any depth.
      const kind = symbol.pythonCodeName;
      const found: ClosureSite[] = [];
      const visit = (level: readonly ClosureSite[]) => {
        for (const s of level) {
          if (s.kind === kind) found.push(s);
          visit(s.children);
        }
      };
      visit(sites);
      return found.length === 1 ? found[0].line : undefined;
    }
    if (symbol.language === 'cpp' && symbol.cppLambdas) {
      let level: readonly ClosureSite[] = sites;
      let site: ClosureSite | undefined;
      for (const lambda of symbol.cppLambdas) {
        site = cppLambdaSite(level, lambda) ?? (level.length === 1 ? level[0] : undefined);
        if (!site) return undefined;
        level = site.children;
      }
      return site?.line;
    }
    if (symbol.language === 'rust' || symbol.language === 'cpp') {
      let level: readonly ClosureSite[] = sites;
      let site: ClosureSite | undefined;
      for (let depth = symbol.closureDepth ?? 1; depth > 0; depth--) {
        if (level.length !== 1) return undefined;
        site = level[0];
        level = site.children;
      }
      return site?.line;
    }
    return undefined;
  }

  function postOrder(sites: readonly ClosureSite[]): ClosureSite[] {
    const out: ClosureSite[] = [];
    const visit = (list: readonly ClosureSite[]) => {
      for (const s of list) {
        visit(s.children);
        out.push(s);
      }
    };
    visit(sites);
    return out;
  }

  /**
   * A Python `<genexpr>`/`<lambda>`/`<listcomp>` frame named without its function (co_name, as py-spy prints
   * it: `<genexpr> (/app/x.py:12)`): its own line in the workspace file whose path ends like the recorded
   * one, CodeLens where the innermost definition around that line has it. Several equally good files:
   * ambiguous. Undefined without a line, or when no file matches.
   */
  function pythonAnonymous(symbol: ParsedSymbol, frame: Frame): FrameResolution | undefined {
    const path = symbol.pathHint ?? frame.file;
    const line = symbol.lineHint ?? frame.line;
    if (!path || line === undefined) return undefined;
    const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    const files = pythonFilesNamed(path.slice(slash + 1));
    let best = 0;
    const found: SourceLocation[] = [];
    for (let k = 0; k < files.length; k++) {
      const common = commonPathSuffix(path, files[k]);
      if (common < best) continue;
      if (common > best) {
        best = common;
        found.length = 0;
      }
      const def = innermostDefinition(files[k], line);
      // Module level (no definition around it): the CodeLens goes on the line itself.
      found.push({ path: files[k], line, functionLine: def ? locationOf(def).functionLine : line });
    }
    if (found.length === 0) return undefined;
    const what = `${symbol.name} at line ${line}`;
    if (found.length === 1) return { location: found[0], via: what };
    return { reason: 'ambiguous', location: found[0], candidates: found, via: `${found.length} files for ${what}` };
  }

  /** Indexed Python files by base name, built on first use per index generation. */
  function pythonFilesNamed(base: string): readonly string[] {
    if (!pyFiles) {
      pyFiles = new Map();
      for (const file of index.filePaths()) {
        if (!/\.pyw?$/.test(file)) continue;
        const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        const list = pyFiles.get(name);
        if (list) list.push(file);
        else pyFiles.set(name, [file]);
      }
    }
    return pyFiles.get(base) ?? NO_FILES;
  }

  /** A compiled JS frame whose map leads into the workspace: the innermost definition there, or the mapped line. */
  function viaSourceMap(symbol: ParsedSymbol, frame: Frame): FrameResolution | undefined {
    const path = symbol.pathHint ?? frame.file;
    const line = symbol.lineHint ?? frame.line;
    if (!path || line === undefined) return undefined;
    const pos = sourceMaps.original(path, line, symbol.columnHint);
    if (!pos) return undefined;
    const file = pos.path.slice(pos.path.replace(/\\/g, '/').lastIndexOf('/') + 1);
    const def = innermostDefinition(pos.path, pos.line);
    if (!def) return { location: { path: pos.path, line: pos.line, functionLine: pos.line }, via: `source map to ${file}:${pos.line}` };
    return { location: { path: def.file, line: def.line, functionLine: def.line }, via: `source map to ${def.name} in ${file}` };
  }

  function innermostDefinition(path: string, line: number): Definition | undefined {
    let best: Definition | undefined;
    for (const d of index.definitionsIn(path)) {
      if (line < d.startLine || line > d.endLine) continue;
      if (!best || d.endLine - d.startLine < best.endLine - best.startLine) best = d;
    }
    return best;
  }

  /**
   * The best definitions for a Go symbol whose package, receiver and name are those of `like`, in a frame
   * without file or line: what rank() finds, computed with only the terms of scoreOf that differ between
   * the index's goSymbols.candidates (same receiver and name, so the same number of matching parts): the
   * import path bonus and the foreign-file malus. In candidate order, like rank().
   */
  function goBest(like: Definition): readonly Definition[] {
    const pkg = like.parts[0];
    let best = -Infinity;
    const out: Definition[] = [];
    const candidates = goSymbols.candidates(like.name, like.container, pkg);
    for (let k = 0; k < candidates.length; k++) {
      const def = candidates[k];
      const defPkg = def.parts[0];
      let score: number;
      if (defPkg === pkg) score = pkg === 'main' ? 0 : EXACT_IMPORT_PATH_BONUS;
      else if (!goPackageMatches(pkg, def)) continue;
      else score = Math.min(commonDirSuffix(pkg, def.file), MAX_DIR_SUFFIX) * 3;
      if (isForeignGoFile(def.file, facts)) score -= 3;
      if (score < best) continue;
      if (score > best) {
        best = score;
        out.length = 0;
      }
      out.push(def);
    }
    return out;
  }

  /** Scores every definition that could be `symbol` into bestScore/bestDefs/bestSymbol. */
  function rank(symbol: ParsedSymbol, frame: Frame): void {
    const langs = DEF_LANGUAGES[symbol.language];
    const go = symbol.language === 'go';
    const candidates = go ? goSymbols.candidates(symbol.name, symbol.container, symbol.qualifiedParts[0]) : index.lookup(symbol.name);
    const wantParams = symbol.params?.map(normaliseCppParam);
    for (let k = 0; k < candidates.length; k++) {
      const def = candidates[k];
      if (!go && !langs.includes(def.language)) continue;
      const score = scoreOf(symbol, def, frame, wantParams, facts);
      if (score === undefined || score < bestScore) continue;
      if (score > bestScore) {
        bestScore = score;
        bestDefs.length = 0;
        bestSymbol = symbol;
      }
      bestDefs.push(def);
    }
  }

  return {
    resolve,
    enclosingFunctionLine(path: string, line: number): number | undefined {
      return innermostDefinition(path, line)?.line;
    },
  };
}

const NO_FILES: readonly string[] = [];

function isGoOnly(langs: readonly SymbolLanguage[]): boolean {
  return langs.length === 1 && langs[0] === 'go';
}

/** The symbol GoSymbolTable.entry knows the function of a parsed Go symbol by (see goSymbolsOf). */
function goSymbolKey(symbol: ParsedSymbol): string | undefined {
  const pkg = symbol.goPackagePath;
  if (pkg === undefined) return undefined;
  const escaped = escapeImportPath(pkg);
  return symbol.container !== undefined ? `${escaped}.${symbol.container}.${symbol.name}` : `${escaped}.${symbol.name}`;
}

/** Per-file answers scoreOf needs again and again (the same file holds many candidates). */
interface ScoreFacts {
  readonly foreignGoFile: Map<string, boolean>;
}

function newScoreFacts(): ScoreFacts {
  return { foreignGoFile: new Map() };
}

function isForeignGoFile(file: string, facts: ScoreFacts): boolean {
  let foreign = facts.foreignGoFile.get(file);
  if (foreign === undefined) facts.foreignGoFile.set(file, (foreign = isForeignGo(file)));
  return foreign;
}

/** Directory segments an import path's suffix match counts at most (so it stays below an exact match). */
const MAX_DIR_SUFFIX = 5;
const EXACT_IMPORT_PATH_BONUS = (MAX_DIR_SUFFIX + 1) * 3;

/** Higher is better; undefined when a qualifier contradicts the definition's. */
function scoreOf(symbol: ParsedSymbol, def: Definition, frame: Frame, wantParams: readonly string[] | undefined, facts: ScoreFacts): number | undefined {
  const sp = symbol.qualifiedParts;
  const dp = def.parts;
  let i = sp.length - 2;
  let j = dp.length - 2;
  let matched = 1;
  for (; i >= 0 && j >= 0; i--, j--) {
    const equal = symbol.language === 'go' && i === 0 && j === 0 ? goPackageMatches(sp[0], def) : sp[i] === dp[j];
    if (!equal) return undefined;
    matched++;
  }
  // A Go method and a function of the same name are different things even if the package matches.
  if (symbol.language === 'go' && (symbol.container === undefined) !== (def.container === undefined)) return undefined;
  let score = matched * 10 + (i < 0 ? 5 : 0);
  const path = symbol.pathHint ?? frame.file;
  if (path) {
    const common = commonPathSuffix(path, def.file);
    score += Math.min(common, 5) * 3;
    const line = symbol.lineHint ?? frame.line;
    if (common > 0 && line !== undefined && line >= def.startLine && line <= def.endLine) score += 100;
  }
  if (wantParams && def.params) {
    if (wantParams.length === def.params.length) score += wantParams.every((p, k) => p === def.params![k]) ? 4 : 2;
  }
  if (def.language === 'go' && isForeignGoFile(def.file, facts)) score -= 3;
  if (symbol.language === 'go' && symbol.goPackagePath && symbol.goPackagePath !== 'main') {
    // The import path spelled in full (known from go.mod) beats any suffix match: `net/http.F` is not the
    // F of `vendor/golang.org/x/net/http`. Without a go.mod the import path is unknown: prefer the directory
    // that spells more of it (at most 5 segments, so below an exact match).
    if (symbol.goPackagePath === def.parts[0]) score += EXACT_IMPORT_PATH_BONUS;
    else score += Math.min(commonDirSuffix(symbol.goPackagePath, def.file), MAX_DIR_SUFFIX) * 3;
  }
  return score;
}

/** `a` ends with `/b` or `b` ends with `/a` (goPackageMatches without building strings). */
function isPathSuffix(a: string, b: string): boolean {
  if (a.length > b.length) return a.charCodeAt(a.length - b.length - 1) === 47 && a.endsWith(b);
  return b.length > a.length && b.charCodeAt(b.length - a.length - 1) === 47 && b.endsWith(a);
}

/** 'main' matches package main; import paths match by path suffix when the module path is unknown. */
function goPackageMatches(symbolPkg: string, def: Definition): boolean {
  const defPkg = def.parts[0];
  if (symbolPkg === defPkg) return true;
  if (symbolPkg === 'main' || defPkg === 'main') return false;
  return isPathSuffix(symbolPkg, defPkg);
}

// Path comparisons run for every scored candidate, so they walk the strings in place instead of splitting.

function sameText(a: string, as: number, ae: number, b: string, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let k = 0; k < ae - as; k++) if (a.charCodeAt(as + k) !== b.charCodeAt(bs + k)) return false;
  return true;
}

/** End of a file name's stem: before its first '.', unless the name starts with one. */
function stemEnd(s: string, start: number, end: number): number {
  const dot = s.indexOf('.', start);
  return dot > start && dot < end ? dot : end;
}

/** Trailing path segments two paths share; the file names compare by stem (report.js ~ report.ts). */
function commonPathSuffix(a: string, b: string): number {
  let ea = skipSeparators(a, a.length);
  let eb = skipSeparators(b, b.length);
  let n = 0;
  while (ea > 0 && eb > 0) {
    const sa = segmentStart(a, ea);
    const sb = segmentStart(b, eb);
    const same = n === 0 ? sameText(a, sa, stemEnd(a, sa, ea), b, sb, stemEnd(b, sb, eb)) : sameText(a, sa, ea, b, sb, eb);
    if (!same) break;
    n++;
    ea = skipSeparators(a, sa);
    eb = skipSeparators(b, sb);
  }
  return n;
}

/** Trailing segments a Go import path shares with the directory of `file` (net/http ~ .../src/net/http/x.go: 2). */
function commonDirSuffix(importPath: string, file: string): number {
  let ea = skipSeparators(importPath, importPath.length);
  let eb = skipSeparators(file, segmentStart(file, skipSeparators(file, file.length)));
  let n = 0;
  while (ea > 0 && eb > 0) {
    const sa = segmentStart(importPath, ea);
    const sb = segmentStart(file, eb);
    if (!sameText(importPath, sa, ea, file, sb, eb)) break;
    n++;
    ea = skipSeparators(importPath, sa);
    eb = skipSeparators(file, sb);
  }
  return n;
}

export interface UnresolvedBucket {
  /** Distinct frames with this reason. */
  frames: number;
  /** Samples whose leaf frame has this reason. */
  selfSamples: number;
  /** The heaviest such frames, for a "why are these not placed" list. */
  top: Array<{ name: string; selfSamples: number }>;
}

export interface UnresolvedSummary {
  readonly totalSamples: number;
  /** Samples whose leaf frame resolved to one definition. */
  readonly resolvedSelfSamples: number;
  readonly byReason: Partial<Record<UnresolvedReason, UnresolvedBucket>>;
}

/** How many samples stayed unresolved, and why (by the reason of each sample's leaf frame). */
export function summarizeUnresolved(profile: Profile, resolutions: ReadonlyArray<FrameResolution | undefined>, topN = 10): UnresolvedSummary {
  const selfByFrame = new Map<number, number>();
  profile.walk((node) => {
    if (node.self > 0) selfByFrame.set(node.frameId, (selfByFrame.get(node.frameId) ?? 0) + node.self);
  });
  const byReason: Partial<Record<UnresolvedReason, UnresolvedBucket>> = {};
  let resolved = 0;
  profile.frames.forEach((frame, id) => {
    const r = resolutions[id];
    const self = selfByFrame.get(id) ?? 0;
    if (r && !r.reason && r.location) {
      resolved += self;
      return;
    }
    const reason: UnresolvedReason = r?.reason ?? 'no-source';
    const bucket = (byReason[reason] ??= { frames: 0, selfSamples: 0, top: [] });
    bucket.frames++;
    bucket.selfSamples += self;
    if (self > 0) bucket.top.push({ name: frame.name, selfSamples: self });
  });
  for (const bucket of Object.values(byReason)) {
    if (!bucket) continue;
    bucket.top.sort((a, b) => b.selfSamples - a.selfSamples);
    bucket.top = bucket.top.slice(0, topN);
  }
  return { totalSamples: profile.totalValue, resolvedSelfSamples: resolved, byReason };
}
