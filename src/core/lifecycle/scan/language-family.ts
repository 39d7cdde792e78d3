import { LANGUAGE_EXTENSIONS, SCAN_LANGUAGES, type ScanLanguage } from '../../definition/config-choices.js';

/**
 * Languages whose code calls each other's functions directly: Java and Kotlin share the JVM;
 * every other language calls only its own. A call in one family is never tied to a function
 * defined in another, whatever their names.
 */
const FAMILIES: Partial<Record<ScanLanguage, string>> = { kotlin: 'java' };

const BY_EXTENSION = new Map(SCAN_LANGUAGES.flatMap((language) => LANGUAGE_EXTENSIONS[language].map((extension) => [extension, language] as const)));

/** The family a source file's language is in, by its extension; undefined for a file of no language the scanner reads. */
export function languageFamily(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  const language = dot === -1 ? undefined : BY_EXTENSION.get(file.slice(dot + 1));
  return language === undefined ? undefined : (FAMILIES[language] ?? language);
}
