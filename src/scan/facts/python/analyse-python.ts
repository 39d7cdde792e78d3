import { emptyFacts, type ModuleFacts } from '../../../core/lifecycle/scan/facts.js';
import { callsIn, type ReferencePatterns } from '../../../core/lifecycle/scan/patterns/patterns.js';
import { type Language, loadGrammar, type Parser, parserFor, type SyntaxNode } from '../../parse/tree-sitter.js';
import { call } from './calls.js';
import { assignment, classConstants, importFrom, importModule } from './module-structure.js';
import { childrenOf, type EnclosingFunction, inDocumentOrder } from '../syntax-tree.js';
import type { PythonWalk } from './python-walk.js';

/**
 * The Python adapter: one file's syntax tree (tree-sitter's Python grammar) to the facts every
 * later step reads, the same shape the TypeScript adapter emits.
 */
let parser: Parser | undefined;

/** Loads the grammar on this thread; analysePython may run once it has resolved. */
export async function preparePython(): Promise<void> {
  const language: Language = await loadGrammar('python');
  parser ??= parserFor(language);
}

export function analysePython(file: string, text: string, patterns: ReferencePatterns): ModuleFacts {
  if (!parser) throw new Error('The Python grammar is not loaded: preparePython() first.');
  const facts = emptyFacts(file, text);
  const tree = parser.parse(text);
  if (!tree) return facts;
  try {
    const root = tree.rootNode;
    const w: PythonWalk = { text, facts, calls: callsIn(patterns, 'python'), topFunctions: functionsIn(root), classes: [] };
    walk(w, root);
  } finally {
    // The tree lives in WebAssembly memory, outside the garbage collector.
    tree.delete();
  }
  return facts;
}

/** The functions defined directly in a module or a class body. */
function functionsIn(block: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const statement of childrenOf(block)) {
    const fn = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const name = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
    if (name) names.add(name);
  }
  return names;
}

/** The node types the walk acts on; everything else is looked at only through them. */
const PYTHON_TYPES = ['import_from_statement', 'import_statement', 'assignment', 'class_definition', 'function_definition', 'call'];

/** Whether a statement stands directly in a class body (a decorator between them is no level). */
function inClassBody(node: SyntaxNode): boolean {
  const statement = node.parent?.type === 'decorated_definition' || node.parent?.type === 'expression_statement' ? node.parent : node;
  return statement.parent?.type === 'block' && statement.parent.parent?.type === 'class_definition';
}

function walk(w: PythonWalk, root: SyntaxNode): void {
  inDocumentOrder(root, PYTHON_TYPES, (node, open) => {
    switch (node.type) {
      case 'import_from_statement':
        if (!w.fn) importFrom(w, node);
        return;
      case 'import_statement':
        if (!w.fn) importModule(w, node);
        return;
      case 'assignment':
        // A class body's attributes are the class's constants, read by classConstants.
        if (!inClassBody(node)) assignment(w, node);
        return;
      case 'class_definition': {
        classConstants(w, node);
        const body = node.childForFieldName('body');
        if (!body) return;
        w.classes.push(functionsIn(body));
        open(() => w.classes.pop());
        return;
      }
      case 'function_definition': {
        const fn = functionOf(w, node, inClassBody(node));
        if (!fn) return;
        const outer = w.fn;
        w.fn = fn;
        open(() => (w.fn = outer));
        return;
      }
      case 'call':
        call(w, node);
    }
  });
}

/** A function the walk enters: its parameters (what makes a wrapper) and, later, its constants. */
function functionOf(w: PythonWalk, node: SyntaxNode, method: boolean): EnclosingFunction | undefined {
  const name = node.childForFieldName('name')?.text;
  const parameters = node.childForFieldName('parameters');
  if (!name || !parameters || !node.childForFieldName('body')) return undefined;
  w.facts.functions.push([name, node.startPosition.row + 1]);
  const decorators = node.parent?.type === 'decorated_definition' ? node.parent.text : '';
  // A method's first parameter is the instance (or the class): callers pass the rest.
  const skipFirst = method && !/@staticmethod\b/.test(decorators);
  const params = new Map<string, number>();
  let index = skipFirst ? -1 : 0;
  for (const param of childrenOf(parameters)) {
    const id = param.type === 'identifier' ? param : param.type === 'typed_parameter' ? childrenOf(param).find((c) => c.type === 'identifier') : param.childForFieldName('name');
    if (['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator'].includes(param.type)) continue;
    if (id?.type === 'identifier' && index >= 0) params.set(id.text, index);
    index++;
  }
  return { name, params, method, locals: new Map() };
}
