import { sortDiagnostics } from '../core/shared/diagnostic.js';
import type { Report } from './report.js';

const level = { error: 'error', warning: 'warning', info: 'notice' } as const;

// Workflow command escaping, as in @actions/core's command.ts.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one annotation per diagnostic, on the exact line and column. */
export function formatGithub(report: Report): string {
  return sortDiagnostics(report.diagnostics)
    .map((d) => {
      const props = [`file=${d.file}`, `line=${d.line}`, `col=${d.column}`];
      if (d.endLine !== undefined) props.push(`endLine=${d.endLine}`);
      if (d.endColumn !== undefined && d.endLine === d.line) props.push(`endColumn=${d.endColumn}`);
      props.push(`title=flagops ${d.code}`);
      const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
      return `::${level[d.severity]} ${props.map(escapeProperty).join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}
