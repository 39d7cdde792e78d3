import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { ValueExpr } from '../../../core/lifecycle/scan/facts.js';

/** Questions about the TypeScript syntax tree that every reference form asks. */
export const K = ts.SyntaxKind;

/** The closure a named function returns goes by `name()`: calling what it returned reads a flag. */
export const returnedName = (name: string) => `${name}()`;
/** The parameter a function returns as it came, cast or not (`return client as unknown as Typed`): a typed view of its argument. */
export function returnsParam(fn: TS.SignatureDeclaration & { body?: TS.Node }): number | undefined {
  const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const returned: TS.Expression[] = [];
  if (fn.body && !ts.isBlock(fn.body)) returned.push(fn.body as TS.Expression);
  else if (fn.body) {
    const walk = (node: TS.Node): void => {
      if (ts.isReturnStatement(node)) {
        if (node.expression) returned.push(node.expression);
        return;
      }
      if (!isFunctionNode(node) && !ts.isFunctionDeclaration(node) && !ts.isClassLike(node)) ts.forEachChild(node, walk);
    };
    ts.forEachChild(fn.body, walk);
  }
  let index: number | undefined;
  for (const expression of returned) {
    const node = unwrap(expression);
    const at = ts.isIdentifier(node) ? names.indexOf(node.text) : -1;
    if (at < 0 || (index !== undefined && index !== at)) return undefined;
    index = at;
  }
  return index;
}

export function unwrap(expression: TS.Expression): TS.Expression {
  let node = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isAwaitExpression(node)
    ) {
      node = node.expression;
    } else return node;
  }
}

/** A type annotation's name as a value path (`Client`, `LD.LDClient`), for tying a receiver to the SDK that declares it. */
export function typeName(type: TS.TypeNode): ValueExpr | undefined {
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const path: string[] = [];
  let name: TS.EntityName = type.typeName;
  while (ts.isQualifiedName(name)) {
    path.unshift(name.right.text);
    name = name.left;
  }
  path.unshift(name.text);
  return { k: 'ref', path };
}

export const isFunctionNode = (node: TS.Node): node is TS.ArrowFunction | TS.FunctionExpression =>
  ts.isArrowFunction(node) || ts.isFunctionExpression(node);

/**
 * The closures a function returns: `return (key) => …`, an arrow's body, React's
 * `useCallback((key) => …, deps)` and `useMemo(() => (key) => …, deps)`, or a local function
 * returned by name. Calling what such a function returned calls them.
 */
export function returnedClosures(fn: TS.SignatureDeclaration & { body?: TS.Node }): TS.Node[] {
  const out: TS.Node[] = [];
  const locals = new Map<string, TS.Node>();
  const byName: string[] = [];
  const add = (expression: TS.Expression | undefined) => {
    if (!expression) return;
    let node = unwrap(expression);
    if (ts.isCallExpression(node) && node.arguments[0]) {
      const hook = calleeName(node);
      const first = unwrap(node.arguments[0]);
      if (hook === 'useCallback') node = first;
      else if (hook === 'useMemo' && isFunctionNode(first)) {
        out.push(...returnedClosures(first));
        return;
      }
    }
    if (isFunctionNode(node)) out.push(node);
    else if (ts.isIdentifier(node)) byName.push(node.text);
  };
  const body = fn.body;
  if (!body) return out;
  if (!ts.isBlock(body)) {
    add(body as TS.Expression);
    return out;
  }
  const walk = (node: TS.Node) => {
    if (ts.isReturnStatement(node)) return add(node.expression);
    if (ts.isFunctionDeclaration(node)) {
      if (node.name && node.body) locals.set(node.name.text, node);
      return;
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isFunctionNode(unwrap(node.initializer))) {
      locals.set(node.name.text, unwrap(node.initializer));
      return;
    }
    if (isFunctionNode(node) || ts.isClassLike(node)) return;
    ts.forEachChild(node, walk);
  };
  ts.forEachChild(body, walk);
  for (const name of byName) {
    const local = locals.get(name);
    if (local) out.push(local);
  }
  return out;
}

/** `a.b.c` or `a['b'].c` → ['a', 'b', 'c']; anything else → undefined. */
export function accessPath(node: TS.Expression): string[] | undefined {
  const path: string[] = [];
  let current = unwrap(node);
  for (;;) {
    if (ts.isIdentifier(current)) {
      path.unshift(current.text);
      return path;
    }
    if (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.name)) {
      path.unshift(current.name.text);
    } else if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(current.argumentExpression)) {
      path.unshift(current.argumentExpression.text);
    } else return undefined;
    current = unwrap(current.expression);
  }
}

/** An array literal or a call that makes one: `[]`, `new Array()`, `Array.from(…)`, `Array.of(…)`. */
export function isList(node: TS.Expression): boolean {
  if (ts.isArrayLiteralExpression(node)) return true;
  if (ts.isNewExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === 'Array';
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const { expression, name } = node.expression;
    return ts.isIdentifier(expression) && expression.text === 'Array' && (name.text === 'from' || name.text === 'of');
  }
  return false;
}

/** `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`, tuples. */
export function isListType(type: TS.TypeNode): boolean {
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type)) return isListType(type.type);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return ['Array', 'ReadonlyArray'].includes(type.typeName.text);
  return false;
}

export function calleeName(node: TS.CallExpression): string | undefined {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) return callee.name.text;
  return undefined;
}

export function requireSpecifier(node: TS.Expression): string | undefined {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
  const arg = node.arguments[0];
  return arg && ts.isStringLiteralLike(arg) ? arg.text : undefined;
}

export function staticPropertyName(name: TS.PropertyName): string | undefined {
  if (ts.isComputedPropertyName(name)) {
    return ts.isStringLiteralLike(name.expression) ? name.expression.text : undefined;
  }
  return nameText(name);
}

export function nameText(name: TS.PropertyName | TS.ModuleExportName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  return '';
}

export function bindingNames(name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) out.push(...bindingNames(element.name));
  }
  return out;
}

export function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}
