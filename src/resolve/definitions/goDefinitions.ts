// Go: top-level functions and methods. Go has no nested named functions, so only the file's top level is
// read; closures (func1, func2) are attributed to their enclosing function by the resolver.
import type { Definition } from './definition';
import { ExtractContext, endLineOf, lineOf } from './extractContext';
import type { TsNode } from './treeSitter';

export function extractGo(root: TsNode, ctx: ExtractContext): Definition[] {
  let pkgName = 'main';
  const defs: Definition[] = [];
  for (const node of root.namedChildren) {
    if (!node) continue;
    if (node.type === 'package_clause') {
      pkgName = node.namedChildren[0]?.text ?? pkgName;
      continue;
    }
    if (node.type !== 'function_declaration' && node.type !== 'method_declaration') continue;
    const nameNode = node.childForFieldName('name');
    if (!nameNode) continue;
    let container: string | undefined;
    if (node.type === 'method_declaration') container = receiverType(node.childForFieldName('receiver'));
    // Commands are always `main.` in symbols, whatever their directory; libraries use their import path.
    const pkgPart = pkgName === 'main' ? 'main' : ctx.goImportPath ?? pkgName;
    const name = nameNode.text;
    defs.push({
      file: ctx.file,
      language: 'go',
      name,
      parts: container ? [pkgPart, container, name] : [pkgPart, name],
      container,
      line: lineOf(nameNode),
      startLine: lineOf(node),
      endLine: endLineOf(node),
      goPackageName: pkgName,
    });
  }
  return defs;
}

/** `(c *productCatalog)` -> productCatalog; `(l *List[T])` -> List. */
function receiverType(receiver: TsNode | null): string | undefined {
  const text = receiver?.text ?? '';
  // Identifiers may use any Unicode letter: (t *Tëst).
  const m = /\(\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+)?\*?\s*([\p{L}_][\p{L}\p{N}_]*)/u.exec(text);
  return m?.[1];
}
