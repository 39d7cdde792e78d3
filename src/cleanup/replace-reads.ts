import { type SourceFile, ts } from 'ts-morph';
import type { ReaderResult } from '../core/lifecycle/cleanup/readers.js';
import type { Kept } from '../core/lifecycle/cleanup/ready.js';
import type { Reference } from '../core/lifecycle/scan/resolve/resolve.js';
import { type Placeholders, truthy } from './placeholders.js';
import { declaresElsewhere, isStatementList, isWritten, nodeAt, usesOf } from './syntax.js';
import { indentAt, reindent, removeRange } from './text-edits.js';

/** One flag read to replace: where the scanner found it, what it gives, what stays. */
export interface FlagRead {
  ref: Reference & { flag: string };
  kept: Kept;
  result: ReaderResult;
}

/** A flag read cleanup cannot rewrite: the flag stays, with this reason at this place. */
export interface Refusal {
  flag: string;
  file: string;
  line: number;
  column: number;
  reason: string;
}

/**
 * Puts a placeholder for the kept value where each flag read was (see placeholders.ts), last
 * read first so the positions the scanner gave for earlier ones stay right.
 */
export function replaceReads(sf: SourceFile, reads: readonly FlagRead[], ph: Placeholders): Refusal[] {
  const refusals: Refusal[] = [];
  const ordered = [...reads].sort((a, b) => b.ref.line - a.ref.line || b.ref.column - a.ref.column);
  for (const read of ordered) {
    const why = replaceRead(sf, read, ph);
    if (why) refusals.push({ flag: read.ref.flag, file: read.ref.file, line: read.ref.line, column: read.ref.column, reason: why });
  }
  return refusals;
}

function replaceRead(sf: SourceFile, read: FlagRead, ph: Placeholders): string | undefined {
  const tree = sf.compilerNode;
  const { ref } = read;
  const start = tree.getPositionOfLineAndCharacter(ref.line - 1, ref.column - 1);
  const end = tree.getPositionOfLineAndCharacter(ref.endLine - 1, ref.endColumn - 1);
  const node = nodeAt(tree, start, end);
  if (!node) return 'the file changed since it was scanned';
  const parent = node.parent;
  switch (ref.kind) {
    case 'call':
    case 'wrapper':
      if (!ts.isCallExpression(parent) || !parent.arguments.includes(node as ts.Expression)) return 'flagops could not find the call around the key';
      return replaceValue(sf, parent, read, ph);
    case 'property':
      if (!ts.isPropertyAccessExpression(parent) || parent.name !== node) return 'flagops could not find the property read';
      return replaceValue(sf, parent, read, ph);
    case 'element':
      if (!ts.isElementAccessExpression(parent)) return 'flagops could not find the element read';
      return replaceValue(sf, parent, read, ph);
    case 'destructure': {
      // `{ newCheckout }`: the element and its name span the same text.
      const element = ts.isBindingElement(node) ? node : ts.isComputedPropertyName(parent) ? parent.parent : parent;
      if (!ts.isBindingElement(element)) return 'flagops could not find the destructuring';
      return replaceDestructured(sf, element, read, ph);
    }
    case 'jsx':
      return replaceGate(sf, node, read);
    case 'dynamic':
      return 'its key is computed at run time';
  }
}

/** The placeholder for what a read gives, or why there is none. */
function placeholderFor(read: FlagRead, ph: Placeholders): { text: string } | { why: string } {
  const { value, variant } = read.kept;
  const flag = read.ref.flag;
  const at = { line: read.ref.line, column: read.ref.column };
  const via = `${read.ref.via.replace(/\(\)$/, '')}()`;
  switch (read.result.kind) {
    case 'value':
      return { text: ph.add(value, flag, at) };
    case 'boolean':
      return typeof value === 'boolean'
        ? { text: ph.add(value, flag, at) }
        : { why: `${via} reads a boolean, and the kept variant "${variant}" is ${JSON.stringify(value)}` };
    case 'truthy':
      return { text: ph.add(truthy(value), flag, at) };
    case 'not':
      return { text: ph.add(!truthy(value), flag, at) };
    case 'variant':
      return { text: ph.add(variant, flag, at) };
    case 'details':
      return { text: ph.add({ value, variant }, flag, at, true) };
    case 'gate':
      return { why: `${read.ref.via} is a component, read here as a call` };
    case 'unknown':
      return { why: read.result.why };
  }
}

function replaceValue(sf: SourceFile, read: ts.Expression, flagRead: FlagRead, ph: Placeholders): string | undefined {
  const made = placeholderFor(flagRead, ph);
  if ('why' in made) return made.why;
  let target: ts.Node = read;
  if (ts.isAwaitExpression(target.parent)) target = target.parent;
  if (isWritten(target)) return 'the code assigns to it';
  sf.replaceText([target.getStart(sf.compilerNode), target.end], made.text);
  return undefined;
}

