import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { Candidate, ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import type { FileWalker } from './walker.js';
import { accessPath, calleeName, isList, isListType, nameText, requireSpecifier, typeName, unwrap } from './syntax.js';
import { flagsObjectName, fromFlagsObject, isFlagsObject, isHookCall } from './flag-objects.js';

/** Declarations and assignments: what each name holds (a constant key, a flags object, a hook's result, a list). */
export function variableStatement(w: FileWalker, node: TS.VariableStatement) {
  const isConst = (node.declarationList.flags & ts.NodeFlags.Const) !== 0;
  for (const declaration of node.declarationList.declarations) {
    const init = declaration.initializer;
    const name = declaration.name;
    const required = init && requireSpecifier(unwrap(init));
    if (ts.isIdentifier(name) && required !== undefined && w.scopes.length === 0) {
      w.facts.imports.set(name.text, { from: required, name: '*' });
    } else if (ts.isIdentifier(name)) {
      const value = declaration.type && isListType(declaration.type)
        ? { k: 'opaque' as const, why: `${name.text} is a list`, list: true as const }
        : declaredValue(w, init, isConst, name.text, declaration.type, w.isAmbient(node));
      w.declare(name.text, value, node);
      const fnInit = init && unwrap(init);
      if (fnInit && (ts.isArrowFunction(fnInit) || ts.isFunctionExpression(fnInit))) {
        w.fn(fnInit, name.text);
        continue;
      }
    } else if (ts.isObjectBindingPattern(name)) {
      destructure(w, name, init, node, isConst);
    }
    if (init) w.visit(init);
  }
}

export function declaredValue(
  w: FileWalker,
  init: TS.Expression | undefined,
  isConst: boolean,
  name: string,
  type: TS.TypeNode | undefined,
  ambient: boolean,
): ValueExpr {
  const typed = type && typeName(type);
  const origin = { ...(typed ? { typed } : {}), ...(ambient ? { ambient: true as const } : {}) };
  if (!init) return { k: 'opaque', why: ambient ? `${name} is declared without a value` : `${name} has no value`, ...origin };
  const bare = unwrap(init);
  if (ts.isCallExpression(bare)) {
    const hook = calleeName(bare);
    if (hook && w.hooks.has(hook)) return { k: 'map', via: hook, hook: w.valueOf(bare.expression) };
  }
  if (isList(bare)) return { k: 'opaque', why: `${name} is a list`, list: true };
  if (!isConst) return { k: 'opaque', why: `${name} is a variable, not a const`, ...origin, ...w.madeBy(bare) };
  const value = w.valueOf(init);
  if (value.k !== 'opaque') return value;
  const returned = w.returnedBy(bare);
  return { ...value, ...origin, ...(returned ? { returned } : {}) };
}

/** `const { a, b: c } = <flags object or module value>`. */
export function destructure(w: FileWalker, pattern: TS.ObjectBindingPattern, init: TS.Expression | undefined, node: TS.Node, isConst: boolean) {
  const source = init && unwrap(init);
  const fromFlags = source !== undefined && (isFlagsObject(w, source) || isHookCall(w, source));
  const required = source && requireSpecifier(source);
  for (const element of pattern.elements) {
    if (element.dotDotDotToken || !ts.isIdentifier(element.name)) continue;
    const property = element.propertyName;
    if (fromFlags) {
      const via = flagsObjectName(w, source);
      const [keyNode, key]: [TS.Node, Candidate['key']] = property && ts.isComputedPropertyName(property)
        ? [property.expression, w.valueOf(property.expression)]
        : [property ?? element.name, { k: 'alias', name: nameText((property ?? element.name) as TS.PropertyName) }];
      w.facts.candidates.push(fromFlagsObject(w, w.candidateOf(keyNode, 'destructure', via, key, true), source));
      w.declare(element.name.text, { k: 'opaque', why: `${element.name.text} holds a flag value` }, node);
      continue;
    }
    const propertyName = property && !ts.isComputedPropertyName(property) ? nameText(property) : element.name.text;
    if (required !== undefined && w.scopes.length === 0) {
      w.facts.imports.set(element.name.text, { from: required, name: propertyName });
    } else if (isConst && source) {
      w.declare(element.name.text, { k: 'get', of: w.valueOf(source), path: [propertyName] }, node);
    } else {
      w.declare(element.name.text, { k: 'opaque', why: `${element.name.text} is a variable` }, node);
    }
  }
}

export function enumDeclaration(w: FileWalker, node: TS.EnumDeclaration) {
  const props: [string, ValueExpr][] = [];
  for (const member of node.members) {
    const name = nameText(member.name);
    props.push([name, member.initializer ? w.valueOf(member.initializer) : { k: 'opaque', why: `${node.name.text}.${name} is a number` }]);
  }
  w.declare(node.name.text, { k: 'obj', props }, node);
}

// ---- functions and scopes ---------------------------------------------------------------

/**
 * `FEATURES.X = 'x'` on a const object built empty, and CommonJS `exports.X = …`,
 * `module.exports = { … }`: the value becomes a property of that object, or an export.
 */
export function assignment(w: FileWalker, node: TS.BinaryExpression) {
  const path = accessPath(node.left);
  if (!path || path.length < 2) {
    return;
  }
  if (w.scopes.length === 0 && path[0] === 'module' && path[1] === 'exports') {
    const value = w.valueOf(node.right);
    if (path.length === 2) {
      w.facts.exports.set('default', { value });
      if (value.k === 'obj') for (const [name, v] of value.props) w.facts.exports.set(name, { value: v });
    } else if (path.length === 3) w.facts.exports.set(path[2]!, { value });
    return;
  }
  if (w.scopes.length === 0 && path[0] === 'exports' && path.length === 2 && !w.facts.declarations.has('exports')) {
    w.facts.exports.set(path[1]!, { value: w.valueOf(node.right) });
    return;
  }
  let target = w.lookup(path[0]!) ?? w.facts.declarations.get(path[0]!);
  for (const name of path.slice(1, -1)) {
    if (target?.k !== 'obj') return;
    target = target.props.find(([k]) => k === name)?.[1];
  }
  if (target?.k !== 'obj') return;
  const last = path.at(-1)!;
  const at = target.props.findIndex(([k]) => k === last);
  const value = w.valueOf(node.right);
  if (at < 0) target.props.push([last, value]);
  // Assigned twice: which value a reader sees depends on when it reads.
  else target.props[at] = [last, { k: 'opaque', why: `${path.join('.')} is assigned more than once` }];
}
