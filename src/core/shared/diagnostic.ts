export type Severity = 'error' | 'warning' | 'info';

/**
 * One finding, from any stage (loading, schema, semantic rules, later the scanner).
 * Lines and columns are 1-based; `file` is relative to the project root, with `/` separators.
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  flag?: string;
  hint?: string;
}

export interface DiagnosticCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') counts.errors++;
    else if (d.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for every reporter: by file, then position, then severity and code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      severityRank[a.severity] - severityRank[b.severity] ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Shorten user-supplied text for messages, so a 1 MiB value never floods the terminal. */
export function preview(value: unknown, max = 40): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${preview(value)}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** More problems than this in one file are summed up in one diagnostic: the first ones are what to fix. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/**
 * The first `max` diagnostics of each file by position, and for a file with more, one `more-problems`
 * diagnostic where the cut begins that counts the rest (as severe as the worst of them).
 */
export function capPerFile(diagnostics: readonly Diagnostic[], max = MAX_DIAGNOSTICS_PER_FILE): Diagnostic[] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  if ([...byFile.values()].every((list) => list.length <= max)) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const list of byFile.values()) {
    if (list.length <= max) {
      out.push(...list);
      continue;
    }
    const sorted = sortDiagnostics(list);
    const rest = sorted.slice(max);
    const worst = rest.reduce<Severity>((w, d) => (severityRank[d.severity] < severityRank[w] ? d.severity : w), 'info');
    out.push(...sorted.slice(0, max), moreProblems(rest[0]!, rest.length, max, worst));
  }
  return out;
}

/** The one diagnostic that stands for `count` problems not shown, placed where the first of them is. */
export function moreProblems(at: Diagnostic, count: number, shown: number, severity: Severity = 'error'): Diagnostic {
  return {
    severity,
    code: 'more-problems',
    file: at.file,
    line: at.line,
    column: at.column,
    ...(at.flag ? { flag: at.flag } : {}),
    message: `${count} more problem${count === 1 ? '' : 's'} in this file from here on ${count === 1 ? 'is' : 'are'} not shown (flagops shows the first ${shown} of a file).`,
    hint: 'Fix the ones above and run again; a file with this many problems is usually not a flag file, or has one mistake repeated.',
  };
}
