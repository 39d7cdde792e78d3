import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';

/**
 * Parsers for the languages other than TypeScript: tree-sitter's runtime and grammars, compiled to
 * WebAssembly (web-tree-sitter, the grammars of tree-sitter-wasms), so installing flagops needs no
 * compiler. Loading is asynchronous and done once per thread before any file of the language is
 * read; parsing itself is synchronous.
 */
const require = createRequire(import.meta.url);
let runtime: Promise<void> | undefined;
const grammars = new Map<string, Promise<Language>>();
let loading: Promise<unknown> = Promise.resolve();

/** The grammars the scanner's languages use, by their names in tree-sitter-wasms. */
export const GRAMMARS = ['python', 'go', 'java', 'kotlin', 'c_sharp', 'ruby', 'php'] as const;

/**
 * The runtime's and a grammar's .wasm in node_modules. The grammars come from tree-sitter-wasms, a
 * development dependency of 36 grammars (50 MB): the build copies the few the scanner uses into
 * dist/grammars/, and the Action's bundle beside itself.
 */
export const installedWasm = {
  runtime: () => require.resolve('web-tree-sitter/tree-sitter.wasm'),
  grammar: (name: string) => require.resolve(`tree-sitter-wasms/out/tree-sitter-${name}.wasm`),
};

/**
 * Where a .wasm is: beside a bundle (the Action), in dist/grammars/ as seen from the CLI's bundle
 * (dist/cli/) or from this module (dist/scan/parse/), else in node_modules (a source checkout).
 */
function wasm(file: string, installed: () => string): string {
  for (const place of [`./${file}`, `../grammars/${file}`, `../../grammars/${file}`]) {
    const path = fileURLToPath(new URL(place, import.meta.url));
    if (existsSync(path)) return path;
  }
  return installed();
}

/** The grammar of a language, by its name in tree-sitter-wasms (`python`, `go`, `c_sharp` …). */
export function loadGrammar(name: string): Promise<Language> {
  runtime ??= Parser.init({
    locateFile: () => {
      const beside = fileURLToPath(new URL('./tree-sitter.wasm', import.meta.url));
      return existsSync(beside) ? beside : installedWasm.runtime();
    },
  });
  const ready = runtime;
  let grammar = grammars.get(name);
  if (!grammar) {
    const file = `tree-sitter-${name}.wasm`;
    // One at a time: two grammars linked into the runtime at once mix up their symbols.
    grammar = loading.then(() => ready).then(() => Language.load(wasm(file, () => installedWasm.grammar(name))));
    loading = grammar.catch(() => undefined);
    grammars.set(name, grammar);
  }
  return grammar;
}

/** A parser for a loaded grammar: one per language and thread, reused for every file. */
export function parserFor(language: Language): Parser {
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export type { Language, Node as SyntaxNode, Parser, Tree } from 'web-tree-sitter';
