// Java: methods and constructors of classes, interfaces, enums and records, nested classes included,
// qualified by the package. Lambdas and anonymous classes belong to their enclosing method.
import type { Definition } from './definition';
import { ExtractContext, endLineOf, lineOf } from './extractContext';
import type { TsNode } from './treeSitter';

const TYPES = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']);

export function extractJava(root: TsNode, ctx: ExtractContext): Definition[] {
  let pkg: string[] = [];
  for (const child of root.namedChildren) {
    if (child?.type === 'package_declaration') {
      const id = child.namedChildren.find((c) => c && (c.type === 'scoped_identifier' || c.type === 'identifier'));
      if (id) pkg = id.text.split('.').map((s) => s.trim());
    }
  }
  const defs: Definition[] = [];
  visit(root, pkg, defs, ctx);
  return defs;
}

function visit(node: TsNode, scope: string[], defs: Definition[], ctx: ExtractContext): void {
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (TYPES.has(child.type)) {
      const nameNode = child.childForFieldName('name');
      const body = child.childForFieldName('body');
      if (!nameNode || !body) continue;
      const cls = nameNode.text;
      // The class itself stands for its static initialiser (<clinit>) and field initialisers.
      defs.push({ file: ctx.file, language: 'java', name: cls, parts: [...scope, cls], container: scope[scope.length - 1], line: lineOf(nameNode), startLine: lineOf(child), endLine: endLineOf(child) });
      visit(body, [...scope, cls], defs, ctx);
    } else if (child.type === 'method_declaration' || child.type === 'constructor_declaration' || child.type === 'compact_constructor_declaration') {
      const nameNode = child.childForFieldName('name');
      if (!nameNode || !child.childForFieldName('body')) continue;
      const name = nameNode.text;
      defs.push({ file: ctx.file, language: 'java', name, parts: [...scope, name], container: scope[scope.length - 1], line: lineOf(nameNode), startLine: lineOf(child), endLine: endLineOf(child) });
    } else if (child.type === 'enum_body' || child.type === 'enum_body_declarations' || child.type === 'class_body' || child.type === 'interface_body') {
      visit(child, scope, defs, ctx);
    }
  }
}
