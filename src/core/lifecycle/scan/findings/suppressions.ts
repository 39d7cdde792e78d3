import type { Diagnostic } from '../../../shared/diagnostic.js';
import type { IgnoreEntry } from '../../../definition/config-choices.js';
import { globMatcher } from '../../../shared/glob.js';

const MARKER = 'flagops-ignore-next-line';

/**
 * Lines silenced by `// flagops-ignore-next-line [code, …]` (or `#` in YAML): line number → codes,
 * an empty list meaning every code. Text after `--` is a reason for people.
 */
export function suppressedLines(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let at = text.indexOf(MARKER);
  while (at !== -1) {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
    const end = text.indexOf('\n', at);
    const rest = text.slice(at + MARKER.length, end === -1 ? undefined : end).split('--')[0]!;
    const codes = rest.match(/[a-z][a-z0-9-]*/g) ?? [];
    out.set(line + 1, [...(out.get(line + 1) ?? []), ...codes]);
    at = text.indexOf(MARKER, at + MARKER.length);
  }
  return out;
}

/** Drops the findings silenced by a comment on the line above or by a `scan.ignore` entry. */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  textOf: (file: string) => string | undefined,
  ignore: readonly IgnoreEntry[],
): { kept: Diagnostic[]; suppressed: number } {
  const entries = ignore.map((e) => ({
    code: e.code,
    flag: e.flag === undefined ? undefined : globMatcher([e.flag]),
    file: e.file === undefined ? undefined : globMatcher([e.file]),
  }));
  const byFile = new Map<string, Map<number, string[]>>();
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    let lines = byFile.get(d.file);
    if (!lines) {
      const text = textOf(d.file);
      lines = text?.includes(MARKER) ? suppressedLines(text) : new Map<number, string[]>();
      byFile.set(d.file, lines);
    }
    const codes = lines.get(d.line);
    const byComment = codes !== undefined && (codes.length === 0 || codes.includes(d.code));
    const byConfig = entries.some(
      (e) =>
        (e.code === undefined || e.code === d.code) &&
        (e.flag === undefined || (d.flag !== undefined && e.flag(d.flag))) &&
        (e.file === undefined || e.file(d.file)),
    );
    if (!byComment && !byConfig) kept.push(d);
  }
  return { kept, suppressed: diagnostics.length - kept.length };
}
