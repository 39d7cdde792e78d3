import type { ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import type { SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf } from '../syntax-tree.js';
import { type PythonWalk, valueOf } from './python-walk.js';

/** The module structure of a Python file: its imports, and the constants and classes every other module can import. */

/** `from app.flags import NEW_CHECKOUT as NC` and `from .flags import X`: names bound to another module's. */
export function importFrom(w: PythonWalk, node: SyntaxNode): void {
  const module = node.childForFieldName('module_name');
  if (!module) return;
  const from = module.text.replace(/\s+/g, '');
  for (const child of childrenOf(node)) {
    if (child.id === module.id) continue;
    if (child.type === 'wildcard_import') {
      // Every public name of the module is this module's too, and passed on.
      w.facts.starImports.push(from);
      w.facts.starExports.push(from);
      continue;
    }
    const [name, local] = importedName(child);
    if (name === undefined) continue;
    // `from app import flags` may name the module app/flags.py rather than a name app/__init__.py holds.
    w.facts.imports.set(local, { from, name, orModule: `${from}${from.endsWith('.') ? '' : '.'}${name}` });
    // A package's __init__.py that imports a name passes it on: `from app.flags import X` finds it there.
    w.facts.exports.set(local, { from, name });
  }
}

/** `import app.flags as f` binds f to the module; a bare `import flags` binds flags. */
export function importModule(w: PythonWalk, node: SyntaxNode): void {
  for (const child of childrenOf(node)) {
    if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name')?.text;
      const alias = child.childForFieldName('alias')?.text;
      if (name && alias) w.facts.imports.set(alias, { from: name, name: '*' });
    } else if (child.type === 'dotted_name') {
      // `import app.flags` binds app, and app.flags.X reads the module app.flags: kept under its dotted name.
      w.facts.imports.set(child.text, { from: child.text, name: '*' });
    }
  }
}

function importedName(node: SyntaxNode): [name: string | undefined, local: string] {
  if (node.type === 'aliased_import') {
    const name = node.childForFieldName('name')?.text;
    return [name, node.childForFieldName('alias')?.text ?? name ?? ''];
  }
  return node.type === 'dotted_name' ? [node.text, node.text] : [undefined, ''];
}

/** `NEW_CHECKOUT = "new-checkout"` (annotated or not) at module level or in a function. */
export function assignment(w: PythonWalk, node: SyntaxNode): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'identifier' || !right) return;
  declare(w, left.text, valueOf(w, right));
}

function declare(w: PythonWalk, name: string, value: ValueExpr): void {
  if (w.fn) {
    w.fn.locals.set(name, value);
    return;
  }
  // Names assigned twice at module level are not constants.
  const before = w.facts.declarations.get(name);
  w.facts.declarations.set(name, before ? { k: 'opaque', why: `${name} is assigned more than once` } : value);
  w.facts.exports.set(name, { local: name });
}

/**
 * A module-level class: its class attributes (an `Enum`'s members, a constants holder) are
 * readable as `Flags.NEW_CHECKOUT`; its methods are walked by the caller.
 */
export function classConstants(w: PythonWalk, node: SyntaxNode): void {
  const name = node.childForFieldName('name')?.text;
  const body = node.childForFieldName('body');
  if (!name || !body || w.fn) return;
  const props: [string, ValueExpr][] = [];
  for (const statement of childrenOf(body)) {
    const assigned = statement.type === 'expression_statement' ? childrenOf(statement)[0] : undefined;
    if (assigned?.type !== 'assignment') continue;
    const left = assigned.childForFieldName('left');
    const right = assigned.childForFieldName('right');
    if (left?.type === 'identifier' && right) props.push([left.text, valueOf(w, right)]);
  }
  declare(w, name, { k: 'obj', props });
}
