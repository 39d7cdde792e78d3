import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { FileWalker } from './walker.js';
import { nameText } from './syntax.js';

/** The module structure of a file: what it imports and exports, so references resolve across files. */
export function importDeclaration(w: FileWalker, node: TS.ImportDeclaration) {
  if (!ts.isStringLiteral(node.moduleSpecifier) || !node.importClause) return;
  const from = node.moduleSpecifier.text;
  const clause = node.importClause;
  if (clause.name) w.facts.imports.set(clause.name.text, { from, name: 'default' });
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (ts.isNamespaceImport(bindings)) {
    w.facts.imports.set(bindings.name.text, { from, name: '*' });
    return;
  }
  for (const element of bindings.elements) {
    w.facts.imports.set(element.name.text, { from, name: nameText(element.propertyName ?? element.name) });
  }
}

export function exportDeclaration(w: FileWalker, node: TS.ExportDeclaration) {
  const from = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  const clause = node.exportClause;
  if (!clause) {
    if (from) w.facts.starExports.push(from);
    return;
  }
  if (ts.isNamespaceExport(clause)) {
    if (from) w.facts.exports.set(nameText(clause.name), { from, name: '*' });
    return;
  }
  for (const element of clause.elements) {
    const local = nameText(element.propertyName ?? element.name);
    w.facts.exports.set(nameText(element.name), from ? { from, name: local } : { local });
  }
}
