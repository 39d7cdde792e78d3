import type { CallBinding, Candidate, ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import type { CallPattern } from '../../../core/lifecycle/scan/patterns/patterns.js';
import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { asWrapper, candidateAt, childrenOf, keywordKey, otherCall } from '../syntax-tree.js';
import { attributePath, type PythonWalk, valueOf } from './python-walk.js';

/** The call form in Python: `is_enabled("new-checkout", user_id)`, `client.get_boolean_value(flag_key=…)`, wrappers. */

export function call(w: PythonWalk, node: SyntaxNode): void {
  const callee = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  if (!callee || !args || args.type !== 'argument_list') return;
  const name = callee.type === 'identifier' ? callee.text : callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  if (name === undefined) return;
  const bound = binding(w, callee);
  const positional = childrenOf(args).filter((a) => !['keyword_argument', 'list_splat', 'dictionary_splat'].includes(a.type));
  const pattern = w.calls.get(name);
  if (pattern) {
    const arg = positional[pattern.argument] ?? keywordKey(keywords(args));
    if (arg) flagCall(w, node, callee, arg, pattern, bound, name);
    return;
  }
  otherCall(w.facts, w.text, { name, args: positional, bound }, (arg) => valueOf(w, arg));
}

/** Keyword arguments (`flag_key="x"`), read when the key is not passed by position. */
function keywords(args: SyntaxNode): [string, SyntaxNode][] {
  const out: [string, SyntaxNode][] = [];
  for (const a of childrenOf(args)) {
    const [name, value] = a.type === 'keyword_argument' ? [a.childForFieldName('name')?.text, a.childForFieldName('value')] : [];
    if (name !== undefined && value) out.push([name, value]);
  }
  return out;
}

function flagCall(
  w: PythonWalk,
  node: SyntaxNode,
  callee: SyntaxNode,
  arg: SyntaxNode,
  pattern: CallPattern,
  bound: CallBinding,
  name: string,
): void {
  const key = asWrapper(w.facts, node, valueOf(w, arg), pattern);
  if (key === true) return;
  const candidate: Candidate = candidateAt(w.text, arg, 'call', pattern.name, key, pattern.strict);
  candidate.origin = originOf(callee);
  if (pattern.configured) candidate.configured = true;
  else if (bound.bound === 'this' && w.classes.at(-1)?.has(name)) {
    candidate.dropped = {
      rule: 'own-method',
      why: `self.${name}() calls the class's own ${name} method, not a flag SDK (add { name: ${name} } to scan.calls if that method reads flags)`,
    };
  } else if (bound.bound === 'import' && bound.from) candidate.shadow = { from: bound.from.specifier, name: bound.from.name };
  else if (bound.bound === 'local' && w.topFunctions.has(name)) candidate.shadow = { local: true };
  w.facts.candidates.push(candidate);
}

/** What the call goes through: the object of a method call, or the function called. */
function originOf(callee: SyntaxNode): ValueExpr {
  const target = callee.type === 'attribute' ? callee.childForFieldName('object') : callee;
  const path = target && attributePath(target);
  return path ? { k: 'ref', path } : { k: 'opaque', why: `${target?.text.slice(0, 40) ?? 'it'} is computed` };
}

function binding(w: PythonWalk, callee: SyntaxNode): CallBinding {
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    return { bound: object?.text === 'self' || object?.text === 'cls' ? 'this' : 'member' };
  }
  const imported = w.facts.imports.get(callee.text);
  if (imported) return { bound: 'import', from: { specifier: imported.from, name: imported.name } };
  return w.topFunctions.has(callee.text) || w.fn?.locals.has(callee.text) ? { bound: 'local' } : { bound: 'global' };
}
