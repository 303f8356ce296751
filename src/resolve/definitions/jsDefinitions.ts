// JavaScript and TypeScript: function declarations, class methods, and functions assigned to names
// (`const f = () => ...`, `exports.f = function () {}`, `{ f() {} }`), nested ones included because V8
// names every function by its own name only.
import type { Definition, DefinitionLanguage } from './definition';
import { ExtractContext, endLineOf, lineOf } from './extractContext';
import type { TsNode } from './treeSitter';

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

export function extractJs(language: DefinitionLanguage) {
  return (root: TsNode, ctx: ExtractContext): Definition[] => {
    const defs: Definition[] = [];
    const add = (name: string, nameNode: TsNode, node: TsNode, cls: string | undefined) => {
      defs.push({ file: ctx.file, language, name, parts: cls ? [cls, name] : [name], container: cls, line: lineOf(nameNode), startLine: lineOf(node), endLine: endLineOf(node) });
    };
    // Iterative walk: generated bundles nest deeply.
    const stack: Array<{ node: TsNode; cls?: string }> = [{ node: root }];
    while (stack.length > 0) {
      const { node, cls } = stack.pop()!;
      let childClass = cls;
      switch (node.type) {
        case 'function_declaration':
        case 'generator_function_declaration': {
          const n = node.childForFieldName('name');
          if (n) add(n.text, n, node, undefined);
          childClass = undefined;
          break;
        }
        case 'class_declaration':
        case 'abstract_class_declaration':
        case 'class': {
          childClass = node.childForFieldName('name')?.text ?? cls;
          break;
        }
        case 'method_definition': {
          const n = node.childForFieldName('name');
          if (n) add(n.text.replace(/^#/, ''), n, node, cls);
          break;
        }
        case 'variable_declarator':
        case 'public_field_definition':
        case 'field_definition':
        case 'pair':
        case 'assignment_expression': {
          const nameNode = node.childForFieldName('name') ?? node.childForFieldName('key') ?? node.childForFieldName('property') ?? node.childForFieldName('left');
          const value = node.childForFieldName('value') ?? node.childForFieldName('right');
          if (nameNode && value && FUNCTION_VALUES.has(value.type)) {
            // exports.f / module.exports.f / this.f -> f
            const target = nameNode.type === 'member_expression' ? nameNode.childForFieldName('property') ?? nameNode : nameNode;
            const isField = node.type === 'public_field_definition' || node.type === 'field_definition';
            add(target.text.replace(/^['"#]|['"]$/g, ''), target, node, isField ? cls : undefined);
          }
          break;
        }
        default:
          break;
      }
      const children = node.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) {
        const c = children[i];
        if (c) stack.push({ node: c, cls: childClass });
      }
    }
    return defs;
  };
}
