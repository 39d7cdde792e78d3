import { type SourceFile, ts } from 'ts-morph';
import { hasModifier, isDeclarationName, isNamePosition, isStatementList } from './syntax.js';
import { removeRange } from './text-edits.js';

const K = ts.SyntaxKind;

/** How many times each name is used in a file (imports and declarations themselves not counted). */
export function useCounts(tree: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const bump = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node)) {
      if (!isNamePosition(node) && !isDeclarationName(node)) bump(node.text);
      return;
    }
    if (ts.isShorthandPropertyAssignment(node)) bump(node.name.text);
    node.forEachChild(visit);
  };
  tree.forEachChild(visit);
  return counts;
}

/**
 * Removes what the cleanup left unused in a file: imports, and local (unexported) consts and
 * functions that had a use in `before` and have none now. What was unused before stays: it is
 * not this change's business. Returns the names removed.
 */
export function removeNewlyUnused(sf: SourceFile, before: ReadonlyMap<string, number>): string[] {
  const removed: string[] = [];
  const wasUsed = (name: string, now: ReadonlyMap<string, number>) => (before.get(name) ?? 0) > 0 && !now.get(name);
  for (let round = 0; round < 100; round++) {
    const now = useCounts(sf.compilerNode);
    let changed = false;
    for (const declaration of sf.getImportDeclarations()) {
      const names: string[] = [];
      const defaultImport = declaration.getDefaultImport();
      if (defaultImport && wasUsed(defaultImport.getText(), now)) {
        names.push(defaultImport.getText());
        declaration.removeDefaultImport();
      }
      const namespace = declaration.getNamespaceImport();
      if (namespace && wasUsed(namespace.getText(), now)) {
        names.push(namespace.getText());
        declaration.removeNamespaceImport();
      }
      for (const specifier of declaration.getNamedImports()) {
        const local = specifier.getAliasNode()?.getText() ?? specifier.getName();
        if (!wasUsed(local, now)) continue;
        names.push(local);
        specifier.remove();
      }
      if (names.length === 0) continue;
      removed.push(...names);
      changed = true;
      if (!declaration.getDefaultImport() && !declaration.getNamespaceImport() && declaration.getNamedImports().length === 0) declaration.remove();
    }
    const local = unusedLocal(sf.compilerNode, (name) => wasUsed(name, now));
    if (local) {
      removed.push(local.name);
      // An initializer that may do something (a call) keeps doing it: only the name goes.
      const keep = local.init && !sideEffectFree(local.init) ? `${local.init.getText(sf.compilerNode)};` : undefined;
      if (keep) sf.replaceText([local.node.getStart(sf.compilerNode), local.node.end], keep);
      else removeRange(sf, local.node.getStart(sf.compilerNode), local.node.end);
      changed = true;
    }
    if (!changed) break;
  }
  return removed;
}

/** A local const or function declaration whose name `unused` says went out of use. */
function unusedLocal(tree: ts.SourceFile, unused: (name: string) => boolean): { name: string; node: ts.Node; init?: ts.Expression } | undefined {
  let found: { name: string; node: ts.Node; init?: ts.Expression } | undefined;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (isStatementList(node)) {
      for (const statement of node.statements) {
        if (hasModifier(statement, K.ExportKeyword) || hasModifier(statement, K.DeclareKeyword)) continue;
        if (ts.isFunctionDeclaration(statement) && statement.name && unused(statement.name.text)) {
          found = { name: statement.name.text, node: statement };
          return;
        }
        if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
          const d = statement.declarationList.declarations[0]!;
          if (ts.isIdentifier(d.name) && unused(d.name.text)) {
            found = { name: d.name.text, node: statement, ...(d.initializer ? { init: d.initializer } : {}) };
            return;
          }
        }
      }
    }
    node.forEachChild(visit);
  };
  visit(tree);
  return found;
}

/** An initializer whose removal cannot change what the program does (no call, no `new`, no await). */
function sideEffectFree(init: ts.Expression | undefined): boolean {
  if (!init) return true;
  let pure = true;
  const visit = (node: ts.Node): void => {
    if (!pure) return;
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node) || ts.isTaggedTemplateExpression(node)) {
      // Object.freeze({...}) is how plain JavaScript writes `as const`.
      const callee = ts.isCallExpression(node) ? node.expression : undefined;
      if (callee && ts.isPropertyAccessExpression(callee) && callee.name.text === 'freeze') {
        node.forEachChild(visit);
        return;
      }
      pure = false;
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= K.FirstAssignment && node.operatorToken.kind <= K.LastAssignment) {
      pure = false;
      return;
    }
    node.forEachChild(visit);
  };
  visit(init);
  return pure;
}
