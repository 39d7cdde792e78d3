import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { ModuleFacts } from '../../../core/lifecycle/scan/facts.js';
import type { ReferencePatterns } from '../../../core/lifecycle/scan/patterns/patterns.js';
import { FileWalker } from './walker.js';
import { bindingNames, hasModifier, isFunctionNode, K, returnsParam, unwrap } from './syntax.js';
import { exportDeclaration, importDeclaration } from './modules.js';
import { assignment, enumDeclaration, variableStatement } from './declarations.js';
import { callExpression } from './calls.js';
import { elementRead, propertyRead } from './flag-objects.js';
import { inClass } from './classes.js';
import { jsxElement } from './jsx.js';

/**
 * One source file → its facts, in one walk over the syntax tree. This works on the compiler
 * nodes that ts-morph exposes rather than its wrapped nodes: wrapping every node costs more
 * than the parse itself (see docs/benchmarks.md), and the scanner needs no type checker.
 */
export function analyseFile(file: string, text: string, patterns: ReferencePatterns): ModuleFacts {
  return run(new FileWalker(file, text, patterns, visit));
}

function run(w: FileWalker): ModuleFacts {
  for (const statement of w.sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) w.topFunctions.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer && unwrap(d.initializer);
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) w.topFunctions.add(d.name.text);
      }
    }
  }
  for (const statement of w.sf.statements) w.visit(statement);
  return w.facts;
}

/** Hands each node to the reference form it can be. */
function visit(w: FileWalker, node: TS.Node): void {
  switch (node.kind) {
    case K.ImportDeclaration:
      return importDeclaration(w, node as TS.ImportDeclaration);
    case K.ExportDeclaration:
      return exportDeclaration(w, node as TS.ExportDeclaration);
    case K.ExportAssignment: {
      const expression = (node as TS.ExportAssignment).expression;
      w.facts.exports.set('default', { value: w.valueOf(expression) });
      // `export default (flag) => useFlag(flag)`: a wrapper by the name its importers reach it by.
      const fn = unwrap(expression);
      if (isFunctionNode(fn) && !(ts.isFunctionExpression(fn) && fn.name)) return w.fn(fn, 'default');
      return w.visit(expression);
    }
    case K.VariableStatement:
      return variableStatement(w, node as TS.VariableStatement);
    case K.EnumDeclaration:
      return enumDeclaration(w, node as TS.EnumDeclaration);
    case K.FunctionDeclaration:
    case K.ClassDeclaration: {
      const named = node as TS.FunctionDeclaration | TS.ClassDeclaration;
      if (named.name) {
        const ambient = w.isAmbient(named) || (ts.isFunctionDeclaration(named) && !named.body);
        const passes = ts.isFunctionDeclaration(named) ? returnsParam(named) : undefined;
        w.declare(
          named.name.text,
          { k: 'opaque', why: `${named.name.text} is not a constant`, ...(ambient ? { ambient: true as const } : {}), ...(passes !== undefined ? { returnsParam: passes } : {}) },
          named,
        );
      }
      // `export default function (flag) { … }` has no name of its own: importers reach it as default.
      const anonymousDefault = !named.name && hasModifier(named, K.DefaultKeyword);
      if (node.kind === K.FunctionDeclaration) return w.fn(named as TS.FunctionDeclaration, named.name?.text ?? (anonymousDefault ? 'default' : undefined));
      return inClass(w, named as TS.ClassDeclaration);
    }
    case K.ClassExpression:
      return inClass(w, node as TS.ClassExpression);
    case K.JsxOpeningElement:
    case K.JsxSelfClosingElement:
      jsxElement(w, node as TS.JsxOpeningLikeElement);
      return ts.forEachChild(node, w.visit);
    case K.BinaryExpression: {
      const binary = node as TS.BinaryExpression;
      if (binary.operatorToken.kind === K.EqualsToken) assignment(w, binary);
      return ts.forEachChild(node, w.visit);
    }
    case K.MethodDeclaration:
    case K.GetAccessor:
    case K.SetAccessor:
    case K.Constructor: {
      const method = node as TS.MethodDeclaration;
      return w.fn(method, method.name && ts.isIdentifier(method.name) ? method.name.text : undefined, true);
    }
    case K.ArrowFunction:
    case K.FunctionExpression:
      return w.fn(node as TS.FunctionExpression, (node as TS.FunctionExpression).name?.text);
    case K.PropertyAssignment: {
      const { name, initializer } = node as TS.PropertyAssignment;
      const init = unwrap(initializer);
      if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && ts.isIdentifier(name)) {
        return w.fn(init, name.text, true);
      }
      return ts.forEachChild(node, w.visit);
    }
    case K.Block:
    case K.ModuleBlock:
    case K.CaseBlock:
      return w.inScope(() => ts.forEachChild(node, w.visit));
    case K.ForStatement:
    case K.ForOfStatement:
    case K.ForInStatement:
    case K.CatchClause:
      return w.inScope(() => {
        const declared = ts.isCatchClause(node) ? node.variableDeclaration : (node as TS.ForStatement).initializer;
        const names = declared && ts.isVariableDeclarationList(declared) ? declared.declarations.map((d) => d.name) : [];
        if (declared && ts.isVariableDeclaration(declared)) names.push(declared.name);
        for (const id of names.flatMap(bindingNames)) w.scopes.at(-1)!.set(id, { k: 'opaque', why: `${id} is a loop or catch variable` });
        ts.forEachChild(node, w.visit);
      });
    case K.CallExpression:
      return callExpression(w, node as TS.CallExpression);
    case K.PropertyAccessExpression:
      propertyRead(w, node as TS.PropertyAccessExpression);
      return w.visit((node as TS.PropertyAccessExpression).expression);
    case K.ElementAccessExpression:
      elementRead(w, node as TS.ElementAccessExpression);
      return ts.forEachChild(node, w.visit);
    default:
      return ts.forEachChild(node, w.visit);
  }
}
