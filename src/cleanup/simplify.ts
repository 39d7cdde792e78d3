import { type SourceFile, ts } from 'ts-morph';
import type { JsonValue } from '../core/definition/model.js';
import { literal, quoteOf } from './literal.js';
import { PLACEHOLDER_GLOBAL, type Placeholders, truthy } from './placeholders.js';
import type { Refusal } from './replace-reads.js';
import {
  declaredNames, declaresElsewhere, exits, hasModifier, identifierAt, isStatementList, isWritten, primitiveOf, usesOf,
} from './syntax.js';
import { indentAt, reindent, removeRange, unwrapBlockText } from './text-edits.js';

const K = ts.SyntaxKind;
const SAME = Symbol('the same value');
/** A file this many edits deep is not converging: stop rather than loop. */
const MAX_STEPS = 100_000;

/**
 * Folds what the kept values decide, one step at a time until nothing changes: `!`, `&&`, `||`,
 * `??`, comparisons, ternaries, `if`/`else` (and what an early return leaves unreachable),
 * `switch` on a variant, JSX `{on && <X/>}`, template parts, properties of a kept object, and
 * consts that only held a kept value. Only expressions that involve a placeholder are touched.
 */
export function simplify(sf: SourceFile, ph: Placeholders): void {
  for (let step = 0; step < MAX_STEPS; step++) {
    const tree = sf.compilerNode;
    let changed = false;
    for (const match of tree.text.matchAll(PLACEHOLDER_GLOBAL)) {
      const id = identifierAt(tree, match.index);
      if (!id) continue;
      const before = tree.text;
      // A step that writes back what was there is no step: try the next placeholder.
      if (new Step(sf, id, ph).run() && sf.getFullText() !== before) {
        changed = true;
        break;
      }
    }
    if (!changed) return;
  }
}

