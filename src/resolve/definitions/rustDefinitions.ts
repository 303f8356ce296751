// Rust: `fn` items at module level, in inline `mod` blocks, in `impl Type` / `impl Trait for Type` blocks and
// in traits (default methods). Qualified as the compiler's symbols are: crate, module path, impl type, name.
import type { Definition } from './definition';
import { ExtractContext, endLineOf, lineOf } from './extractContext';
import type { TsNode } from './treeSitter';

export function extractRust(root: TsNode, ctx: ExtractContext): Definition[] {
  const defs: Definition[] = [];
  visit(root, [...(ctx.rustModulePath ?? [])], undefined, undefined, defs, ctx);
  return defs;
}

function visit(node: TsNode, path: string[], container: string | undefined, trait: string | undefined, defs: Definition[], ctx: ExtractContext): void {
  // `#[inline(never)]` and doc comments are siblings before the item: its start line includes them.
  let attrStart: number | undefined;
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'attribute_item' || child.type === 'line_comment' || child.type === 'block_comment') {
      attrStart ??= lineOf(child);
      continue;
    }
    const startLine = attrStart ?? lineOf(child);
    attrStart = undefined;
    switch (child.type) {
      case 'mod_item': {
        const name = child.childForFieldName('name')?.text;
        const body = child.childForFieldName('body');
        if (name && body) visit(body, [...path, name], undefined, undefined, defs, ctx);
        break;
      }
      case 'impl_item': {
        const type = typeName(child.childForFieldName('type'));
        const traitNode = child.childForFieldName('trait');
        const body = child.childForFieldName('body');
        if (type && body) visit(body, [...path, type], type, traitNode ? typeName(traitNode) : undefined, defs, ctx);
        break;
      }
      case 'trait_item': {
        const name = child.childForFieldName('name')?.text;
        const body = child.childForFieldName('body');
        if (name && body) visit(body, [...path, name], name, name, defs, ctx);
        break;
      }
      case 'function_item': {
        const nameNode = child.childForFieldName('name');
        if (!nameNode) break;
        defs.push({
          file: ctx.file,
          language: 'rust',
          name: nameNode.text,
          parts: [...path, nameNode.text],
          container,
          trait,
          line: lineOf(nameNode),
          startLine,
          endLine: endLineOf(child),
        });
        break;
      }
      default:
        break;
    }
  }
}

/** `Ledger`, `Foo<T>`, `&'a Bar`, `crate::x::Baz<T>` -> the last path segment without generics. */
function typeName(node: TsNode | null): string | undefined {
  if (!node) return undefined;
  let text = node.text.replace(/^&('\w+\s+)?(mut\s+)?/, '');
  const lt = text.indexOf('<');
  if (lt > 0) text = text.slice(0, lt);
  return text.split('::').pop()?.trim() || undefined;
}
