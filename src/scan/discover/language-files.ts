import { LANGUAGE_EXTENSIONS, SCAN_LANGUAGES, type ScanLanguage } from '../../core/definition/config-choices.js';

/**
 * Which files each language the scanner reads is in, by name: what discovery picks, and what
 * src/scan/facts/languages.ts hands each file to. Kept apart from the adapters so that finding
 * files loads no parser.
 */
export const LANGUAGE_FILES: Readonly<Record<ScanLanguage, RegExp>> = Object.fromEntries(
  SCAN_LANGUAGES.map((language) => [language, new RegExp(`\\.(?:${LANGUAGE_EXTENSIONS[language].join('|')})$`)]),
) as Record<ScanLanguage, RegExp>;

/** The language a file is in, if the scanner reads it. */
export const languageOfFile = (name: string): ScanLanguage | undefined => SCAN_LANGUAGES.find((language) => LANGUAGE_FILES[language].test(name));

/** How messages name each language. */
export const LANGUAGE_LABELS: Readonly<Record<ScanLanguage, string>> = {
  typescript: 'TypeScript',
  python: 'Python',
  go: 'Go',
  java: 'Java',
  kotlin: 'Kotlin',
  csharp: 'C#',
  ruby: 'Ruby',
  php: 'PHP',
};
