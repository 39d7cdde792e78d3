import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { CallBinding, ValueExpr, WrapperFact } from '../../../core/lifecycle/scan/facts.js';
import { type CallPattern, TOO_GENERIC_FOR_WRAPPERS, tooCommon } from '../../../core/lifecycle/scan/patterns/patterns.js';
import type { FileWalker } from './walker.js';
import { calleeName, unwrap } from './syntax.js';
import { MAX_WRAPPER_ARGUMENTS, NEVER_WRAPPERS } from './names.js';

/** The call form: `isEnabled('new-checkout')` and the configured and inferred names like it, and the wrapper facts a call's parameter makes. */
export function callExpression(w: FileWalker, node: TS.CallExpression) {
  let name = calleeName(node);
  let bound = name === undefined ? undefined : w.binding(node.expression, name);
  const matched = name === undefined ? undefined : w.calls.get(name);
  // this.isEnabled() in a class that defines isEnabled calls that method, not an SDK (unless the configuration says it is a flag call).
  const ownMethod = matched !== undefined && !matched.configured && bound?.bound === 'this' && w.classes.at(-1)?.methods.has(name!);
  const pattern = ownMethod ? undefined : matched;
  if (ownMethod) ownMethodCall(w, node, matched);
  if (!pattern) {
    // A call of what a call returned: `evaluate(key)` after `const evaluate = useEvaluator()`, or `useEvaluator()(key)`.
    const returned = returnedCallee(w, node.expression);
    if (returned) ({ name, ...bound } = returned);
  }
  if (pattern) {
    const arg = node.arguments[pattern.argument];
    if (arg) {
      const key = w.argumentValue(arg);
      if (key.k === 'param' && key.fn !== undefined) wrapper(w, key, pattern, arg);
      else {
        const candidate = w.candidateOf(arg, 'call', pattern.name, key, pattern.strict);
        candidate.origin = calleeOrigin(w, node.expression);
        if (pattern.configured) candidate.configured = true;
        else if (bound?.bound === 'import') candidate.shadow = { from: bound.from!.specifier, name: bound.from!.name };
        else if (bound?.bound === 'local' && w.definesFunction(name!)) candidate.shadow = { local: true };
        w.facts.candidates.push(candidate);
      }
    }
  } else if (name !== undefined && node.arguments.length > 0 && !(NEVER_WRAPPERS.has(name) && NEVER_WRAPPERS.has(bound?.from?.name ?? name))) {
    const args = node.arguments.slice(0, MAX_WRAPPER_ARGUMENTS).map((arg) => {
      if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg) || ts.isObjectLiteralExpression(arg)) return null;
      const key = w.argumentValue(arg);
      return key.k === 'obj' || key.k === 'map' ? null : w.candidateOf(arg, 'call', name, key, true);
    });
    w.facts.otherCalls.push({ name, args, ...bound! });
  }
  // The callee's own property name is a method, not a flag: only look inside its receiver.
  const callee = node.expression;
  if (ts.isPropertyAccessExpression(callee)) w.visit(callee.expression);
  else w.visit(callee);
  for (const arg of node.arguments) w.visit(arg);
}

/** `this.isEnabled(…)` in a class with its own isEnabled: kept as a dropped candidate, for `--explain`. */
export function ownMethodCall(w: FileWalker, node: TS.CallExpression, pattern: CallPattern) {
  const arg = node.arguments[pattern.argument];
  const key = arg && w.argumentValue(arg);
  if (!arg || !key || key.k === 'param') return;
  const candidate = w.candidateOf(arg, 'call', pattern.name, key, pattern.strict);
  candidate.dropped = {
    rule: 'own-method',
    why: `this.${pattern.name}() calls the enclosing class's own ${pattern.name} method, not a flag SDK (add { name: ${pattern.name} } to scan.calls if that method reads flags)`,
  };
  w.facts.candidates.push(candidate);
}

/** The callee is what a named call returned: then the call goes by that call's `name()`. */
export function returnedCallee(w: FileWalker, callee: TS.Expression): (CallBinding & { name: string }) | undefined {
  const node = unwrap(callee);
  if (ts.isCallExpression(node)) return w.returnedBy(node);
  if (!ts.isIdentifier(node)) return undefined;
  const local = w.lookup(node.text) ?? w.facts.declarations.get(node.text);
  return local?.k === 'opaque' ? local.returned : undefined;
}

/** What a call's callee stands on: the receiver of a method, else the function itself. */
export function calleeOrigin(w: FileWalker, callee: TS.Expression): ValueExpr {
  const node = unwrap(callee);
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? w.originOf(node.expression) : w.originOf(node);
}

export function wrapper(w: FileWalker, key: { index: number; fn?: string; method?: true }, inner: CallPattern, at: TS.Node) {
  const { line, character } = w.sf.getLineAndCharacterOfPosition(at.getStart(w.sf));
  const fact: WrapperFact = {
    name: key.fn!,
    argument: key.index,
    strict: inner.strict,
    line: line + 1,
    column: character + 1,
    calls: inner.name,
    method: key.method === true,
  };
  if (!TOO_GENERIC_FOR_WRAPPERS.has(fact.name.replace(/\(\)$/, ''))) {
    w.facts.wrappers.push(fact);
    return;
  }
  w.candidate(at, 'call', inner.name, { k: 'opaque', why: tooCommon(fact.name.replace(/\(\)$/, ''), fact.argument) }, inner.strict);
}
