import { countDiagnostics, sortDiagnostics } from '../core/shared/diagnostic.js';
import type { Report } from './report.js';

/** One JSON object: summary, diagnostics and the command's own data. Stable for scripts. */
export function formatJson(report: Report): string {
  const output = {
    tool: report.tool,
    command: report.command,
    summary: { ...countDiagnostics(report.diagnostics), files: report.files },
    diagnostics: sortDiagnostics(report.diagnostics),
    ...report.data,
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
