import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import { camelCase, constantCase, snakeCase } from '../../../core/definition/key-aliases.js';

/** A place where a flag's key (or one of its property-name forms) is written, and what it is there. */
export interface Mention {
  flag: string;
  line: number;
  column: number;
  text: string;
  /** What the code does with it, as flagops reads it. */
  what: string;
}

const SCRIPT_KIND: Record<string, TS.ScriptKind> = {
  tsx: ts.ScriptKind.TSX,
  jsx: ts.ScriptKind.JSX,
  js: ts.ScriptKind.JS,
  mjs: ts.ScriptKind.JS,
  cjs: ts.ScriptKind.JS,
};

/**
 * Every place in one file's text that writes one of `flags` as a string, or as an identifier in
 * one of its case forms: what `flagops scan --explain` lists beside the references, so a key the
 * scan did not read ("why is my flag unused?") is seen with the reason.
 */
export function findMentions(file: string, text: string, flags: readonly string[]): Mention[] {
  const needles = new Map<string, string>();
  for (const flag of flags) {
    needles.set(flag, flag);
    for (const alias of [camelCase(flag), snakeCase(flag), constantCase(flag)]) if (/^[A-Za-z_$][\w$]*$/.test(alias) && !needles.has(alias)) needles.set(alias, flag);
  }
  if (![...needles.keys()].some((n) => text.includes(n))) return [];
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, SCRIPT_KIND[/\.(\w+)$/.exec(file)?.[1] ?? ''] ?? ts.ScriptKind.TS);
  const out: Mention[] = [];
  const seen = new Set<number>();
  const add = (node: TS.Node, flag: string, what: string) => {
    const start = node.getStart(sf);
    if (seen.has(start)) return;
    seen.add(start);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    out.push({ flag, line: line + 1, column: character + 1, text: node.getText(sf).slice(0, 60), what });
  };
  const visit = (node: TS.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isIdentifier(node)) {
      const flag = needles.get(node.text);
      if (flag !== undefined && (ts.isStringLiteralLike(node) ? node.text === flag : true)) add(node, flag, describe(node, sf));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // The key in comments: the parse does not see them.
  for (const flag of flags) {
    for (let at = text.indexOf(flag); at !== -1; at = text.indexOf(flag, at + flag.length)) {
      if (inComment(sf, at)) {
        const { line, character } = sf.getLineAndCharacterOfPosition(at);
        out.push({ flag, line: line + 1, column: character + 1, text: flag, what: 'in a comment' });
      }
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function inComment(sf: TS.SourceFile, at: number): boolean {
  let inside = false;
  const visit = (node: TS.Node): void => {
    if (inside || at < node.pos || at >= node.end) return;
    const ranges = [...(ts.getLeadingCommentRanges(sf.text, node.pos) ?? []), ...(ts.getTrailingCommentRanges(sf.text, node.end) ?? [])];
    if (ranges.some((r) => at >= r.pos && at < r.end)) {
      inside = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!inside) inside = (ts.getLeadingCommentRanges(sf.text, sf.endOfFileToken.pos) ?? []).some((r) => at >= r.pos && at < r.end);
  return inside;
}

function calleeText(call: TS.CallExpression | TS.NewExpression, sf: TS.SourceFile): string {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return callee.getText(sf).slice(0, 40);
}

/** What the code does with the key at this node, in flagops' terms. */
function describe(node: TS.Node, sf: TS.SourceFile): string {
  const parent = node.parent;
  // `FLAGS.NEW_NAV` and `FLAGS['new-nav']` as a whole: what is the expression passed to?
  let whole: TS.Node = node;
  while (
    (ts.isPropertyAccessExpression(whole.parent) && whole.parent.name === whole) ||
    (ts.isElementAccessExpression(whole.parent) && whole.parent.argumentExpression === whole)
  ) whole = whole.parent;
  const call = whole.parent;
  if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.includes(whole as TS.Expression)) {
    const name = calleeText(call, sf);
    const i = call.arguments.indexOf(whole as TS.Expression);
    const as = whole === node ? '' : ` (as ${whole.getText(sf).slice(0, 40)})`;
    return `argument ${i} of ${name}()${as}, which is not a flag call flagops knows (add { name: ${name}, argument: ${i} } to scan.calls if it reads flags)`;
  }
  if (ts.isStringLiteralLike(node)) {
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return `the value of ${parent.name.text}: a read through ${parent.name.text} is a reference`;
    if (ts.isPropertyAssignment(parent) && parent.initializer === node) return `the value of ${parent.name.getText(sf)}: a read through that property is a reference`;
    if (ts.isEnumMember(parent)) return `the value of ${parent.name.getText(sf)}: a read through that member is a reference`;
    if (ts.isJsxAttribute(parent)) return `the attribute ${parent.name.getText(sf)} of an element that is not a flag component flagops knows (add it to scan.jsx)`;
    if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return 'a module name';
    return 'a string that no flag call reads';
  }
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
    const object = parent.expression.getText(sf).slice(0, 40);
    return `a property of ${object}, which is not a flags object flagops knows (add ${object.split('.').pop()} to scan.maps, or its hook to scan.hooks, if it is one)`;
  }
  if (ts.isBindingElement(parent)) return 'a name destructured from an object that is not a flags object flagops knows (add its hook to scan.hooks if it is one)';
  if (ts.isPropertyAssignment(parent) && parent.name === node) return 'a property name in an object';
  if (ts.isVariableDeclaration(parent) && parent.name === node) return 'a name declared here';
  return 'a name in the code';
}
