// One function-like definition found in a workspace file. Plain data: it is cached as JSON between sessions.

export type DefinitionLanguage = 'go' | 'cpp' | 'rust' | 'java' | 'javascript' | 'typescript' | 'python';

export interface Definition {
  /** Absolute path of the file. */
  readonly file: string;
  readonly language: DefinitionLanguage;
  /** Function name as written in the source ("parseCatalog", "operator()", "<init>" is never used). */
  readonly name: string;
  /**
   * Qualified name, outermost first, shaped like the symbol a profiler prints for it:
   * Go ['main','productCatalog','parseCatalog'] (import path as first part), C++ ['shop','pricing','PriceEngine','discountFor'],
   * Rust ['ledger','ledger','accounts','Ledger','checksum'] (crate, modules, impl type), Java package parts + classes.
   */
  readonly parts: readonly string[];
  /** 1-based line of the name (where CodeLens goes). */
  readonly line: number;
  /** 1-based first line of the whole definition (attributes, annotations, decorators, template<> included). */
  readonly startLine: number;
  /** 1-based last line of the definition. */
  readonly endLine: number;
  /** Receiver / class / impl type, when the function is a method. */
  readonly container?: string;
  /** C++ parameter types, normalised with normaliseCppParam (overload choice). */
  readonly params?: readonly string[];
  /** Rust trait of the impl block (`impl Clone for X`), Go package name when it differs from the path. */
  readonly trait?: string;
  readonly goPackageName?: string;
  /**
   * Name line of the function this one is written inside (Python nested `def`s: `outer.<locals>.inner`),
   * where its samples' CodeLens goes; absent for top-level functions and methods.
   */
  readonly enclosingLine?: number;
  /**
   * Byte offsets of the definition's lines in the file ([start of startLine, end of endLine)), so closures
   * can be read without reading the whole file (UTF-8 bytes; set for languages with closures).
   */
  readonly byteStart?: number;
  readonly byteEnd?: number;
}

/** A closure, func literal or lambda written inside a function, with the ones written inside it. */
export interface ClosureSite {
  /** 1-based line where it starts. */
  readonly line: number;
  readonly endLine: number;
  readonly children: readonly ClosureSite[];
  /** C++ only: the lambda's parameter types, normalised with normaliseCppLambdaParam ([] for `[] {}`). */
  readonly params?: readonly string[];
  /** Python only: the name CPython gives its code object (`<lambda>`, `<genexpr>`, `<listcomp>`, ...). */
  readonly kind?: string;
}

/** Python syntax nodes that run as code objects of their own, by the name CPython gives those. */
export const PYTHON_CODE_NAMES: Readonly<Record<string, string>> = {
  lambda: '<lambda>',
  generator_expression: '<genexpr>',
  list_comprehension: '<listcomp>',
  dictionary_comprehension: '<dictcomp>',
  set_comprehension: '<setcomp>',
};

export function languageOfFile(path: string): DefinitionLanguage | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  switch (path.slice(dot + 1).toLowerCase()) {
    case 'go':
      return 'go';
    case 'c': case 'cc': case 'cpp': case 'cxx': case 'c++': case 'h': case 'hh': case 'hpp': case 'hxx': case 'ipp': case 'inl':
      return 'cpp';
    case 'rs':
      return 'rust';
    case 'java':
      return 'java';
    case 'js': case 'mjs': case 'cjs': case 'jsx':
      return 'javascript';
    case 'ts': case 'mts': case 'cts': case 'tsx':
      return 'typescript';
    case 'py': case 'pyw':
      return 'python';
    default:
      return undefined;
  }
}
