import type { ScanLanguage } from '../../core/definition/config-choices.js';
import { loadGrammar, parserFor, type SyntaxNode } from '../parse/tree-sitter.js';
import { stringValue as goString } from './go/go-walk.js';
import { stringValue as pythonString } from './python/python-walk.js';
import { childrenOf, isComment } from './syntax-tree.js';
import type { TreeSyntax } from './tree/tree-syntax.js';
import type { Mention } from './typescript/mentions.js';

/** What --explain needs of a language tree-sitter parses: its grammar, its string literals, and how it calls. */
interface MentionSyntax {
  grammar: string;
  strings: readonly string[];
  string(node: SyntaxNode): string | undefined;
  call?: TreeSyntax['call'];
  declares?: TreeSyntax['declares'];
  container?: TreeSyntax['container'];
}

const LOADED: Partial<Record<ScanLanguage, () => Promise<MentionSyntax>>> = {
  python: async () => ({ grammar: 'python', string: pythonString, strings: ['string', 'concatenated_string'] }),
  go: async () => ({ grammar: 'go', string: goString, strings: ['interpreted_string_literal', 'raw_string_literal'] }),
  java: async () => described((await import('./java/java-syntax.js')).JAVA),
  kotlin: async () => described((await import('./kotlin/kotlin-syntax.js')).KOTLIN),
  csharp: async () => described((await import('./csharp/csharp-syntax.js')).CSHARP),
  ruby: async () => described((await import('./ruby/ruby-syntax.js')).RUBY),
  php: async () => described((await import('./php/php-syntax.js')).PHP),
};

function described(syntax: TreeSyntax): MentionSyntax {
  return {
    grammar: syntax.grammar,
    strings: syntax.strings,
    string: (node) => syntax.alias?.(node) ?? syntax.string(node),
    call: syntax.call,
    declares: syntax.declares,
    container: syntax.container,
  };
}

/**
 * Every place a file in a language tree-sitter parses writes one of `flags` as a string, or in a
 * comment: what `flagops scan --explain` lists beside the references, as findMentions does for
 * TypeScript.
 */
export async function findTreeMentions(file: string, text: string, flags: readonly string[], language: ScanLanguage): Promise<Mention[]> {
  const load = LOADED[language];
  if (!load || !flags.some((flag) => text.includes(flag))) return [];
  const tree = await load();
  const parsed = parserFor(await loadGrammar(tree.grammar)).parse(text);
  if (!parsed) return [];
  const wanted = new Set(flags);
  const out: Mention[] = [];
  try {
    const visit = (node: SyntaxNode): void => {
      if (isComment(node)) return comment(node, flags, out);
      if (tree.strings.includes(node.type)) {
        const value = tree.string(node);
        if (value !== undefined && wanted.has(value)) {
          const at = { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
          out.push({ flag: value, ...at, text: node.text.slice(0, 60), what: describe(tree, node) });
        }
        return;
      }
      for (const child of node.namedChildren) if (child) visit(child);
    };
    visit(parsed.rootNode);
  } finally {
    parsed.delete();
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function comment(node: SyntaxNode, flags: readonly string[], out: Mention[]): void {
  const at = { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
  for (const flag of flags) {
    for (let i = node.text.indexOf(flag); i !== -1; i = node.text.indexOf(flag, i + flag.length)) {
      const before = node.text.slice(0, i).split('\n');
      const column = before.length === 1 ? at.column + i : before.at(-1)!.length + 1;
      out.push({ flag, line: at.line + before.length - 1, column, text: flag, what: 'in a comment' });
    }
  }
}

/** What the code does with the key, in flagops' terms. */
function describe(tree: MentionSyntax, node: SyntaxNode): string {
  const called = callOf(tree, node);
  if (called) {
    const { name, index } = called;
    return `argument ${index} of ${name}(), which is not a flag call flagops knows (add { name: ${name}, argument: ${index} } to scan.calls if it reads flags)`;
  }
  const holder = holderOf(tree, node);
  if (holder) return `the value of ${holder}: a read through ${holder} is a reference`;
  return 'a string that no flag call reads';
}

/** The call this string is an argument of, a few wrapper nodes up (an argument node, a value_argument). */
function callOf(tree: MentionSyntax, node: SyntaxNode): { name: string; index: number } | undefined {
  let inner = node;
  for (let parent = node.parent, depth = 0; parent && depth < 4; inner = parent, parent = parent.parent, depth++) {
    if (tree.call) {
      const call = tree.call(parent);
      if (call) {
        const index = call.args.findIndex((arg) => arg.id === node.id || arg.id === inner.id);
        return index === -1 ? undefined : { name: call.name, index };
      }
    } else if (parent.type === 'argument_list' && parent.parent) {
      const callee = parent.parent.childForFieldName('function');
      const name = callee?.childForFieldName('attribute')?.text ?? callee?.childForFieldName('field')?.text ?? callee?.text.slice(0, 40) ?? 'it';
      return { name, index: childrenOf(parent).findIndex((arg) => arg.id === node.id) };
    }
  }
  return undefined;
}

/** The name a string is the value of: a constant or variable. */
function holderOf(tree: MentionSyntax, node: SyntaxNode): string | undefined {
  if (tree.declares) {
    for (let parent = node.parent, depth = 0; parent && depth < 4; parent = parent.parent, depth++) {
      const holds = (value: SyntaxNode | undefined) => value !== undefined && value.startIndex <= node.startIndex && node.endIndex <= value.endIndex;
      const name = tree.declares(parent)?.names.find(([, value]) => holds(value))?.[0]
        ?? tree.container?.(parent)?.entries?.find(([, value]) => holds(value))?.[0];
      if (name) return name;
    }
    return undefined;
  }
  const parent = node.parent;
  if (parent?.type === 'assignment') return parent.childForFieldName('left')?.text;
  if (parent?.type === 'expression_list' && parent.parent?.type === 'const_spec') return parent.parent.childForFieldName('name')?.text;
  return undefined;
}
