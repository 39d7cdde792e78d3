import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf } from '../syntax-tree.js';
import { firstNamed, named, type TreeSyntax, unquote } from '../tree/tree-syntax.js';

/**
 * Java through tree-sitter's Java grammar: `client.getBooleanValue("new-checkout", false)`,
 * `static final String` constants, interface constants, enums with a key argument
 * (`DARK("dark-mode")`), imports and static imports.
 */
const CONTAINERS = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']);
const FUNCTIONS = new Set(['method_declaration', 'constructor_declaration', 'lambda_expression']);

export const JAVA: TreeSyntax = {
  language: 'java',
  grammar: 'java',
  kinds: { containers: [...CONTAINERS], functions: [...FUNCTIONS], declarations: ['field_declaration', 'local_variable_declaration', 'constant_declaration'], calls: ['method_invocation'] },
  strings: ['string_literal'],
  string(node) {
    if (node.type !== 'string_literal' || node.text.startsWith('"""')) return undefined;
    return unquote(node.text);
  },
  call(node) {
    if (node.type !== 'method_invocation') return undefined;
    const name = node.childForFieldName('name')?.text;
    const args = node.childForFieldName('arguments');
    if (!name || !args) return undefined;
    const receiver = node.childForFieldName('object') ?? undefined;
    return { name, ...(receiver ? { receiver } : {}), args: childrenOf(args), keywords: [] };
  },
  fn(node) {
    if (!FUNCTIONS.has(node.type)) return undefined;
    const body = node.childForFieldName('body');
    if (!body) return undefined;
    const parameters = node.childForFieldName('parameters');
    const params = parameters && parameters.type === 'formal_parameters'
      ? childrenOf(parameters).map((p) => (p.type === 'formal_parameter' ? p.childForFieldName('name')?.text : undefined))
      : [];
    const name = node.type === 'lambda_expression' ? undefined : node.childForFieldName('name')?.text;
    return { ...(name ? { name } : {}), params };
  },
  container(node) {
    if (!CONTAINERS.has(node.type)) return undefined;
    const body = node.childForFieldName('body');
    if (!body) return undefined;
    const members = childrenOf(body).flatMap((m) => (m.type === 'enum_body_declarations' ? childrenOf(m) : m.type === 'enum_constant' ? [] : [m]));
    const entries = named(body, 'enum_constant').map((entry): [string, SyntaxNode | undefined] => {
      const args = entry.childForFieldName('arguments');
      const first = args ? childrenOf(args) : [];
      return [entry.childForFieldName('name')?.text ?? '', first.length === 1 ? first[0] : undefined];
    });
    return { name: node.childForFieldName('name')?.text ?? '', members, entries };
  },
  declares(node) {
    if (node.type !== 'field_declaration' && node.type !== 'local_variable_declaration' && node.type !== 'constant_declaration') return undefined;
    const names = node.childrenForFieldName('declarator')
      .filter((d): d is SyntaxNode => d !== null)
      .map((d): [string, SyntaxNode | undefined] => [d.childForFieldName('name')?.text ?? '', d.childForFieldName('value') ?? undefined]);
    // An interface's fields are constants; a class's when final.
    const modifiers = firstNamed(node, 'modifiers')?.text ?? '';
    const constant = node.type === 'constant_declaration' || /\bfinal\b/.test(modifiers) || node.parent?.type === 'interface_body';
    return { names, constant };
  },
  imports(node) {
    if (node.type !== 'import_declaration' || /\*\s*;?\s*$/.test(node.text)) return undefined;
    const name = firstNamed(node, 'scoped_identifier', 'identifier');
    if (!name) return undefined;
    const qualified = name.text.split('.').map((s) => s.trim());
    return [{ local: qualified.at(-1)!, qualified, member: /^import\s+static\b/.test(node.text) }];
  },
  path(node) {
    const type = node.type;
    if (type === 'identifier') return [node.text];
    if (type === 'this') return ['this'];
    if (type !== 'field_access') return undefined;
    const object = node.childForFieldName('object');
    const field = node.childForFieldName('field')?.text;
    const base = object && JAVA.path(object);
    return base && field ? [...base, field] : undefined;
  },
  inner(node) {
    return node.type === 'parenthesized_expression' ? childrenOf(node)[0] : undefined;
  },
  concat(node) {
    if (node.type !== 'binary_expression' || node.childForFieldName('operator')?.text !== '+') return undefined;
    const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
    return left && right ? [left, right] : undefined;
  },
  self: ['this'],
};
