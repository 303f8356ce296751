// Python: functions and methods, nested ones qualified like __qualname__ (without `<locals>`) and with the
// line of the function they are written in. A `def` counts wherever a statement can be: inside if/elif/
// else, try/except/finally, for/while (their else too), with and match/case blocks, not only at the top.
import type { Definition } from './definition';
import { ExtractContext, endLineOf, lineOf } from './extractContext';
import type { TsNode } from './treeSitter';

export function extractPython(root: TsNode, ctx: ExtractContext): Definition[] {
  const defs: Definition[] = [];
  visit(root, [], undefined, undefined, defs, ctx);
  return defs;
}

/**
 * The definitions among the statements below `node`: `scope` is the qualname so far, `cls` the class
 * whose body this is (methods get it as container), `enclosing` the name line of the innermost function
 * around (classes in between do not count: `f.<locals>.C.m` is written inside f).
 */
function visit(node: TsNode, scope: string[], cls: string | undefined, enclosing: number | undefined, defs: Definition[], ctx: ExtractContext): void {
  for (const raw of node.namedChildren) {
    if (!raw) continue;
    // Decorators belong to the definition they decorate.
    const child = raw.type === 'decorated_definition' ? raw.childForFieldName('definition') : raw;
    if (!child) continue;
    if (child.type === 'class_definition' || child.type === 'function_definition') {
      const nameNode = child.childForFieldName('name');
      const body = child.childForFieldName('body');
      if (!nameNode) continue;
      const name = nameNode.text;
      if (child.type === 'class_definition') {
        if (body) visit(body, [...scope, name], name, enclosing, defs, ctx);
        continue;
      }
      const line = lineOf(nameNode);
      defs.push({
        file: ctx.file,
        language: 'python',
        name,
        parts: [...(ctx.pythonModulePath ?? []), ...scope, name],
        container: cls,
        line,
        startLine: lineOf(raw),
        endLine: endLineOf(raw),
        ...(enclosing !== undefined ? { enclosingLine: enclosing } : {}),
      });
      if (body) visit(body, [...scope, name], undefined, line, defs, ctx);
    } else if (holdsStatements(child.type)) {
      // The same scope: a def under `if` or in a loop is still `outer.<locals>.name` (or a method of `cls`).
      visit(child, scope, cls, enclosing, defs, ctx);
    }
  }
}

/** Compound statements and their clauses and blocks: where nested statements (and so defs) can be. */
function holdsStatements(type: string): boolean {
  return type === 'block' || type.endsWith('_statement') || type.endsWith('_clause');
}
