// Python: functions and methods, nested ones qualified like __qualname__ (without `<locals>`).
import type { Definition } from './definition';
import { ExtractContext, endLineOf, lineOf } from './extractContext';
import type { TsNode } from './treeSitter';

export function extractPython(root: TsNode, ctx: ExtractContext): Definition[] {
  const defs: Definition[] = [];
  visit(root, [], undefined, defs, ctx);
  return defs;
}

function visit(node: TsNode, scope: string[], cls: string | undefined, defs: Definition[], ctx: ExtractContext): void {
  for (const raw of node.namedChildren) {
    if (!raw) continue;
    // Decorators belong to the definition they decorate.
    const child = raw.type === 'decorated_definition' ? raw.childForFieldName('definition') : raw;
    if (!child) continue;
    const nameNode = child.childForFieldName('name');
    const body = child.childForFieldName('body');
    if (child.type === 'class_definition' && nameNode && body) {
      visit(body, [...scope, nameNode.text], nameNode.text, defs, ctx);
    } else if (child.type === 'function_definition' && nameNode) {
      const name = nameNode.text;
      defs.push({
        file: ctx.file,
        language: 'python',
        name,
        parts: [...(ctx.pythonModulePath ?? []), ...scope, name],
        container: cls,
        line: lineOf(nameNode),
        startLine: lineOf(raw),
        endLine: endLineOf(raw),
      });
      if (body) visit(body, [...scope, name], undefined, defs, ctx);
    } else if (body && (child.type === 'if_statement' || child.type === 'try_statement' || child.type === 'with_statement')) {
      visit(body, scope, cls, defs, ctx);
    }
  }
}
