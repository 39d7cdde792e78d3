import type { ModuleFacts } from '../../../core/lifecycle/scan/facts.js';
import type { ReferencePatterns } from '../../../core/lifecycle/scan/patterns/patterns.js';
import { loadGrammar, type Parser, parserFor } from '../../parse/tree-sitter.js';
import type { TreeSyntax } from './tree-syntax.js';
import { analyseTree } from './tree-walk.js';

/** A language adapter from its syntax description: its grammar loaded once per thread, then the shared walk. */
export function treeAdapter(syntax: TreeSyntax): {
  prepare(): Promise<void>;
  analyse(file: string, text: string, patterns: ReferencePatterns): ModuleFacts;
} {
  let parser: Parser | undefined;
  return {
    prepare: async () => {
      parser ??= parserFor(await loadGrammar(syntax.grammar));
    },
    analyse: (file, text, patterns) => {
      if (!parser) throw new Error(`The ${syntax.grammar} grammar is not loaded: prepare() first.`);
      return analyseTree(syntax, parser, file, text, patterns);
    },
  };
}
