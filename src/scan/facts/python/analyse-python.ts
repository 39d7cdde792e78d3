import { emptyFacts, type ModuleFacts } from '../../../core/lifecycle/scan/facts.js';
import { callsIn, type ReferencePatterns } from '../../../core/lifecycle/scan/patterns/patterns.js';
import { type Language, loadGrammar, type Parser, parserFor, type SyntaxNode } from '../../parse/tree-sitter.js';
import { call } from './calls.js';
import { assignment, classConstants, importFrom, importModule } from './module-structure.js';
import { childrenOf, type EnclosingFunction } from '../syntax-tree.js';
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
    visit(w, root, false);
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

/** Hands each node to the form it can be; `inClass`: directly in a class body (its functions are methods). */
function visit(w: PythonWalk, node: SyntaxNode, inClass: boolean): void {
  switch (node.type) {
    case 'import_from_statement':
      if (!w.fn) importFrom(w, node);
      return;
    case 'import_statement':
      if (!w.fn) importModule(w, node);
      return;
    case 'assignment':
      if (!inClass) assignment(w, node);
      break;
    case 'class_definition': {
      classConstants(w, node);
      const body = node.childForFieldName('body');
      if (!body) return;
      w.classes.push(functionsIn(body));
      try {
        for (const child of childrenOf(body)) visit(w, child, true);
      } finally {
        w.classes.pop();
      }
      return;
    }
    case 'function_definition':
      return functionDefinition(w, node, inClass);
    case 'call':
      call(w, node);
      break;
  }
  // A class body's statements keep being in the class: its decorated methods, its attributes.
  const stays = inClass && (node.type === 'decorated_definition' || node.type === 'expression_statement');
  for (const child of childrenOf(node)) visit(w, child, stays);
}

function functionDefinition(w: PythonWalk, node: SyntaxNode, method: boolean): void {
  const name = node.childForFieldName('name')?.text;
  const parameters = node.childForFieldName('parameters');
  const body = node.childForFieldName('body');
  if (!name || !parameters || !body) return;
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
  const fn: EnclosingFunction = { name, params, method, locals: new Map() };
  const outer = w.fn;
  w.fn = fn;
  try {
    for (const param of childrenOf(parameters)) visit(w, param, false);
    visit(w, body, false);
  } finally {
    w.fn = outer;
  }
}
