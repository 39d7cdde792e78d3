import type { ScanLanguage } from '../../core/definition/config-choices.js';
import { loadGrammar, parserFor, type SyntaxNode } from '../parse/tree-sitter.js';
import { stringValue as goString } from './go/go-walk.js';
import { stringValue as pythonString } from './python/python-walk.js';
import { childrenOf } from './syntax-tree.js';
import type { Mention } from './typescript/mentions.js';

/** The grammar and the string literals of each language tree-sitter parses, for --explain. */
const TREE_LANGUAGES: Partial<Record<ScanLanguage, { grammar: string; string: (node: SyntaxNode) => string | undefined; strings: string[] }>> = {
  python: { grammar: 'python', string: pythonString, strings: ['string', 'concatenated_string'] },
  go: { grammar: 'go', string: goString, strings: ['interpreted_string_literal', 'raw_string_literal'] },
};

/**
 * Every place a Python or Go file writes one of `flags` as a string, or in a comment: what
 * `flagops scan --explain` lists beside the references, as findMentions does for TypeScript.
 */
export async function findTreeMentions(file: string, text: string, flags: readonly string[], language: ScanLanguage): Promise<Mention[]> {
  const tree = TREE_LANGUAGES[language];
  if (!tree || !flags.some((flag) => text.includes(flag))) return [];
  const parsed = parserFor(await loadGrammar(tree.grammar)).parse(text);
  if (!parsed) return [];
  const wanted = new Set(flags);
  const out: Mention[] = [];
  try {
    for (const node of parsed.rootNode.descendantsOfType([...tree.strings, 'comment'])) {
      if (!node || (node.parent && tree.strings.includes(node.parent.type))) continue;
      const at = { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
      if (node.type === 'comment') {
        for (const flag of flags) {
          for (let i = node.text.indexOf(flag); i !== -1; i = node.text.indexOf(flag, i + flag.length)) {
            const before = node.text.slice(0, i).split('\n');
            const column = before.length === 1 ? at.column + i : before.at(-1)!.length + 1;
            out.push({ flag, line: at.line + before.length - 1, column, text: flag, what: 'in a comment' });
          }
        }
        continue;
      }
      const value = tree.string(node);
      if (value !== undefined && wanted.has(value)) out.push({ flag: value, ...at, text: node.text.slice(0, 60), what: describe(node) });
    }
  } finally {
    parsed.delete();
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** What the code does with the key, in flagops' terms. */
function describe(node: SyntaxNode): string {
  const parent = node.parent;
  const call = parent?.type === 'argument_list' ? parent.parent : undefined;
  if (call && parent) {
    const callee = call.childForFieldName('function');
    const name = callee?.childForFieldName('attribute')?.text ?? callee?.childForFieldName('field')?.text ?? callee?.text.slice(0, 40) ?? 'it';
    const i = childrenOf(parent).findIndex((arg) => arg.id === node.id);
    return `argument ${i} of ${name}(), which is not a flag call flagops knows (add { name: ${name}, argument: ${i} } to scan.calls if it reads flags)`;
  }
  const holder = parent?.type === 'assignment' ? parent.childForFieldName('left') : parent?.type === 'expression_list' && parent.parent?.type === 'const_spec' ? parent.parent.childForFieldName('name') : undefined;
  if (holder) return `the value of ${holder.text}: a read through ${holder.text} is a reference`;
  return 'a string that no flag call reads';
}
