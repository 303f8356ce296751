// What an extractor needs besides the syntax tree: the file and its place in its project.
import type { Definition } from './definition';
import type { TsNode } from './treeSitter';

export interface ExtractContext {
  readonly file: string;
  /** Go: import path of the file's directory from the nearest go.mod ('net/http', 'github.com/org/repo/pkg'). */
  readonly goImportPath?: string;
  /** Rust: crate name then module path of the file (src/a/b.rs of crate x -> ['x','a','b']). */
  readonly rustModulePath?: readonly string[];
  /** Python: dotted module path of the file relative to its root (pkg/mod.py -> ['pkg','mod']). */
  readonly pythonModulePath?: readonly string[];
}

export type Extractor = (root: TsNode, ctx: ExtractContext) => Definition[];

export function lineOf(node: TsNode): number {
  return node.startPosition.row + 1;
}

export function endLineOf(node: TsNode): number {
  return node.endPosition.row + 1;
}
