import { ts } from 'ts-morph';

const K = ts.SyntaxKind;

/** The outermost node spanning exactly [start, end): what the scanner pointed at. */
export function nodeAt(sf: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (found || node.pos > start || node.end < end) return;
    if (node.getStart(sf) === start && node.end === end) found = node;
    else node.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found;
}

/** The identifier that starts at `pos`. */
export function identifierAt(sf: ts.SourceFile, pos: number): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node) => {
    if (found || node.pos > pos || node.end <= pos) return;
    if (ts.isIdentifier(node) && node.getStart(sf) === pos) found = node;
    else node.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found;
}

/** An identifier used as a name of something (a property, a member, an attribute), not as a reference to a binding. */
export function isNamePosition(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p)) return p.name === id;
  if (ts.isQualifiedName(p)) return p.right === id;
  if (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) return p.name === id;
  if (ts.isMethodSignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p)) return p.name === id;
  if (ts.isJsxAttribute(p)) return p.name === id;
  if (ts.isBindingElement(p)) return p.propertyName === id;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return p.propertyName === id;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  return false;
}

/** Whether an identifier is where a binding is declared (not a use of it). */
export function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (
    ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isParameter(p) ||
    ts.isEnumDeclaration(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isFunctionExpression(p) ||
    ts.isClassExpression(p) || ts.isModuleDeclaration(p) || ts.isTypeParameterDeclaration(p)
  ) return p.name === id;
  if (ts.isBindingElement(p)) return p.name === id;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p)) return p.name === id;
  return false;
}

/** Every identifier under `root` that uses a binding called `name`. */
export function usesOf(root: ts.Node, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) {
      if (node.text === name && !isNamePosition(node) && !isDeclarationName(node)) out.push(node);
      return;
    }
    if (ts.isShorthandPropertyAssignment(node) && node.name.text === name) out.push(node.name);
    node.forEachChild(visit);
  };
  visit(root);
  return out;
}

/** Whether anything under `root` other than `except` declares `name`. */
export function declaresElsewhere(root: ts.Node, name: string, except: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name && isDeclarationName(node) && node !== except) found = true;
    node.forEachChild(visit);
  };
  visit(root);
  return found;
}

/** Whether an identifier is written to: `x = …`, `x += …`, `x++`. */
export function isWritten(id: ts.Node): boolean {
  const p = id.parent;
  if (ts.isBinaryExpression(p) && p.left === id && p.operatorToken.kind >= K.FirstAssignment && p.operatorToken.kind <= K.LastAssignment) return true;
  const unary = ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p);
  if (unary && (p.operator === K.PlusPlusToken || p.operator === K.MinusMinusToken)) return true;
  return false;
}

/** Statement lists whose statements can take a kept branch's statements in their place. */
export function isStatementList(node: ts.Node): node is ts.Block | ts.SourceFile | ts.ModuleBlock | ts.CaseOrDefaultClause {
  return ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
}

/** Names declared by a statement at its own level (`const`/`let`/`class`/`function`/`enum`). */
export function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
    return [statement.name.text];
  }
  return [];
}

export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** A literal of a primitive as written: what comparisons with a kept value can fold. */
export function primitiveOf(node: ts.Expression): { value: string | number | boolean | null | undefined } | undefined {
  if (ts.isStringLiteralLike(node)) return { value: node.text };
  if (ts.isNumericLiteral(node)) return { value: Number(node.text) };
  if (ts.isPrefixUnaryExpression(node) && node.operator === K.MinusToken && ts.isNumericLiteral(node.operand)) {
    return { value: -Number(node.operand.text) };
  }
  if (node.kind === K.TrueKeyword) return { value: true };
  if (node.kind === K.FalseKeyword) return { value: false };
  if (node.kind === K.NullKeyword) return { value: null };
  if (ts.isIdentifier(node) && node.text === 'undefined') return { value: undefined };
  return undefined;
}

/** Statements that end the statement list they are in: what follows them never runs. */
export function exits(statement: ts.Statement): boolean {
  return ts.isReturnStatement(statement) || ts.isThrowStatement(statement);
}
