import type { ModuleFacts } from '../../core/lifecycle/scan/facts.js';
import type { ReferencePatterns } from '../../core/lifecycle/scan/patterns/patterns.js';
import { SOURCE_EXTENSIONS } from '../discover/discover.js';
import { analyseFile } from './typescript/analyse-file.js';

/**
 * A language the scanner reads: which files are its, and how one file's text becomes the facts
 * every later step works on (core/lifecycle/scan/facts.ts). A new language is an entry here, an
 * adapter folder beside typescript/ and its file names in discover's SOURCE_EXTENSIONS;
 * resolution and findings need no change.
 */
export interface LanguageAdapter {
  name: string;
  /** The files it reads, by name. */
  files: RegExp;
  analyse(file: string, text: string, patterns: ReferencePatterns): ModuleFacts;
}

export const LANGUAGES: readonly LanguageAdapter[] = [
  { name: 'TypeScript and JavaScript', files: SOURCE_EXTENSIONS, analyse: analyseFile },
];

/** The adapter for a file, if the scanner reads its language. */
export const languageOf = (file: string): LanguageAdapter | undefined => LANGUAGES.find((language) => language.files.test(file));
