import { readFileSync, statSync } from 'node:fs';
import type { ModuleFacts } from '../core/scan/facts.js';
import type { ReferencePatterns } from '../core/scan/patterns.js';
import { analyseFile } from './analyse-file.js';

export type SourceOutcome =
  | { shown: string; facts: ModuleFacts }
  | { shown: string; tooLarge: number }
  | { shown: string; unreadable: string };

/** Reads one source file and analyses it; the same in a worker and on the main thread. */
export function analyseSource(path: string, shown: string, patterns: ReferencePatterns, maxFileBytes: number): SourceOutcome {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > maxFileBytes) return { shown, tooLarge: size };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { shown, unreadable: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
  return { shown, facts: analyseFile(shown, text, patterns) };
}
