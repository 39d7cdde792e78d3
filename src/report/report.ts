import type { Diagnostic } from '../core/shared/diagnostic.js';

/** What every reporter formats: the same diagnostics, plus what the command checked. */
export interface Report {
  command: string;
  tool: { name: string; version: string };
  diagnostics: readonly Diagnostic[];
  /** How many files were checked. */
  files: number;
  /** File → text, for code frames in the text format. */
  sources?: ReadonlyMap<string, string>;
  /** Lines for people, printed before the summary in the text and markdown formats. */
  notes?: readonly string[];
  /** The command's own data, merged into the json output. */
  data?: Record<string, unknown>;
}

export type Reporter = (report: Report) => string;

export { plural } from '../core/shared/diagnostic.js';
