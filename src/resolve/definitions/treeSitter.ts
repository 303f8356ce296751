// Loads web-tree-sitter (from @vscode/tree-sitter-wasm, the build VS Code ships) and its grammars once.
// In the packaged extension the .wasm files are copied to dist/tree-sitter/ (scripts/build.mjs), so the
// directory is configurable; in tests they come from node_modules.
import * as TreeSitter from '@vscode/tree-sitter-wasm';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { languageOfFile, type DefinitionLanguage } from './definition';

export type TsParser = TreeSitter.Parser;
export type TsNode = TreeSitter.Node;
export type TsTree = TreeSitter.Tree;

/** A grammar: one per definition language, plus TSX (TypeScript with JSX, which the TypeScript grammar cannot parse). */
export type Grammar = DefinitionLanguage | 'tsx';

/** The grammar that parses the file at `path`, if it is source code we index. */
export function grammarOfFile(path: string): Grammar | undefined {
  const lang = languageOfFile(path);
  return lang === 'typescript' && path.toLowerCase().endsWith('.tsx') ? 'tsx' : lang;
}

const GRAMMAR: Record<Grammar, string> = {
  go: 'tree-sitter-go.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  python: 'tree-sitter-python.wasm',
};

/** The directory holding tree-sitter.wasm and the grammars: explicit, beside the bundle, or node_modules. */
export function findWasmDir(explicit?: string): string {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  candidates.push(join(__dirname, 'tree-sitter'));
  try {
    candidates.push(join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm'));
  } catch {
    // Packaged extension: only dist/tree-sitter exists.
  }
  const found = candidates.find((d) => existsSync(join(d, 'tree-sitter.wasm')));
  if (!found) throw new Error(`tree-sitter WebAssembly files not found (looked in ${candidates.join(', ')}); rebuild with scripts/build.mjs`);
  return found;
}

/** One parser per language, created on first use. Parsing itself is synchronous. */
export class TreeSitterHost {
  private readonly languages = new Map<Grammar, Promise<TreeSitter.Language>>();
  private readonly parsers = new Map<Grammar, TreeSitter.Parser>();

  private constructor(private readonly wasmDir: string) {}

  /** The directory tree-sitter.wasm and the grammars were found in. */
  get directory(): string {
    return this.wasmDir;
  }

  static async create(wasmDir?: string): Promise<TreeSitterHost> {
    const dir = findWasmDir(wasmDir);
    await initOnce(dir);
    return new TreeSitterHost(dir);
  }

  /** Makes `language` ready so that parser(language) can be used synchronously. */
  async load(language: Grammar): Promise<void> {
    let pending = this.languages.get(language);
    if (!pending) {
      pending = TreeSitter.Language.load(join(this.wasmDir, GRAMMAR[language]));
      this.languages.set(language, pending);
    }
    const lang = await pending;
    if (!this.parsers.has(language)) {
      const parser = new TreeSitter.Parser();
      parser.setLanguage(lang);
      this.parsers.set(language, parser);
    }
  }

  /** The parser for a loaded language; undefined if load() was not awaited first. */
  parser(language: Grammar): TreeSitter.Parser | undefined {
    return this.parsers.get(language);
  }
}

let initialised: Promise<void> | undefined;
function initOnce(dir: string): Promise<void> {
  initialised ??= TreeSitter.Parser.init({ locateFile: (file: string) => join(dir, file) });
  return initialised;
}
