import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { Candidate } from '../../../core/lifecycle/scan/facts.js';
import type { FileWalker } from './walker.js';
import { calleeName, K, unwrap } from './syntax.js';
import { BUILTIN_MEMBERS } from './names.js';

/** Flags objects (hooks and maps): `useFlags().newCheckout`, `flags['new-checkout']` and destructuring them. */

/** A candidate read from a flags object: what made that object decides, and a configured map or hook is the user's word. */
export function fromFlagsObject(w: FileWalker, candidate: Candidate, expression: TS.Expression): Candidate {
  const node = unwrap(expression);
  const named = ts.isIdentifier(node)
    ? node.text
    : ts.isPropertyAccessExpression(node) ? node.name.text : ts.isCallExpression(node) ? calleeName(node) : undefined;
  const local = ts.isIdentifier(node) ? (w.lookup(node.text) ?? w.facts.declarations.get(node.text)) : undefined;
  const hook = local?.k === 'map' ? local.via : ts.isCallExpression(node) ? calleeName(node) : undefined;
  if ((named !== undefined && w.configured.has(named)) || (hook !== undefined && w.configured.has(hook))) candidate.configured = true;
  if (local?.k === 'map' && local.hook) candidate.origin = local.hook;
  else if (ts.isCallExpression(node)) candidate.origin = w.originOf(node.expression);
  else candidate.origin = w.originOf(node);
  return candidate;
}

export function isHookCall(w: FileWalker, node: TS.Node): node is TS.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const name = calleeName(node);
  return name !== undefined && w.hooks.has(name);
}

/** A configured flags object, a variable holding a hook's result, or the hook call itself. */
export function isFlagsObject(w: FileWalker, expression: TS.Expression): boolean {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const local = w.lookup(node.text) ?? w.facts.declarations.get(node.text);
    if (local?.k === 'opaque' && local.list) return false;
    return w.maps.has(node.text) || local?.k === 'map';
  }
  if (ts.isPropertyAccessExpression(node)) {
    if (unwrap(node.expression).kind === K.ThisKeyword && w.classes.at(-1)?.lists.has(node.name.text)) return false;
    return w.maps.has(node.name.text);
  }
  return isHookCall(w, node);
}

// ---- classes, JSX, assignments ----------------------------------------------------------

/** How messages name the flags object: the hook call that made it, or the configured name. */
export function flagsObjectName(w: FileWalker, expression: TS.Expression): string {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    const local = w.lookup(node.text);
    return local?.k === 'map' ? `${local.via}()` : node.text;
  }
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isCallExpression(node)) return `${calleeName(node) ?? 'flags'}()`;
  return 'flags';
}

// ---- values -----------------------------------------------------------------------------

/** `flags.newCheckout` on a flags object: the property is the key. */
export function propertyRead(w: FileWalker, access: TS.PropertyAccessExpression): void {
  if (!isFlagsObject(w, access.expression) || !ts.isIdentifier(access.name)) return;
  const candidate = w.candidateOf(access.name, 'property', flagsObjectName(w, access.expression), { k: 'alias', name: access.name.text }, true);
  if (BUILTIN_MEMBERS.has(access.name.text)) candidate.builtin = true;
  w.facts.candidates.push(fromFlagsObject(w, candidate, access.expression));
}

/** `flags[FLAGS.NEW_CHECKOUT]` on a flags object: the element is the key. */
export function elementRead(w: FileWalker, access: TS.ElementAccessExpression): void {
  if (!isFlagsObject(w, access.expression)) return;
  const candidate = w.candidateOf(access.argumentExpression, 'element', flagsObjectName(w, access.expression), w.valueOf(access.argumentExpression), true);
  w.facts.candidates.push(fromFlagsObject(w, candidate, access.expression));
}
