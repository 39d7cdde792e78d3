import type { CallBinding, Candidate, ModuleFacts, ReferenceForm, ValueExpr } from '../../core/lifecycle/scan/facts.js';
import { type CallPattern, TOO_GENERIC_FOR_WRAPPERS, tooCommon } from '../../core/lifecycle/scan/patterns/patterns.js';
import type { SyntaxNode } from '../parse/tree-sitter.js';

/** What every tree-sitter adapter asks of a syntax tree. */

const MAX_TEXT = 60;

/** A candidate at a node: positions are 1-based, columns in UTF-16 units as the TypeScript scanner counts them. */
export function candidateAt(source: string, node: SyntaxNode, form: ReferenceForm, via: string, key: Candidate['key'], strict: boolean): Candidate {
  let text = source.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + MAX_TEXT * 4)).replace(/\s+/g, ' ');
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT - 1)}…`;
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
    form,
    via,
    strict,
    key,
    text,
  };
}

/**
 * The nodes of these types in document order, each handed to `visit` with a way to open what it
 * starts (a class, a function): `close` runs once the walk is past the node's end. One query of
 * the tree inside the WebAssembly instead of a JavaScript object for every node, and no recursion
 * however deep the code nests.
 */
export function inDocumentOrder(
  root: SyntaxNode,
  types: readonly string[],
  visit: (node: SyntaxNode, open: (close: () => void) => void) => void,
): void {
  const opened: { end: number; close: () => void }[] = [];
  for (const node of root.descendantsOfType([...types])) {
    if (!node) continue;
    while (opened.length > 0 && node.startIndex >= opened.at(-1)!.end) opened.pop()!.close();
    visit(node, (close) => opened.push({ end: node.endIndex, close }));
  }
  while (opened.length > 0) opened.pop()!.close();
}

/** Whether a node is a comment: `comment`, or Java's and Kotlin's `line_comment`, `block_comment`, `multiline_comment`. */
export const isComment = (node: SyntaxNode): boolean => node.type.endsWith('comment');

/** Named children that are not comments (tree-sitter keeps comments as named nodes). */
export const childrenOf = (node: SyntaxNode): SyntaxNode[] => node.namedChildren.filter((c): c is SyntaxNode => c !== null && !isComment(c));

/** The function a walk is in: a parameter reaching a flag call makes it a wrapper; its own constants. */
export interface EnclosingFunction {
  name: string;
  params: Map<string, number>;
  method: boolean;
  locals: Map<string, ValueExpr>;
}

/**
 * The key of a flag call that is a parameter of the enclosing function makes that function a
 * wrapper (a call pattern of its own); true when it did. A parameter of a too common name stays
 * a dynamic key, and says why.
 */
export function asWrapper(facts: ModuleFacts, node: SyntaxNode, key: ValueExpr, pattern: CallPattern): ValueExpr | true {
  if (key.k !== 'param' || !key.fn) return key;
  if (TOO_GENERIC_FOR_WRAPPERS.has(key.fn)) return { k: 'opaque', why: tooCommon(key.fn, key.index) };
  facts.wrappers.push({
    name: key.fn,
    argument: key.index,
    strict: pattern.strict,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    calls: pattern.name,
    method: key.method === true,
  });
  return true;
}

/** A name inside a function: its parameter (what makes a wrapper) or a constant of its own. */
export function nameInFunction(fn: EnclosingFunction | undefined, name: string): ValueExpr | undefined {
  const param = fn?.params.get(name);
  if (param !== undefined) return { k: 'param', index: param, fn: fn!.name, ...(fn!.method ? { method: true as const } : {}) };
  return fn?.locals.get(name);
}

const MAX_WRAPPER_ARGUMENTS = 6;

/** Names the SDKs give their key argument, as each language spells them (`flag_key`, `flagKey`, `FlagKey`). */
const KEY_KEYWORDS = new Set(['flagkey', 'key', 'featurekey', 'featurename', 'feature', 'flag', 'flagname', 'name']);

/** The key passed by name, when a flag call does not pass it by position. */
export function keywordKey(keywords: readonly (readonly [string, SyntaxNode])[]): SyntaxNode | undefined {
  return keywords.find(([name]) => KEY_KEYWORDS.has(name.replace(/[_$]/g, '').toLowerCase()))?.[1];
}

/** A call that is not a flag call, kept with its first arguments in case it calls a wrapper defined elsewhere. */
export function otherCall(
  facts: ModuleFacts,
  source: string,
  call: { name: string; args: readonly SyntaxNode[]; bound: CallBinding },
  valueOf: (node: SyntaxNode) => ValueExpr,
): void {
  if (call.args.length === 0 || TOO_GENERIC_FOR_WRAPPERS.has(call.name)) return;
  const args = call.args.slice(0, MAX_WRAPPER_ARGUMENTS).map((arg) => {
    const key = valueOf(arg);
    return key.k === 'obj' ? null : candidateAt(source, arg, 'call', call.name, key, true);
  });
  facts.otherCalls.push({ name: call.name, args, ...call.bound });
}
