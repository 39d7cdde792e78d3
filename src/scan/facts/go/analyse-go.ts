import { emptyFacts, type ModuleFacts } from '../../../core/lifecycle/scan/facts.js';
import { callsIn, type ReferencePatterns } from '../../../core/lifecycle/scan/patterns/patterns.js';
import { loadGrammar, type Parser, parserFor, type SyntaxNode } from '../../parse/tree-sitter.js';
import { childrenOf, type EnclosingFunction, inDocumentOrder } from '../syntax-tree.js';
import { call } from './calls.js';
import { type GoWalk, stringValue, valueOf } from './go-walk.js';

/**
 * The Go adapter: one file's syntax tree (tree-sitter's Go grammar) to the facts every later step
 * reads. Package-level constants are shared by a package's files and imported by path.
 */
let parser: Parser | undefined;

export async function prepareGo(): Promise<void> {
  parser ??= parserFor(await loadGrammar('go'));
}

export function analyseGo(file: string, text: string, patterns: ReferencePatterns): ModuleFacts {
  if (!parser) throw new Error('The Go grammar is not loaded: prepareGo() first.');
  const facts = emptyFacts(file, text);
  const tree = parser.parse(text);
  if (!tree) return facts;
  try {
    const root = tree.rootNode;
    const w: GoWalk = {
      text,
      facts,
      calls: callsIn(patterns, 'go'),
      packages: new Map(),
      topFunctions: new Set(),
      declared: new Set(),
      types: new Set(),
    };
    for (const statement of childrenOf(root)) {
      if (statement.type === 'import_declaration') imports(w, statement);
      if (statement.type === 'function_declaration') w.topFunctions.add(statement.childForFieldName('name')?.text ?? '');
      if (statement.type === 'const_declaration' || statement.type === 'var_declaration') for (const [name] of specs(statement)) w.declared.add(name);
      if (statement.type === 'type_declaration') for (const spec of statement.descendantsOfType('type_spec')) w.types.add(spec?.childForFieldName('name')?.text ?? '');
    }
    walk(w, root);
  } finally {
    // The tree lives in WebAssembly memory, outside the garbage collector.
    tree.delete();
  }
  return facts;
}

/** `import of "github.com/open-feature/go-sdk/openfeature"`: the name the file uses, and the path. */
function imports(w: GoWalk, node: SyntaxNode): void {
  for (const spec of node.descendantsOfType('import_spec')) {
    const path = spec?.childForFieldName('path');
    const value = path ? stringValue(path) : undefined;
    if (!spec || value === undefined) continue;
    const name = spec.childForFieldName('name')?.text;
    if (name === '_' || name === '.') continue;
    // A package is named after its folder; gopkg.in/yaml.v3 and github.com/x/y/v2 by the part before the version.
    const segments = value.split('/').filter((s) => !/^v\d+$/.test(s));
    w.packages.set(name ?? segments.at(-1)!.replace(/\.v\d+$/, '').replace(/^go-/, ''), value);
  }
}

/** Each name of a const or var declaration with its value node (the n-th value of `a, b = x, y`). */
function specs(node: SyntaxNode): [string, SyntaxNode | undefined][] {
  const out: [string, SyntaxNode | undefined][] = [];
  for (const spec of node.descendantsOfType(['const_spec', 'var_spec'])) {
    if (!spec) continue;
    const names = childrenOf(spec).filter((c) => c.type === 'identifier' && spec.childForFieldName('value')?.id !== c.id);
    const values = spec.childForFieldName('value');
    const listed = values ? childrenOf(values) : [];
    names.forEach((name, i) => out.push([name.text, listed[i]]));
  }
  return out;
}

/** The node types the walk acts on; everything else is looked at only through them. */
const GO_TYPES = ['const_declaration', 'var_declaration', 'short_var_declaration', 'function_declaration', 'method_declaration', 'func_literal', 'call_expression'];

function walk(w: GoWalk, root: SyntaxNode): void {
  inDocumentOrder(root, GO_TYPES, (node, open) => {
    switch (node.type) {
      case 'const_declaration':
      case 'var_declaration':
        if (!w.fn) {
          const isConst = node.type === 'const_declaration';
          for (const [name, value] of specs(node)) {
            w.facts.declarations.set(name, value && isConst ? valueOf(w, value) : { k: 'opaque', why: isConst ? `${name} is iota` : `${name} is a variable` });
            w.facts.exports.set(name, { local: name });
          }
        } else {
          for (const [name, value] of specs(node)) if (value) w.fn.locals.set(name, valueOf(w, value));
        }
        return;
      case 'short_var_declaration':
        if (w.fn) shortDeclaration(w.fn, w, node);
        return;
      case 'function_declaration':
      case 'method_declaration':
      case 'func_literal': {
        const fn = functionOf(w, node);
        if (!fn) return;
        const outer = w.fn;
        w.fn = fn;
        open(() => (w.fn = outer));
        return;
      }
      case 'call_expression':
        call(w, node);
    }
  });
}

function shortDeclaration(fn: EnclosingFunction, w: GoWalk, node: SyntaxNode): void {
  const left = childrenOf(node.childForFieldName('left') ?? node);
  const right = node.childForFieldName('right');
  const values = right ? childrenOf(right) : [];
  left.forEach((name, i) => {
    const value = values[i];
    if (name.type === 'identifier') fn.locals.set(name.text, value && left.length === values.length ? valueOf(w, value) : { k: 'opaque', why: `${name.text} is a variable` });
  });
}

/** A function the walk enters: its parameters (what makes a wrapper) and, later, its constants. */
function functionOf(w: GoWalk, node: SyntaxNode): EnclosingFunction | undefined {
  const name = node.childForFieldName('name')?.text;
  const parameters = node.childForFieldName('parameters');
  if (!parameters || !node.childForFieldName('body')) return undefined;
  if (name) w.facts.functions.push([name, node.startPosition.row + 1]);
  const params = new Map<string, number>();
  let index = 0;
  for (const declaration of childrenOf(parameters)) {
    const names = childrenOf(declaration).filter((c) => c.type === 'identifier');
    for (const id of names.length > 0 ? names : [undefined]) {
      if (id) params.set(id.text, index);
      index++;
    }
  }
  return { name: name ?? '', params: name ? params : new Map(), method: node.type === 'method_declaration', locals: new Map() };
}
