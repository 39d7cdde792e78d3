import type { CallBinding, Candidate, ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import type { CallPattern } from '../../../core/lifecycle/scan/patterns/patterns.js';
import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { asWrapper, candidateAt, childrenOf, keywordKey, otherCall } from '../syntax-tree.js';
import { type GoWalk, valueOf } from './go-walk.js';

/** The call form in Go: `client.BooleanValue(ctx, "new-checkout", false, ec)`, `ld.BoolVariation(flags.NewCheckout, ctx, false)`, wrappers. */

export function call(w: GoWalk, node: SyntaxNode): void {
  const callee = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  if (!callee || !args) return;
  const name = callee.type === 'identifier' ? callee.text : callee.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
  if (name === undefined) return;
  const bound = binding(w, callee);
  const positional = childrenOf(args);
  const pattern = w.calls.get(name);
  if (pattern) {
    const arg = keyOfStruct(positional[pattern.argument]);
    if (arg) flagCall(w, { node, callee, arg, pattern, bound, name });
    return;
  }
  otherCall(w.facts, w.text, { name, args: positional, bound }, (arg) => valueOf(w, arg));
}

/** A key passed in a struct's field: `posthog.FeatureFlagPayload{Key: "new-checkout", DistinctId: id}`. */
function keyOfStruct(arg: SyntaxNode | undefined): SyntaxNode | undefined {
  if (arg?.type !== 'composite_literal') return arg;
  const fields = childrenOf(arg.childForFieldName('body') ?? arg).filter((e) => e.type === 'keyed_element').map((e): [string, SyntaxNode] | undefined => {
    const [name, value] = childrenOf(e).map((part) => (part.type === 'literal_element' ? (childrenOf(part)[0] ?? part) : part));
    return name && value ? [name.text, value] : undefined;
  });
  return keywordKey(fields.filter((f): f is [string, SyntaxNode] => f !== undefined)) ?? arg;
}

interface FlagCall {
  node: SyntaxNode;
  callee: SyntaxNode;
  arg: SyntaxNode;
  pattern: CallPattern;
  bound: CallBinding;
  name: string;
}

function flagCall(w: GoWalk, { node, callee, arg, pattern, bound, name }: FlagCall): void {
  const key = asWrapper(w.facts, node, valueOf(w, arg), pattern);
  if (key === true) return;
  const candidate: Candidate = candidateAt(w.text, arg, 'call', pattern.name, key, pattern.strict);
  candidate.origin = originOf(callee);
  if (pattern.configured) candidate.configured = true;
  else if (bound.bound === 'local' && w.topFunctions.has(name)) candidate.shadow = { local: true };
  w.facts.candidates.push(candidate);
}

function originOf(callee: SyntaxNode): ValueExpr {
  const target = callee.type === 'selector_expression' ? callee.childForFieldName('operand') : callee;
  return target?.type === 'identifier' ? { k: 'ref', path: [target.text] } : { k: 'opaque', why: `${target?.text.slice(0, 40) ?? 'it'} is computed` };
}

function binding(w: GoWalk, callee: SyntaxNode): CallBinding {
  if (callee.type === 'selector_expression') return { bound: 'member' };
  return w.topFunctions.has(callee.text) ? { bound: 'local' } : { bound: 'global' };
}
