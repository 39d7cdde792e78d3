import { countDiagnostics, sortDiagnostics } from '../core/shared/diagnostic.js';
import { displayWidth } from './display-width.js';
import { plural, type Report } from './report.js';

export interface TextOptions {
  color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Human output: file:line:col, severity and code, message, the line with a caret, and a hint. */
export function formatText(report: Report, options: TextOptions = { color: false }): string {
  const c = options.color;
  const lines: string[] = [];
  // Split each source once, not once per diagnostic (a file with many problems made this quadratic).
  const split = new Map<string, string[]>();
  const linesOf = (file: string) => {
    const source = report.sources?.get(file);
    if (source === undefined) return undefined;
    let cached = split.get(file);
    if (!cached) split.set(file, (cached = source.split(/\r?\n/)));
    return cached;
  };
  for (const d of sortDiagnostics(report.diagnostics)) {
    const severity =
      d.severity === 'error'
        ? paint(c, '31', 'error')
        : d.severity === 'warning'
          ? paint(c, '33', 'warning')
          : paint(c, '36', 'info');
    lines.push(`${paint(c, '1', `${d.file}:${d.line}:${d.column}`)} ${severity} ${paint(c, '2', d.code)}`);
    lines.push(`  ${d.message}`);
    const frame = codeFrame(linesOf(d.file), d.line, d.column, d.endLine, d.endColumn);
    if (frame) lines.push(...frame.map((l) => `  ${paint(c, '2', l)}`));
    if (d.hint) lines.push(`  ${paint(c, '36', 'hint:')} ${d.hint}`);
    lines.push('');
  }
  for (const note of report.notes ?? []) lines.push(note);
  lines.push(summaryLine(report, c));
  return `${lines.join('\n')}\n`;
}

function summaryLine(report: Report, color: boolean): string {
  const { errors, warnings, infos } = countDiagnostics(report.diagnostics);
  const checked = `${plural(report.files, 'file')} checked`;
  if (errors + warnings + infos === 0) return paint(color, '32', `✔ ${checked}, no problems`);
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) parts.push(plural(infos, 'note'));
  const mark = errors > 0 ? paint(color, '31', '✖') : paint(color, '33', '!');
  return `${mark} ${parts.join(', ')} (${checked})`;
}

const MAX_FRAME_WIDTH = 120;

function codeFrame(
  source: readonly string[] | undefined,
  line: number,
  column: number,
  endLine?: number,
  endColumn?: number,
) {
  if (source === undefined) return undefined;
  const text = source[line - 1];
  if (text === undefined) return undefined;
  const start = Math.max(0, column - 1);
  // Long lines are cut around the column so the caret stays visible.
  const offset = start > MAX_FRAME_WIDTH - 20 ? start - 20 : 0;
  const shown = visible(text.slice(offset, offset + MAX_FRAME_WIDTH));
  const end = endLine === line && endColumn && endColumn > column ? endColumn - 1 : start + 1;
  // Columns count UTF-16 code units; a terminal shows wide characters in two cells, accents in none.
  const lead = displayWidth(shown.slice(0, start - offset));
  const width = Math.max(1, displayWidth(shown.slice(start - offset, Math.min(end, offset + shown.length) - offset)));
  const gutter = String(line);
  return [
    `${gutter} | ${offset > 0 ? '…' : ''}${shown}`,
    `${' '.repeat(gutter.length)} | ${' '.repeat(lead + (offset > 0 ? 1 : 0))}${'^'.repeat(width)}`,
  ];
}

/**
 * A line as it may be shown in a terminal: a tab as a space, other control characters as their
 * visible symbols (NUL as ␀, ESC as ␛), bidirectional overrides as �. One code unit each, so
 * columns still line up.
 */
function visible(line: string): string {
  return line.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\t') return ' ';
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}
