import type { ModuleFacts } from '../../core/lifecycle/scan/facts.js';
import type { ReferencePatterns } from '../../core/lifecycle/scan/patterns/patterns.js';
import { LANGUAGE_FILES } from '../discover/language-files.js';
import type { TreeSyntax } from './tree/tree-syntax.js';
import { analyseFile } from './typescript/analyse-file.js';

/**
 * A language the scanner reads: which files are its, and how one file's text becomes the facts
 * every later step works on (core/lifecycle/scan/facts.ts). A new language is an entry here and an
 * adapter folder beside typescript/; resolution and findings need no change.
 */
export interface LanguageAdapter {
  name: string;
  /** The files it reads, by name. */
  files: RegExp;
  /** Loads what parsing needs (a grammar) on this thread, before the first file. */
  prepare?: () => Promise<void>;
  analyse(file: string, text: string, patterns: ReferencePatterns): ModuleFacts;
}

type Adapter = Pick<LanguageAdapter, 'analyse'> & { prepare(): Promise<void> };

/** A language whose adapter loads on first use: a TypeScript-only scan never loads tree-sitter. */
function onFirstUse(name: string, files: RegExp, load: () => Promise<Adapter>): LanguageAdapter {
  let adapter: Adapter | undefined;
  return {
    name,
    files,
    prepare: async () => {
      adapter ??= await load();
      await adapter.prepare();
    },
    analyse: (file, text, patterns) => adapter!.analyse(file, text, patterns),
  };
}

/** A language told by a syntax description, walked by the shared tree walk (tree/tree-walk.ts). */
function described(name: string, files: RegExp, syntax: () => Promise<TreeSyntax>): LanguageAdapter {
  return onFirstUse(name, files, async () => (await import('./tree/tree-adapter.js')).treeAdapter(await syntax()));
}

export const LANGUAGES: readonly LanguageAdapter[] = [
  { name: 'TypeScript and JavaScript', files: LANGUAGE_FILES.typescript, analyse: analyseFile },
  onFirstUse('Python', LANGUAGE_FILES.python, async () => {
    const { analysePython, preparePython } = await import('./python/analyse-python.js');
    return { prepare: preparePython, analyse: analysePython };
  }),
  onFirstUse('Go', LANGUAGE_FILES.go, async () => {
    const { analyseGo, prepareGo } = await import('./go/analyse-go.js');
    return { prepare: prepareGo, analyse: analyseGo };
  }),
  described('Java', LANGUAGE_FILES.java, async () => (await import('./java/java-syntax.js')).JAVA),
  described('Kotlin', LANGUAGE_FILES.kotlin, async () => (await import('./kotlin/kotlin-syntax.js')).KOTLIN),
  described('C#', LANGUAGE_FILES.csharp, async () => (await import('./csharp/csharp-syntax.js')).CSHARP),
  described('Ruby', LANGUAGE_FILES.ruby, async () => (await import('./ruby/ruby-syntax.js')).RUBY),
  described('PHP', LANGUAGE_FILES.php, async () => (await import('./php/php-syntax.js')).PHP),
];

/** Makes every language these files are in ready to parse on this thread. */
export async function prepareLanguages(files: readonly string[]): Promise<void> {
  const needed = LANGUAGES.filter((language) => language.prepare && files.some((file) => language.files.test(file)));
  await Promise.all(needed.map((language) => language.prepare!()));
}

/** The adapter for a file, if the scanner reads its language. */
export const languageOf = (file: string): LanguageAdapter | undefined => LANGUAGES.find((language) => language.files.test(file));
