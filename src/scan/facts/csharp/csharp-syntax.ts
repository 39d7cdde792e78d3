import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf } from '../syntax-tree.js';
import { firstNamed, named, splitArguments, type TreeSyntax, unquote } from '../tree/tree-syntax.js';

/**
 * C# through tree-sitter's C# grammar: `await client.GetBooleanValueAsync("new-checkout", false)`,
 * `const` and `static readonly` fields, expression-bodied and initialised static properties,
 * `nameof(FeatureFlags.Beta)` (Microsoft.FeatureManagement's idiom), named arguments, `using` aliases.
 * Namespaces do not follow folders in C#: a type is found by its name across the project.
 */
const CONTAINERS = new Set(['class_declaration', 'struct_declaration', 'interface_declaration', 'record_declaration', 'enum_declaration']);
const FUNCTIONS = new Set(['method_declaration', 'local_function_statement', 'constructor_declaration', 'lambda_expression', 'anonymous_method_expression']);

/** The name a callee ends in: `client.GetValue<bool>` → GetValue. */
function simpleName(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'generic_name') return firstNamed(node, 'identifier')?.text;
  return undefined;
}

/** nameof(FeatureFlags.Beta) is the string "Beta". */
function nameOf(node: SyntaxNode): string | undefined {
  if (node.type !== 'invocation_expression') return undefined;
  const fn = node.childForFieldName('function');
  const args = childrenOf(node.childForFieldName('arguments') ?? node);
  if (fn?.type !== 'identifier' || fn.text !== 'nameof' || args.length !== 1) return undefined;
  return /([A-Za-z_]\w*)\s*$/.exec(args[0]!.text)?.[1];
}

export const CSHARP: TreeSyntax = {
  language: 'csharp',
  grammar: 'c_sharp',
  kinds: {
    containers: [...CONTAINERS],
    functions: [...FUNCTIONS],
    declarations: ['field_declaration', 'local_declaration_statement', 'property_declaration'],
    calls: ['invocation_expression'],
  },
  strings: ['string_literal', 'verbatim_string_literal', 'interpolated_string_expression', 'raw_string_literal'],
  string(node) {
    switch (node.type) {
      case 'string_literal':
        return unquote(node.text);
      case 'verbatim_string_literal':
        return unquote(node.text.slice(1), { raw: true });
      case 'interpolated_string_expression': {
        // $"plain" has no placeholder: it is a constant string.
        const parts = childrenOf(node);
        if (parts.some((p) => p.type !== 'interpolated_string_text')) return undefined;
        return parts.map((p) => unquote(`"${p.text}"`, /^\$@|^@\$/.test(node.text) ? { raw: true } : {}) ?? '').join('');
      }
      case 'invocation_expression':
        return nameOf(node);
      default:
        return undefined;
    }
  },
  // Microsoft.FeatureManagement's idiom: IsEnabledAsync(nameof(Features.NewCheckout)) names new-checkout too.
  alias: nameOf,
  call(node) {
    if (node.type !== 'invocation_expression') return undefined;
    const fn = node.childForFieldName('function');
    const list = node.childForFieldName('arguments');
    if (!fn || !list) return undefined;
    let name: string | undefined;
    let receiver: SyntaxNode | undefined;
    if (fn.type === 'member_access_expression') {
      name = simpleName(fn.childForFieldName('name'));
      receiver = fn.childForFieldName('expression') ?? undefined;
    } else if (fn.type === 'conditional_access_expression') {
      name = simpleName(firstNamed(fn, 'member_binding_expression')?.childForFieldName('name'));
      receiver = fn.childForFieldName('condition') ?? undefined;
    } else name = simpleName(fn);
    if (!name || name === 'nameof') return undefined;
    return { name, ...(receiver ? { receiver } : {}), ...splitArguments(named(list, 'argument'), (argument) => firstNamed(argument, 'name_colon')) };
  },
  fn(node) {
    if (!FUNCTIONS.has(node.type)) return undefined;
    const body = node.childForFieldName('body');
    if (!body) return undefined;
    const parameters = node.childForFieldName('parameters');
    const params = parameters?.type === 'parameter_list' ? named(parameters, 'parameter').map((p) => p.childForFieldName('name')?.text) : [];
    const name = node.type === 'lambda_expression' || node.type === 'anonymous_method_expression' ? undefined : node.childForFieldName('name')?.text;
    return { ...(name ? { name } : {}), params };
  },
  container(node) {
    if (!CONTAINERS.has(node.type)) return undefined;
    const body = node.childForFieldName('body');
    const name = node.childForFieldName('name')?.text ?? '';
    if (!body) return { name, members: [] };
    if (node.type !== 'enum_declaration') return { name, members: childrenOf(body) };
    const entries = named(body, 'enum_member_declaration').map((entry): [string, SyntaxNode | undefined] => [entry.childForFieldName('name')?.text ?? '', undefined]);
    return { name, members: [], entries };
  },
  namespaceBody(node) {
    if (node.type === 'namespace_declaration') return node.childForFieldName('body') ?? undefined;
    return node.type === 'file_scoped_namespace_declaration' ? node : undefined;
  },
  declares(node) {
    const modifiers = named(node, 'modifier').map((m) => m.text);
    if (node.type === 'field_declaration' || node.type === 'local_declaration_statement') {
      const declaration = firstNamed(node, 'variable_declaration');
      const names = (declaration ? named(declaration, 'variable_declarator') : []).map((d): [string, SyntaxNode | undefined] => {
        const value = firstNamed(d, 'equals_value_clause');
        return [firstNamed(d, 'identifier')?.text ?? '', value ? childrenOf(value)[0] : undefined];
      });
      const constant = node.type === 'local_declaration_statement' || modifiers.includes('const') || modifiers.includes('readonly');
      return { names, constant };
    }
    if (node.type === 'property_declaration') {
      // `static string Beta => "beta";` and `static string Beta { get; } = "beta";` read as written.
      const name = node.childForFieldName('name')?.text;
      const value = node.childForFieldName('value');
      if (!name || !value) return undefined;
      const settable = /\bset\b|\binit\b/.test(node.childForFieldName('accessors')?.text ?? '');
      return { names: [[name, value.type === 'arrow_expression_clause' ? childrenOf(value)[0] : value]], constant: !settable };
    }
    return undefined;
  },
  imports(node) {
    if (node.type !== 'using_directive') return undefined;
    // Only an alias names a type: `using F = Acme.Flags.FeatureFlags;` (a bare using opens a namespace).
    const alias = firstNamed(node, 'name_equals');
    const target = firstNamed(node, 'qualified_name', 'identifier');
    if (!alias || !target || target.id === alias.id) return undefined;
    return [{ local: alias.text.replace(/\s*=\s*$/, ''), qualified: target.text.split('.').map((s) => s.trim()) }];
  },
  path(node) {
    const type = node.type;
    if (type === 'identifier') return [node.text];
    if (type === 'this_expression' || type === 'this') return ['this'];
    if (type !== 'member_access_expression') return undefined;
    const object = node.childForFieldName('expression');
    const field = node.childForFieldName('name');
    const base = object && CSHARP.path(object);
    return base && field?.type === 'identifier' ? [...base, field.text] : undefined;
  },
  inner(node) {
    if (node.type === 'parenthesized_expression' || node.type === 'await_expression') return childrenOf(node)[0];
    return undefined;
  },
  concat(node) {
    if (node.type !== 'binary_expression' || node.child(1)?.text !== '+') return undefined;
    const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
    return left && right ? [left, right] : undefined;
  },
  self: ['this'],
};
