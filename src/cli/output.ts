import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../core/shared/diagnostic.js';
import { FORMATS, type Format, reporterFor } from '../report/index.js';
import type { Report } from '../report/report.js';
import type { Options, ParsedArgs } from './command.js';
import { EXIT, type Io, UsageError, useColor } from './io.js';

export const outputOptions: Options = {
  format: { type: 'string', short: 'f', default: 'text' },
  'fail-on': { type: 'string', default: 'error' },
  config: { type: 'string', short: 'c' },
};

export const outputOptionsHelp = `  -f, --format <format>    text (default), json, github, sarif or markdown
      --fail-on <level>    error (default): exit 1 on errors; warning: also on warnings
  -c, --config <file>      configuration file (default: flagops.config.yaml, if present)`;

export interface OutputChoice {
  format: Format;
  failOn: 'error' | 'warning';
}

export function parseOutputChoice(args: ParsedArgs): OutputChoice {
  const format = String(args.values.format);
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format "${format}".`, `Use one of: ${FORMATS.join(', ')}.`);
  }
  const failOn = String(args.values['fail-on']);
  if (failOn !== 'error' && failOn !== 'warning') {
    throw new UsageError(`--fail-on takes error or warning, not "${failOn}".`);
  }
  return { format: format as Format, failOn };
}

export function exitCodeFor(diagnostics: readonly Diagnostic[], failOn: OutputChoice['failOn']): number {
  const failing = diagnostics.some(
    (d) => d.severity === 'error' || (failOn === 'warning' && d.severity === 'warning'),
  );
  return failing ? EXIT.findings : EXIT.ok;
}

export function emit(report: Omit<Report, 'tool'>, choice: OutputChoice, io: Io): void {
  io.stdout(reporterFor(choice.format, { color: useColor(io) })({ ...report, tool: toolInfo() }));
}

let version: string | undefined;
export function toolInfo() {
  version ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return { name: 'flagops', version };
}