/** `const { newCheckout } = useFlags()`: every use of newCheckout gets the value, and the name goes. */
function replaceDestructured(sf: SourceFile, element: ts.BindingElement, read: FlagRead, ph: Placeholders): string | undefined {
  const tree = sf.compilerNode;
  const pattern = element.parent;
  const declaration = pattern.parent;
  if (!ts.isIdentifier(element.name)) return 'it is destructured further';
  if (!ts.isVariableDeclaration(declaration) || !ts.isVariableDeclarationList(declaration.parent)) return 'it is not a const';
  const list = declaration.parent;
  if (!(list.flags & ts.NodeFlags.Const)) return 'it is not a const';
  const statement = list.parent;
  if (!ts.isVariableStatement(statement) || !isStatementList(statement.parent)) return 'flagops could not find its scope';
  const made = placeholderFor(read, ph);
  if ('why' in made) return made.why;
  const name = element.name.text;
  const scope = statement.parent;
  if (declaresElsewhere(scope, name, element.name)) return `another ${name} is declared in the same scope`;
  const uses = usesOf(scope, name);
  if (uses.some(isWritten)) return `${name} is assigned to`;
  // From the last edit to the first, so every position read from this tree stays right.
  const edits: Array<[number, number, string | null]> = uses.map((id) =>
    ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id
      ? [id.getStart(tree), id.end, `${name}: ${made.text}`]
      : [id.getStart(tree), id.end, made.text]);
  const elements = pattern.elements;
  const i = elements.indexOf(element);
  if (elements.length === 1) {
    if (list.declarations.length !== 1) return 'it shares its statement with other declarations';
    edits.push([statement.getStart(tree), statement.end, null]);
  } else if (i < elements.length - 1) edits.push([element.getStart(tree), elements[i + 1]!.getStart(tree), '']);
  else edits.push([elements[i - 1]!.end, element.end, '']);
  // From the last edit to the first: a function above the statement may use the name.
  for (const [s, e, text] of edits.sort((a, b) => b[0] - a[0])) {
    if (text === null) removeRange(sf, s, e);
    else sf.replaceText([s, e], text);
  }
  return undefined;
}

/** `<Feature flag="x">…</Feature>`: its children when the flag is on, its fallback (or nothing) when off. */
function replaceGate(sf: SourceFile, key: ts.Node, read: FlagRead): string | undefined {
  if (read.result.kind !== 'gate') return read.result.kind === 'unknown' ? read.result.why : `flagops cannot rewrite <${read.ref.via}>`;
  const tree = sf.compilerNode;
  const text = tree.text;
  let attribute: ts.Node = key;
  while (!ts.isJsxAttribute(attribute) && attribute.parent) attribute = attribute.parent;
  if (!ts.isJsxAttribute(attribute)) return `flagops could not find <${read.ref.via}>`;
  const opening = attribute.parent.parent;
  const element: ts.Node = ts.isJsxOpeningElement(opening) ? opening.parent : opening;
  const fallback = opening.attributes.properties.find(
    (p): p is ts.JsxAttribute => ts.isJsxAttribute(p) && ts.isIdentifier(p.name) && p.name.text === 'fallback',
  );
  const fallbackText = fallback?.initializer && ts.isJsxExpression(fallback.initializer) && fallback.initializer.expression
    ? fallback.initializer.expression.getText(tree)
    : undefined;
  const inChildren = ts.isJsxElement(element.parent) || ts.isJsxFragment(element.parent);
  const start = element.getStart(tree);
  const indent = indentAt(text, start);
  if (truthy(read.kept.value)) {
    const children = ts.isJsxElement(element) ? element.children.filter((c) => !(ts.isJsxText(c) && c.containsOnlyTriviaWhiteSpaces)) : [];
    if (children.length === 0) {
      if (inChildren) removeRange(sf, start, element.end);
      else sf.replaceText([start, element.end], 'null');
      return undefined;
    }
    const body = reindent(indentAt(text, children[0]!.getStart(tree)) + text.slice(children[0]!.getStart(tree), children.at(-1)!.end), indent);
    const only = children.length === 1 ? children[0]! : undefined;
    const single = only !== undefined && (ts.isJsxElement(only) || ts.isJsxSelfClosingElement(only) || ts.isJsxFragment(only));
    sf.replaceText([start, element.end], inChildren || single ? body : `<>${body}</>`);
    return undefined;
  }
  if (fallbackText === undefined) {
    if (inChildren) removeRange(sf, start, element.end);
    else sf.replaceText([start, element.end], 'null');
    return undefined;
  }
  const isJsx = /^\s*</.test(fallbackText);
  sf.replaceText([start, element.end], inChildren && !isJsx ? `{${fallbackText}}` : fallbackText);
  return undefined;
}
