import { countDiagnostics, sortDiagnostics } from '../core/shared/diagnostic.js';
import { plural, type Report } from './report.js';

const icon = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, '\'')}\``;

/** A pull-request comment or job summary: a headline and one table row per finding. */
export function formatMarkdown(report: Report): string {
  const { errors, warnings, infos } = countDiagnostics(report.diagnostics);
  const title = `### flagops ${report.command}`;
  const notes = (report.notes ?? []).map((n) => `${cell(n)}\n`).join('\n');
  if (report.diagnostics.length === 0) {
    return `${title}\n\n${notes ? `${notes}\n` : ''}✅ ${plural(report.files, 'file')} checked, no problems.\n`;
  }
  const counts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) counts.push(plural(infos, 'note'));
  const rows = sortDiagnostics(report.diagnostics).map((d) => {
    const message = d.hint ? `${d.message}<br>*${d.hint}*` : d.message;
    return `| ${icon[d.severity]} | ${code(`${d.file}:${d.line}:${d.column}`)} | ${code(d.code)} | ${cell(message)} |`;
  });
  return [
    title,
    '',
    ...(notes ? [notes] : []),
    `${counts.join(', ')} in ${plural(report.files, 'file')}.`,
    '',
    '| | Where | Code | Problem |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
