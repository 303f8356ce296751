// C++ (and C): function definitions inside namespaces, classes and structs, plus out-of-class definitions
// `double Ns::Cls::method(int) const { ... }`. Declarations without a body are not definitions and are skipped.
import { normaliseCppLambdaParam, normaliseCppParam } from '../symbols/cppSymbol';
import type { Definition } from './definition';
import { ExtractContext, endLineOf, lineOf } from './extractContext';
import type { TsNode } from './treeSitter';

const SCOPE_BODIES = new Set(['declaration_list', 'field_declaration_list', 'translation_unit']);

export function extractCpp(root: TsNode, ctx: ExtractContext): Definition[] {
  const defs: Definition[] = [];
  visit(root, [], defs, ctx, root);
  return defs;
}

function visit(node: TsNode, scope: string[], defs: Definition[], ctx: ExtractContext, outer: TsNode): void {
  for (const child of node.namedChildren) {
    if (!child) continue;
    switch (child.type) {
      case 'namespace_definition': {
        const nameNode = child.childForFieldName('name');
        const names = nameNode ? nameNode.text.split('::').map((s) => s.trim()).filter(Boolean) : ['(anonymous namespace)'];
        const body = child.childForFieldName('body');
        if (body) visit(body, [...scope, ...names], defs, ctx, body);
        break;
      }
      case 'class_specifier':
      case 'struct_specifier':
      case 'union_specifier':
        visitClass(child, scope, defs, ctx);
        break;
      case 'function_definition':
        addFunction(child, child, scope, defs, ctx);
        break;
      case 'template_declaration':
      case 'linkage_specification':
      case 'declaration':
      case 'field_declaration':
      case 'export_declaration':
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
        // Wrappers whose children can be classes or function definitions (template<...> class X {...};).
        if (child.type === 'template_declaration' || child.type.startsWith('preproc') || child.type === 'linkage_specification') {
          const inner = child.type === 'linkage_specification' ? child.childForFieldName('body') ?? child : child;
          if (inner.type === 'function_definition') addFunction(inner, child, scope, defs, ctx);
          else visit(inner, scope, defs, ctx, outer);
        } else {
          // `class X {...} x;` and `struct S {...};` arrive as declarations holding the specifier.
          const spec = child.childForFieldName('type');
          if (spec && (spec.type === 'class_specifier' || spec.type === 'struct_specifier')) visitClass(spec, scope, defs, ctx);
        }
        break;
      default:
        if (SCOPE_BODIES.has(child.type)) visit(child, scope, defs, ctx, outer);
    }
  }
}

function visitClass(spec: TsNode, scope: string[], defs: Definition[], ctx: ExtractContext): void {
  const nameNode = spec.childForFieldName('name');
  const body = spec.childForFieldName('body');
  if (nameNode && body) visit(body, [...scope, stripTemplateArgs(nameNode.text)], defs, ctx, body);
}

function addFunction(fn: TsNode, outerNode: TsNode, scope: string[], defs: Definition[], ctx: ExtractContext): void {
  let decl = fn.childForFieldName('declarator');
  // Return types like `int* f()` and `auto& f()` wrap the function declarator.
  while (decl && decl.type !== 'function_declarator') decl = decl.childForFieldName('declarator');
  if (!decl) return;
  const nameNode = decl.childForFieldName('declarator');
  if (!nameNode) return;
  const qualified = nameNode.text.replace(/\s+/g, ' ');
  const parts = splitQualified(qualified).map((p, i, all) => (i === all.length - 1 ? cleanName(p) : stripTemplateArgs(p)));
  const name = parts[parts.length - 1];
  if (!name) return;
  const full = [...scope, ...parts];
  const params = paramTypes(decl.childForFieldName('parameters'));
  defs.push({
    file: ctx.file,
    language: 'cpp',
    name,
    parts: full,
    container: full.length > 1 ? full[full.length - 2] : undefined,
    params,
    line: lineOf(nameNode),
    startLine: lineOf(outerNode),
    endLine: endLineOf(fn),
  });
}

function splitQualified(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') depth++;
    else if (c === '>' && depth > 0) depth--;
    if (depth === 0 && c === ':' && text[i + 1] === ':') {
      out.push(cur.trim());
      cur = '';
      i++;
    } else cur += c;
  }
  out.push(cur.trim());
  return out.filter((p) => p.length > 0);
}

function cleanName(part: string): string {
  if (part.startsWith('operator')) return part.replace(/\s+/g, ' ').replace(/^operator\s+(?=[^A-Za-z_])/, 'operator');
  return stripTemplateArgs(part);
}

function stripTemplateArgs(text: string): string {
  const lt = text.indexOf('<');
  return (lt > 0 ? text.slice(0, lt) : text).trim();
}

/**
 * A `lambda_expression`'s parameter types, normalised with normaliseCppLambdaParam: [] when it has no
 * parameter list (`[] { ... }`), undefined when the list cannot be read.
 */
export function lambdaParamTypes(lambda: TsNode): string[] | undefined {
  const declarator = lambda.childForFieldName('declarator');
  if (!declarator) return [];
  return paramTypes(declarator.childForFieldName('parameters'), normaliseCppLambdaParam);
}

function paramTypes(list: TsNode | null, normalise: (text: string) => string = normaliseCppParam): string[] | undefined {
  if (!list) return undefined;
  const out: string[] = [];
  for (const p of list.namedChildren) {
    if (!p || p.type === 'comment') continue;
    if (p.type === 'variadic_parameter') {
      out.push('...');
      continue;
    }
    const type = p.childForFieldName('type')?.text ?? '';
    const declarator = p.childForFieldName('declarator');
    // Keep &, * and [] from the declarator, drop the parameter's name.
    const marks = declarator ? declarator.text.replace(/[\w\s:]+/g, '').replace(/[^&*]/g, '') : '';
    const text = `${type}${marks}`.trim();
    if (text === 'void' && list.namedChildren.length === 1) return [];
    out.push(normalise(text));
  }
  return out;
}
