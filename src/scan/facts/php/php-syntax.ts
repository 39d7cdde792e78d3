import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf } from '../syntax-tree.js';
import { firstNamed, named, splitArguments, type TreeSyntax, unquote } from '../tree/tree-syntax.js';

/**
 * PHP through tree-sitter's PHP grammar: `$client->getBooleanValue('new-checkout', false)`,
 * static calls (`Feature::active('new-api')`), class and interface constants (`Flags::NEW_CHECKOUT`,
 * `self::X`), backed enums (`Flag::NewCheckout->value`), named arguments, `use` imports.
 */
const CONTAINERS = new Set(['class_declaration', 'interface_declaration', 'trait_declaration', 'enum_declaration']);
const FUNCTIONS = new Set(['function_definition', 'method_declaration', 'anonymous_function', 'anonymous_function_creation_expression', 'arrow_function']);
const CALLS = new Set(['function_call_expression', 'member_call_expression', 'nullsafe_member_call_expression', 'scoped_call_expression']);

/** `\App\Flags\Flags` → App, Flags, Flags. */
const qualifiedParts = (node: SyntaxNode): string[] => node.text.split('\\').map((s) => s.trim()).filter(Boolean);

export const PHP: TreeSyntax = {
  language: 'php',
  grammar: 'php',
  kinds: { containers: [...CONTAINERS], functions: [...FUNCTIONS], declarations: ['const_declaration', 'assignment_expression'], calls: [...CALLS] },
  strings: ['string', 'encapsed_string'],
  string(node) {
    const type = node.type;
    if (type === 'string') return node.text.startsWith('\'') ? unquote(node.text, { only: '\\\'' }) : undefined;
    if (type !== 'encapsed_string') return undefined;
    if (childrenOf(node).some((c) => c.type !== 'string_content' && c.type !== 'escape_sequence')) return undefined;
    return unquote(node.text);
  },
  call(node) {
    if (!CALLS.has(node.type)) return undefined;
    const callee = node.childForFieldName(node.type === 'function_call_expression' ? 'function' : 'name');
    const list = node.childForFieldName('arguments');
    if (!callee || !list) return undefined;
    const name = callee.type === 'qualified_name' ? qualifiedParts(callee).at(-1) : callee.type === 'name' ? callee.text : undefined;
    if (!name) return undefined;
    const receiver = node.childForFieldName(node.type === 'scoped_call_expression' ? 'scope' : 'object') ?? undefined;
    return { name, ...(receiver ? { receiver } : {}), ...splitArguments(named(list, 'argument'), (argument) => argument.childForFieldName('name') ?? undefined) };
  },
  fn(node) {
    if (!FUNCTIONS.has(node.type)) return undefined;
    const body = node.childForFieldName('body');
    if (!body) return undefined;
    const parameters = node.childForFieldName('parameters');
    const params = parameters ? childrenOf(parameters).map((p) => (p.type === 'simple_parameter' || p.type === 'property_promotion_parameter' ? p.childForFieldName('name')?.text : undefined)) : [];
    const name = node.type === 'function_definition' || node.type === 'method_declaration' ? node.childForFieldName('name')?.text : undefined;
    return { ...(name ? { name } : {}), params };
  },
  container(node) {
    if (!CONTAINERS.has(node.type)) return undefined;
    const body = node.childForFieldName('body');
    const name = node.childForFieldName('name')?.text ?? '';
    if (!body) return { name, members: [] };
    const entries = named(body, 'enum_case').map((entry): [string, SyntaxNode | undefined] => [entry.childForFieldName('name')?.text ?? '', entry.childForFieldName('value') ?? undefined]);
    return { name, members: childrenOf(body).filter((m) => m.type !== 'enum_case'), entries };
  },
  namespaceBody(node) {
    return node.type === 'namespace_definition' ? (node.childForFieldName('body') ?? undefined) : undefined;
  },
  declares(node) {
    if (node.type === 'const_declaration') {
      const names = named(node, 'const_element').map((element): [string, SyntaxNode | undefined] => {
        const [name, value] = childrenOf(element);
        return [name?.text ?? '', value];
      });
      return { names, constant: true };
    }
    if (node.type === 'assignment_expression') {
      const left = node.childForFieldName('left');
      if (left?.type !== 'variable_name') return undefined;
      return { names: [[left.text, node.childForFieldName('right') ?? undefined]], constant: false };
    }
    return undefined;
  },
  imports(node) {
    if (node.type !== 'namespace_use_declaration' || /^use\s+function\b/.test(node.text)) return undefined;
    const prefix = firstNamed(node, 'namespace_name');
    return named(node, 'namespace_use_clause').flatMap((clause) => {
      const target = firstNamed(clause, 'qualified_name', 'name');
      if (!target) return [];
      const qualified = [...(prefix ? qualifiedParts(prefix) : []), ...qualifiedParts(target)];
      const alias = firstNamed(clause, 'namespace_aliasing_clause');
      return [{ local: alias ? (firstNamed(alias, 'name')?.text ?? qualified.at(-1)!) : qualified.at(-1)!, qualified }];
    });
  },
  path(node) {
    switch (node.type) {
      case 'name':
        return [node.text];
      case 'qualified_name':
        return qualifiedParts(node).slice(-1);
      case 'variable_name':
        return [node.text];
      case 'relative_scope':
        return [node.text];
      case 'class_constant_access_expression': {
        const [scope, name] = childrenOf(node);
        const base = scope && PHP.path(scope);
        return base && name?.type === 'name' ? [...base, name.text] : undefined;
      }
      case 'member_access_expression':
      case 'nullsafe_member_access_expression': {
        const object = node.childForFieldName('object');
        const name = node.childForFieldName('name');
        const base = object && PHP.path(object);
        return base && name?.type === 'name' ? [...base, name.text] : undefined;
      }
      default:
        return undefined;
    }
  },
  inner(node) {
    return node.type === 'parenthesized_expression' ? childrenOf(node)[0] : undefined;
  },
  concat(node) {
    if (node.type !== 'binary_expression' || node.childForFieldName('operator')?.text !== '.') return undefined;
    const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
    return left && right ? [left, right] : undefined;
  },
  self: ['$this', 'self', 'static'],
};