/** Puts each placeholder's literal in place; a partial one still used as a whole refuses its flag. */
export function substitute(sf: SourceFile, ph: Placeholders, file: string): Refusal[] {
  const refusals: Refusal[] = [];
  const quote = quoteOf(sf.getFullText());
  const matches = [...sf.compilerNode.text.matchAll(PLACEHOLDER_GLOBAL)].reverse();
  for (const match of matches) {
    const tree = sf.compilerNode;
    const id = identifierAt(tree, match.index);
    if (!id) continue;
    if (ph.isPartial(id.text)) {
      refusals.push({
        flag: ph.flag(id.text),
        file,
        ...ph.origin(id.text),
        reason: 'the code uses the evaluation details as a whole, not only their .value or .variant',
      });
      continue;
    }
    const value = ph.value(id.text);
    const p = id.parent;
    if (ts.isJsxExpression(p) && ts.isJsxAttribute(p.parent) && typeof value === 'string' && !/["\n\\]/.test(value)) {
      sf.replaceText([p.getStart(tree), p.end], `"${value}"`);
      continue;
    }
    const text = literal(value, quote);
    const wrap = ts.isArrowFunction(p) && p.body === id && typeof value === 'object' && value !== null && !Array.isArray(value);
    sf.replaceText([id.getStart(tree), id.end], wrap ? `(${text})` : text);
  }
  return refusals;
}

class Step {
  private readonly tree: ts.SourceFile;
  private readonly value: JsonValue;
  private readonly flag: string;

  constructor(
    private readonly sf: SourceFile,
    private readonly id: ts.Identifier,
    private readonly ph: Placeholders,
  ) {
    this.tree = sf.compilerNode;
    this.value = ph.value(id.text);
    this.flag = ph.flag(id.text);
  }

  run(): boolean {
    const { id } = this;
    const p = id.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isNonNullExpression(p)) return this.replace(p, id.text);
    if ((ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) && p.expression === id) return this.replace(p, id.text);
    if (ts.isPrefixUnaryExpression(p) && p.operator === K.ExclamationToken) return this.replace(p, this.make(!truthy(this.value)));
    if (ts.isBinaryExpression(p)) return this.binary(p);
    if (ts.isConditionalExpression(p) && p.condition === id) return this.branch(p, truthy(this.value) ? p.whenTrue : p.whenFalse);
    if (ts.isPropertyAccessExpression(p) && p.expression === id) return this.property(p);
    if (ts.isTemplateSpan(p) && p.expression === id && isPrimitive(this.value)) return this.foldIntoTemplate(p, String(this.value));
    if (ts.isVariableDeclaration(p) && p.initializer === id) return this.declaration(p);
    if (ts.isPropertyDeclaration(p) && p.initializer === id) return this.classProperty(p);
    if (ts.isIfStatement(p) && p.expression === id) return this.ifStatement(p);
    if (ts.isSwitchStatement(p) && p.expression === id) return this.switchStatement(p);
    if (ts.isJsxExpression(p) && isJsxChild(p) && (this.value === null || typeof this.value === 'boolean')) {
      removeRange(this.sf, p.getStart(this.tree), p.end);
      return true;
    }
    if (ts.isExpressionStatement(p)) {
      removeRange(this.sf, p.getStart(this.tree), p.end);
      return true;
    }
    return false;
  }

  private make(value: JsonValue): string {
    return this.ph.add(value, this.flag, this.ph.origin(this.id.text));
  }

  private replace(node: ts.Node, text: string): true {
    this.sf.replaceText([node.getStart(this.tree), node.end], text);
    return true;
  }

  private binary(p: ts.BinaryExpression): boolean {
    const op = p.operatorToken.kind;
    const left = p.left === this.id;
    const on = truthy(this.value);
    if (left && op === K.AmpersandAmpersandToken) return on ? this.branch(p, p.right) : this.replace(p, this.id.text);
    if (left && op === K.BarBarToken) return on ? this.replace(p, this.id.text) : this.branch(p, p.right);
    if (left && op === K.QuestionQuestionToken) return this.value === null ? this.branch(p, p.right) : this.replace(p, this.id.text);
    // `x && <true>` and `x || <false>` are `x` where only truthiness matters (a condition).
    if (!left && inCondition(p) && ((op === K.AmpersandAmpersandToken && on) || (op === K.BarBarToken && !on))) return this.branch(p, p.left);
    // `x && <false>` is false and `x || <true>` true when reading x does nothing else.
    if (!left && isPure(p.left) && ((op === K.AmpersandAmpersandToken && !on) || (op === K.BarBarToken && on))) return this.replace(p, this.id.text);
    const equality = [K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.EqualsEqualsToken, K.ExclamationEqualsToken];
    if (!equality.includes(op) || !isPrimitive(this.value)) return false;
    const other = left ? p.right : p.left;
    const known = this.ph.has(other.getText(this.tree)) ? { value: this.ph.value(other.getText(this.tree)) } : primitiveOf(other);
    if (!known || !isPrimitive(known.value ?? null)) return false;
    const a = this.value;
    const b = known.value;
    const strict = op === K.EqualsEqualsEqualsToken || op === K.ExclamationEqualsEqualsToken;
    // Loose equality only folds where it cannot coerce: the same type, or null against undefined.
    if (!strict && typeof a !== typeof b && !(a === null && b === undefined)) return false;
    const equal = strict ? a === b : a == b;
    const negated = op === K.ExclamationEqualsEqualsToken || op === K.ExclamationEqualsToken;
    return this.replace(p, this.make(negated ? !equal : equal));
  }

  /** `node` becomes `kept`: in JSX children a kept element leaves its braces, and nothing leaves nothing. */
  private branch(node: ts.Expression, kept: ts.Expression): true {
    const container = node.parent;
    let inner = kept;
    while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
    if (ts.isJsxExpression(container) && isJsxChild(container)) {
      if (ts.isJsxElement(inner) || ts.isJsxSelfClosingElement(inner) || ts.isJsxFragment(inner)) {
        const start = inner.getStart(this.tree);
        const source = this.tree.text;
        const text = reindent(indentAt(source, start) + source.slice(start, inner.end), indentAt(source, container.getStart(this.tree)));
        return this.replace(container, text);
      }
      const constant = primitiveOf(inner);
      if (constant && (constant.value === null || constant.value === undefined || typeof constant.value === 'boolean')) {
        removeRange(this.sf, container.getStart(this.tree), container.end);
        return true;
      }
    }
    if (ts.isStringLiteral(inner) && ts.isTemplateSpan(container) && container.expression === node) {
      return this.foldIntoTemplate(container, inner.text);
    }
    if (ts.isStringLiteral(inner) && ts.isJsxExpression(container) && ts.isJsxAttribute(container.parent) && !/["\n\\]/.test(inner.text)) {
      return this.replace(container, `"${inner.text}"`);
    }
    const text = kept.getText(this.tree);
    const needsParens = !ts.isParenthesizedExpression(kept) && bindsLoosely(kept) && bindsTightly(node.parent, node);
    return this.replace(node, needsParens ? `(${text})` : text);
  }

  private property(p: ts.PropertyAccessExpression): boolean {
    const value = this.value;
    const name = p.name.text;
    if (Array.isArray(value)) return name === 'length' ? this.replace(p, this.make(value.length)) : false;
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return false;
    if (isWritten(p)) return false;
    return this.replace(p, this.make(value[name]!));
  }

  /** `${<kept>}` in a template literal: the text goes into the template. */
  private foldIntoTemplate(span: ts.TemplateSpan, value: string): true {
    const text = this.tree.text;
    const open = text.lastIndexOf('${', span.expression.getStart(this.tree));
    const close = text.indexOf('}', span.expression.end);
    const escaped = value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
    this.sf.replaceText([open, close + 1], escaped);
    return true;
  }

  /** `const on = <kept>`: each use gets the value and the const goes, when it is plainly local. */
  private declaration(d: ts.VariableDeclaration): boolean {
    const list = d.parent;
    if (!ts.isVariableDeclarationList(list)) return false;
    const statement = list.parent;
    if (!(list.flags & ts.NodeFlags.Const) || !ts.isVariableStatement(statement) || !isStatementList(statement.parent)) return false;
    if (hasModifier(statement, K.ExportKeyword) || hasModifier(statement, K.DeclareKeyword) || list.declarations.length !== 1) return false;
    const scope = statement.parent;
    // A name for the whole value takes the same placeholder: an evaluation result stays one.
    const bindings: Array<[ts.Identifier, JsonValue | typeof SAME]> = [];
    if (ts.isIdentifier(d.name)) bindings.push([d.name, SAME]);
    else if (ts.isObjectBindingPattern(d.name) && typeof this.value === 'object' && this.value !== null && !Array.isArray(this.value)) {
      for (const element of d.name.elements) {
        const property = element.propertyName ?? element.name;
        if (element.dotDotDotToken || !ts.isIdentifier(element.name) || !ts.isIdentifier(property)) return false;
        if (!Object.hasOwn(this.value, property.text)) return false;
        bindings.push([element.name, this.value[property.text]!]);
      }
    } else return false;
    const edits: Array<[number, number, string]> = [];
    for (const [name, value] of bindings) {
      if (declaresElsewhere(scope, name.text, name)) return false;
      const uses = usesOf(scope, name.text);
      if (uses.some(isWritten)) return false;
      const made = value === SAME ? this.id.text : this.make(value);
      for (const use of uses) {
        const shorthand = ts.isShorthandPropertyAssignment(use.parent) && use.parent.name === use;
        edits.push([use.getStart(this.tree), use.end, shorthand ? `${name.text}: ${made}` : made]);
      }
    }
    // From the last edit to the first: a function above the const may read it.
    const all: Array<[number, number, string | null]> = [...edits, [statement.getStart(this.tree), statement.end, null]];
    for (const [start, end, text] of all.sort((a, b) => b[0] - a[0])) {
      if (text === null) removeRange(this.sf, start, end);
      else this.sf.replaceText([start, end], text);
    }
    return true;
  }

  /** `private readonly onePage = <kept>`: each `this.onePage` in the class gets the value, and the property goes. */
  private classProperty(property: ts.PropertyDeclaration): boolean {
    const name = property.name;
    const isPrivate = ts.isPrivateIdentifier(name) || hasModifier(property, K.PrivateKeyword);
    if (!isPrivate || hasModifier(property, K.StaticKeyword) || !(ts.isIdentifier(name) || ts.isPrivateIdentifier(name))) return false;
    const reads: ts.PropertyAccessExpression[] = [];
    let other = false;
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === name.text) {
        if (node.expression.kind === K.ThisKeyword && !isWritten(node)) reads.push(node);
        else other = true;
      }
      // Inside a nested function `this` is another object; `['name']` reads it by a string.
      if (ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) other ||= node.getText(this.tree).includes(name.text);
      if (ts.isElementAccessExpression(node)) other ||= node.getText(this.tree).includes(name.text);
      node.forEachChild(visit);
    };
    visit(property.parent);
    if (other) return false;
    // From the last edit to the first: the property may come after the methods that read it.
    const edits: Array<[number, number, string | null]> = reads.map((r) => [r.getStart(this.tree), r.end, this.id.text]);
    edits.push([property.getStart(this.tree), property.end, null]);
    for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
      if (text === null) removeRange(this.sf, start, end);
      else this.sf.replaceText([start, end], text);
    }
    return true;
  }

  private ifStatement(statement: ts.IfStatement): boolean {
    const kept = truthy(this.value) ? statement.thenStatement : statement.elseStatement;
    if (kept && ts.isBlock(kept)) return this.keepStatement(statement, [...kept.statements], kept);
    return this.keepStatement(statement, kept ? [kept] : []);
  }

  /** `switch (<variant>)`: the matching case's statements up to its break, when every case is a literal. */
  private switchStatement(statement: ts.SwitchStatement): boolean {
    const clauses = statement.caseBlock.clauses;
    let index = -1;
    for (const [i, clause] of clauses.entries()) {
      if (!ts.isCaseClause(clause)) continue;
      const label = primitiveOf(clause.expression);
      if (!label) return false;
      if (index === -1 && label.value === this.value) index = i;
    }
    if (index === -1) index = clauses.findIndex((c) => ts.isDefaultClause(c));
    let kept: ts.Statement[] = [];
    for (let i = index; i >= 0 && i < clauses.length; i++) {
      const statements = [...clauses[i]!.statements];
      kept.push(...statements);
      const last = statements.at(-1);
      if (last && (exits(last) || ts.isBreakStatement(last) || (ts.isBlock(last) && endsCase(last)))) break;
    }
    // `case 'a': { …; break; }`: the break is inside the block.
    const only = kept.length === 1 ? kept[0] : undefined;
    if (only && ts.isBlock(only)) kept = [...only.statements];
    const last = kept.at(-1);
    if (last && ts.isBreakStatement(last) && !last.label) kept = kept.slice(0, -1);
    if (kept.some((s) => breaksOut(s))) return false;
    return this.keepStatement(statement, kept);
  }

  /**
   * `statement` becomes the `kept` statements, spliced into the enclosing list when no name
   * collides there. `block`: they are all of this block's statements (its comments come along).
   */
  private keepStatement(statement: ts.Statement, kept: ts.Statement[], block?: ts.Block): true {
    const tree = this.tree;
    const parent = statement.parent;
    const start = statement.getStart(tree);
    if (kept.length === 0 && !(block && /\/[/*]/.test(block.getText(tree)))) {
      if (isStatementList(parent)) removeRange(this.sf, start, statement.end);
      else if (ts.isIfStatement(parent) && parent.elseStatement === statement) this.sf.replaceText([parent.thenStatement.end, statement.end], '');
      else this.replace(statement, '{}');
      return true;
    }
    const indent = indentAt(tree.text, start);
    if (!isStatementList(parent)) {
      if (block) return this.replace(statement, block.getText(tree));
      return this.replace(statement, kept.length === 1 ? kept[0]!.getText(tree) : `{ ${kept.map((s) => s.getText(tree)).join(' ')} }`);
    }
    const siblings = new Set(parent.statements.filter((s) => s !== statement).flatMap(declaredNames));
    const collides = kept.some((s) => declaredNames(s).some((n) => siblings.has(n)));
    let text: string;
    if (block) text = unwrapBlockText(tree.text, block.getStart(tree), block.end - 1, indent);
    else {
      const first = kept[0]!.getStart(tree);
      const from = tree.text.lastIndexOf('\n', first - 1) + 1;
      // `if (on) return 1;` on one line: the kept statement starts where the if does.
      text = from <= start ? tree.text.slice(first, kept.at(-1)!.end) : reindent(tree.text.slice(from, kept.at(-1)!.end), indent);
    }
    if (collides) text = `{\n${indent}  ${reindent(text, `${indent}  `)}\n${indent}}`;
    this.replace(statement, text);
    if (!collides) this.dropUnreachable(start, start + text.length);
    return true;
  }

  /** After a kept branch that returns or throws, the rest of its list never runs. */
  private dropUnreachable(start: number, end: number): void {
    const tree = this.sf.compilerNode;
    let list: ts.Node | undefined;
    const find = (node: ts.Node) => {
      if (node.pos > start || node.end < end) return;
      if (isStatementList(node) && node.statements.some((s) => s.getStart(tree) === start)) list = node;
      node.forEachChild(find);
    };
    find(tree);
    if (!list || !isStatementList(list)) return;
    const statements = [...list.statements];
    const exit = statements.findIndex((s) => s.getStart(tree) >= start && s.end <= end && exits(s));
    if (exit === -1 || exit === statements.length - 1) return;
    const rest = statements.slice(exit + 1);
    // Function declarations are hoisted: code above may call them.
    if (!rest.some((s) => ts.isFunctionDeclaration(s))) {
      this.sf.replaceText([statements[exit]!.end, rest.at(-1)!.end], '');
      return;
    }
    for (const s of rest.reverse()) if (!ts.isFunctionDeclaration(s)) removeRange(this.sf, s.getStart(tree), s.end);
  }
}

function endsCase(block: ts.Block): boolean {
  const last = block.statements.at(-1);
  return last !== undefined && (exits(last) || ts.isBreakStatement(last));
}

function isPrimitive(value: JsonValue | undefined): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Reading it does nothing but read: names, property chains, literals. */
function isPure(node: ts.Expression): boolean {
  if (ts.isIdentifier(node) || node.kind === K.ThisKeyword || primitiveOf(node)) return true;
  if (ts.isPropertyAccessExpression(node)) return isPure(node.expression);
  if (ts.isParenthesizedExpression(node)) return isPure(node.expression);
  return false;
}

function isJsxChild(node: ts.JsxExpression): boolean {
  return ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent);
}

/** Where only truthiness counts: conditions, and `!`/`&&`/`||` inside them. */
function inCondition(node: ts.Expression): boolean {
  const p = node.parent;
  if (ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) return p.expression === node;
  if (ts.isForStatement(p)) return p.condition === node;
  if (ts.isConditionalExpression(p)) return p.condition === node;
  if (ts.isPrefixUnaryExpression(p) && p.operator === K.ExclamationToken) return true;
  if (ts.isParenthesizedExpression(p)) return inCondition(p);
  const op = ts.isBinaryExpression(p) ? p.operatorToken.kind : undefined;
  if (op === K.AmpersandAmpersandToken || op === K.BarBarToken) return inCondition(p as ts.BinaryExpression);
  return false;
}

function bindsLoosely(node: ts.Expression): boolean {
  return ts.isBinaryExpression(node) || ts.isConditionalExpression(node) || ts.isArrowFunction(node) || ts.isYieldExpression(node);
}

/** Whether a loosely binding expression put in `child`'s place under `parent` needs parentheses. */
function bindsTightly(parent: ts.Node, child: ts.Node): boolean {
  if (ts.isBinaryExpression(parent) || ts.isPrefixUnaryExpression(parent) || ts.isAwaitExpression(parent)) return true;
  if (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) return parent.expression === child;
  if (ts.isCallExpression(parent)) return parent.expression === child;
  if (ts.isConditionalExpression(parent)) return parent.condition === child;
  if (ts.isAsExpression(parent) || ts.isTemplateSpan(parent)) return false;
  return false;
}

/** A `break` or `continue` inside that would leave the switch, or a loop around it, once the switch is gone. */
function breaksOut(node: ts.Node): boolean {
  if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) return true;
  if (ts.isIterationStatement(node, false) || ts.isSwitchStatement(node) || ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, breaksOut) ?? false;
}
