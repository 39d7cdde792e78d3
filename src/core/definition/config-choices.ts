/**
 * The closed sets the configuration chooses from. They live with the configuration, below the
 * scanner and codegen that act on them, so validating a config never loads either.
 */

/** The SDKs whose reference forms the scanner knows (docs/scan.md lists each). */
export const PRESET_NAMES = ['flagops', 'openfeature', 'react', 'launchdarkly', 'unleash', 'growthbook', 'posthog', 'flagsmith', 'flipper', 'feature-management', 'pennant', 'seed-python'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** What a project gets without `scan.presets`: the flagops SDK, OpenFeature and the common React hooks. */
export const DEFAULT_PRESETS: readonly PresetName[] = ['flagops', 'openfeature', 'react'];

/** The SDKs the generated module has typed views of. */
export const CODEGEN_TARGETS = ['flagops', 'openfeature-server', 'openfeature-web', 'openfeature-react'] as const;
export type CodegenTarget = (typeof CODEGEN_TARGETS)[number];

/** The languages the scanner reads (`scan.languages` narrows them). */
export const SCAN_LANGUAGES = ['typescript', 'python', 'go', 'java', 'kotlin', 'csharp', 'ruby', 'php'] as const;
export type ScanLanguage = (typeof SCAN_LANGUAGES)[number];

/** The file extensions of each language: what the default `scan.include` picks, and what discovery hands each adapter. */
export const LANGUAGE_EXTENSIONS: Readonly<Record<ScanLanguage, readonly string[]>> = {
  typescript: ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'],
  python: ['py'],
  go: ['go'],
  java: ['java'],
  kotlin: ['kt', 'kts'],
  csharp: ['cs'],
  ruby: ['rb', 'rake'],
  php: ['php'],
};

/** Every extension the scanner reads, in the order above. */
export const SCANNED_EXTENSIONS: readonly string[] = SCAN_LANGUAGES.flatMap((language) => LANGUAGE_EXTENSIONS[language]);

/** One `scan.ignore` entry: every field given must match. */
export interface IgnoreEntry {
  code?: string;
  flag?: string;
  file?: string;
}
