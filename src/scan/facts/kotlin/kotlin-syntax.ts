import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf } from '../syntax-tree.js';
import { type CallShape, firstNamed, named, splitArguments, type TreeSyntax, unquote } from '../tree/tree-syntax.js';

/**
 * Kotlin through tree-sitter's Kotlin grammar (which names no fields: children by type):
 * `client.getBooleanValue("new-checkout", false)`, `const val` at the top level, in objects and
 * companion objects, enum classes with a key argument, named arguments (`key = "x"`), imports.
 */
const nameOf = (node: SyntaxNode): string | undefined => firstNamed(node, 'simple_identifier', 'type_identifier')?.text;

/** The simple name a navigation ends in: `client.getBooleanValue` → getBooleanValue. */
const suffixName = (navigation: SyntaxNode): string | undefined => {
  const suffix = childrenOf(navigation).at(-1);
  return suffix?.type === 'navigation_suffix' ? firstNamed(suffix, 'simple_identifier')?.text : undefined;
};

function argumentsOf(suffix: SyntaxNode | undefined): Pick<CallShape, 'args' | 'keywords'> {
  const list = suffix && firstNamed(suffix, 'value_arguments');
  return splitArguments(list ? named(list, 'value_argument') : [], (argument) => {
    const parts = childrenOf(argument);
    // `key = "x"`: a name, then the value.
    const labelled = parts.length === 2 && parts[0]!.type === 'simple_identifier' && argument.text.slice(parts[0]!.endIndex - argument.startIndex).trimStart().startsWith('=');
    return labelled ? parts[0] : undefined;
  });
}

export const KOTLIN: TreeSyntax = {
  language: 'kotlin',
  grammar: 'kotlin',
  kinds: {
    containers: ['class_declaration', 'object_declaration', 'companion_object'],
    functions: ['function_declaration', 'lambda_literal', 'anonymous_function'],
    declarations: ['property_declaration'],
    calls: ['call_expression'],
  },
  strings: ['string_literal'],
  string(node) {
    if (node.type !== 'string_literal' || node.text.startsWith('"""')) return undefined;
    if (childrenOf(node).some((c) => c.type.startsWith('interpolat'))) return undefined;
    return unquote(node.text);
  },
  call(node) {
    if (node.type !== 'call_expression') return undefined;
    const [callee, suffix] = childrenOf(node);
    if (!callee || suffix?.type !== 'call_suffix') return undefined;
    const name = callee.type === 'simple_identifier' ? callee.text : callee.type === 'navigation_expression' ? suffixName(callee) : undefined;
    if (!name) return undefined;
    const receiver = callee.type === 'navigation_expression' ? childrenOf(callee)[0] : undefined;
    return { name, ...(receiver ? { receiver } : {}), ...argumentsOf(suffix) };
  },
  fn(node) {
    if (node.type === 'lambda_literal' || node.type === 'anonymous_function') {
      return { params: [] };
    }
    if (node.type !== 'function_declaration') return undefined;
    const body = firstNamed(node, 'function_body');
    const parameters = firstNamed(node, 'function_value_parameters');
    if (!body) return undefined;
    const params = parameters ? named(parameters, 'parameter').map(nameOf) : [];
    const name = nameOf(node);
    return { ...(name ? { name } : {}), params };
  },
  container(node) {
    if (node.type !== 'class_declaration' && node.type !== 'object_declaration' && node.type !== 'companion_object') return undefined;
    const body = firstNamed(node, 'class_body', 'enum_class_body');
    if (!body) return { name: nameOf(node) ?? '', members: [] };
    const entries = named(body, 'enum_entry').map((entry): [string, SyntaxNode | undefined] => {
      const args = firstNamed(entry, 'value_arguments');
      const values = args ? named(args, 'value_argument') : [];
      return [nameOf(entry) ?? '', values.length === 1 ? childrenOf(values[0]!).at(-1) : undefined];
    });
    const members = childrenOf(body).filter((m) => m.type !== 'enum_entry');
    // A companion object, named or not, holds its class's constants: Checkout.INNER.
    return node.type === 'companion_object' ? { members } : { name: nameOf(node) ?? '', members, entries };
  },
  declares(node) {
    if (node.type !== 'property_declaration') return undefined;
    const variable = firstNamed(node, 'variable_declaration');
    const name = variable && nameOf(variable);
    if (!name) return undefined;
    const parts = childrenOf(node);
    const value = parts.at(-1) && parts.at(-1)!.id !== variable.id && !['getter', 'setter', 'property_delegate', 'user_type'].includes(parts.at(-1)!.type) ? parts.at(-1) : undefined;
    // `val` is read-only; `var` may change.
    return { names: [[name, value]], constant: firstNamed(node, 'binding_pattern_kind')?.text === 'val' };
  },
  imports(node) {
    if (node.type === 'import_list') return named(node, 'import_header').flatMap((header) => KOTLIN.imports(header) ?? []);
    if (node.type !== 'import_header' || firstNamed(node, 'wildcard_import')) return undefined;
    const identifier = firstNamed(node, 'identifier');
    if (!identifier) return undefined;
    const qualified = named(identifier, 'simple_identifier').map((s) => s.text);
    const alias = firstNamed(node, 'import_alias');
    // Packages are lower case: `a.b.Flags.NEW_CHECKOUT` imports a member of the object Flags.
    return [{ local: (alias && nameOf(alias)) ?? qualified.at(-1)!, qualified, member: qualified.length >= 2 && /^[A-Z]/.test(qualified.at(-2)!) }];
  },
  path(node) {
    const type = node.type;
    if (type === 'simple_identifier') return [node.text];
    if (type === 'this_expression') return ['this'];
    if (type !== 'navigation_expression') return undefined;
    const [object] = childrenOf(node);
    const base = object && KOTLIN.path(object);
    const field = suffixName(node);
    return base && field ? [...base, field] : undefined;
  },
  inner(node) {
    return node.type === 'parenthesized_expression' ? childrenOf(node)[0] : undefined;
  },
  concat(node) {
    if (node.type !== 'additive_expression' || node.child(1)?.text !== '+') return undefined;
    const parts = childrenOf(node);
    return parts.length === 2 ? parts : undefined;
  },
  self: ['this'],
};
