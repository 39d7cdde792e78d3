import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf } from '../syntax-tree.js';
import { type TreeSyntax, unquote } from '../tree/tree-syntax.js';

/**
 * Ruby through tree-sitter's Ruby grammar: `Flipper.enabled?(:new_checkout, user)`,
 * `client.fetch_boolean_value(flag_key: "new-checkout", default_value: false)`, calls without
 * parentheses, constants in modules and classes (`Flags::NEW_CHECKOUT`, frozen or not), symbols as
 * keys. Constants are global in Ruby (autoloaded by name), so a type is found by its name.
 */
const FUNCTIONS = new Set(['method', 'singleton_method', 'lambda', 'block', 'do_block']);
const PARAMETER_TYPES = new Set(['identifier', 'optional_parameter']);

/** The text a string literal spells, with its escapes; undefined if it interpolates. */
function stringText(node: SyntaxNode): string | undefined {
  let out = '';
  for (const part of childrenOf(node)) {
    if (part.type === 'string_content') out += part.text;
    else if (part.type === 'escape_sequence') out += unquote(`"${part.text}"`) ?? part.text;
    else return undefined;
  }
  return out;
}

export const RUBY: TreeSyntax = {
  language: 'ruby',
  grammar: 'ruby',
  kinds: { containers: ['class', 'module'], functions: [...FUNCTIONS], declarations: ['assignment'], calls: ['call'] },
  strings: ['string', 'simple_symbol', 'delimited_symbol'],
  string(node) {
    switch (node.type) {
      case 'string':
        // Single quotes escape only \\ and \'.
        return node.text.startsWith('\'') ? unquote(node.text, { only: '\\\'' }) : stringText(node);
      case 'simple_symbol':
        return node.text.slice(1);
      case 'delimited_symbol':
        return stringText(node);
      default:
        return undefined;
    }
  },
  // Flipper.enabled?(:new_checkout) names new-checkout as well as new_checkout.
  alias: (node) => (node.type === 'simple_symbol' ? node.text.slice(1) : undefined),
  call(node) {
    if (node.type !== 'call') return undefined;
    const name = node.childForFieldName('method')?.text;
    if (!name) return undefined;
    const receiver = node.childForFieldName('receiver') ?? undefined;
    const args: SyntaxNode[] = [];
    const keywords: [string, SyntaxNode][] = [];
    const list = node.childForFieldName('arguments');
    for (const arg of list ? childrenOf(list) : []) {
      if (arg.type === 'pair') {
        const key = arg.childForFieldName('key');
        const value = arg.childForFieldName('value');
        const label = key && (key.type === 'hash_key_symbol' ? key.text : RUBY.string(key));
        // `flag_key:` alone (Ruby 3.1) passes the variable of that name.
        if (label !== undefined && label !== null && (value ?? key)) keywords.push([label, value ?? key!]);
      } else if (arg.type !== 'block_argument' && arg.type !== 'splat_argument' && arg.type !== 'hash_splat_argument') args.push(arg);
    }
    return { name, ...(receiver ? { receiver } : {}), args, keywords };
  },
  fn(node) {
    if (!FUNCTIONS.has(node.type)) return undefined;
    const parameters = node.childForFieldName('parameters');
    if (node.type !== 'method' && node.type !== 'singleton_method') return { params: [] };
    const params = parameters ? childrenOf(parameters).filter((p) => !p.type.startsWith('keyword') && !p.type.includes('splat') && p.type !== 'block_parameter').map((p) => (PARAMETER_TYPES.has(p.type) ? (p.childForFieldName('name') ?? p).text : undefined)) : [];
    const name = node.childForFieldName('name')?.text;
    return { ...(name ? { name } : {}), params };
  },
  container(node) {
    if (node.type !== 'class' && node.type !== 'module') return undefined;
    const name = node.childForFieldName('name');
    const body = node.childForFieldName('body');
    // `class Admin::Flags` is read as Flags: a constant is found by its last name.
    const simple = name?.type === 'scope_resolution' ? name.childForFieldName('name')?.text : name?.text;
    return { name: simple ?? '', members: body ? childrenOf(body) : [] };
  },
  declares(node) {
    if (node.type !== 'assignment') return undefined;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'constant' && left?.type !== 'identifier') return undefined;
    return { names: [[left.text, right ?? undefined]], constant: left.type === 'constant' };
  },
  imports() {
    // require and require_relative load files; constants are named the same wherever they are read.
    return undefined;
  },
  path(node) {
    const type = node.type;
    if (type === 'constant' || type === 'identifier' || (type === 'hash_key_symbol' && node.parent?.type === 'pair' && !node.parent.childForFieldName('value'))) return [node.text];
    if (type === 'self') return ['self'];
    if (type !== 'scope_resolution') return undefined;
    const scope = node.childForFieldName('scope');
    const name = node.childForFieldName('name')?.text;
    const base = scope ? RUBY.path(scope) : [];
    return base && name ? [...base, name] : undefined;
  },
  inner(node) {
    if (node.type === 'parenthesized_statements') return childrenOf(node).length === 1 ? childrenOf(node)[0] : undefined;
    // "new-checkout".freeze is the string.
    if (node.type === 'call' && node.childForFieldName('method')?.text === 'freeze' && !node.childForFieldName('arguments')) return node.childForFieldName('receiver') ?? undefined;
    return undefined;
  },
  concat(node) {
    if (node.type !== 'binary' || node.childForFieldName('operator')?.text !== '+') return undefined;
    const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
    return left && right ? [left, right] : undefined;
  },
  self: ['self'],
};
