import { readBounded } from '../../files/read-bounded.js';
import type { ModuleFacts } from '../../core/lifecycle/scan/facts.js';
import type { ReferencePatterns } from '../../core/lifecycle/scan/patterns/patterns.js';
import { languageOf } from './languages.js';

export type SourceOutcome =
  | { shown: string; facts: ModuleFacts }
  | { shown: string; tooLarge: number }
  | { shown: string; unreadable: string };

/** Why a file whose syntax is nested deeper than a walk's stack is not read. */
export const TOO_DEEP = 'nested too deeply';

/** Reads one source file and analyses it in its language; the same in a worker and on the main thread. */
export function analyseSource(path: string, shown: string, patterns: ReferencePatterns, maxFileBytes: number): SourceOutcome {
  // Regular files only, never past the limit: a FIFO or a device among the sources must not hang the scan.
  const read = readBounded(path, maxFileBytes);
  if ('tooLarge' in read) return { shown, tooLarge: read.tooLarge };
  if ('notRegular' in read) return { shown, unreadable: read.notRegular };
  if ('error' in read) return { shown, unreadable: read.error };
  if ('outside' in read) return { shown, unreadable: 'outside the project' };
  const language = languageOf(shown);
  if (!language) return { shown, unreadable: 'in no language the scanner reads' };
  try {
    return { shown, facts: language.analyse(shown, read.bytes.toString('utf8'), patterns) };
  } catch (error) {
    // Code nested thousands of levels deep (generated, or hostile) is deeper than a walk's stack.
    if (error instanceof RangeError) return { shown, unreadable: TOO_DEEP };
    throw error;
  }
}
