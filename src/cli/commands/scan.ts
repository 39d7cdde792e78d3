import type { Reference } from '../../core/scan/resolve.js';
import type { Command, ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { explain, explanationText, explainTarget } from '../explain-run.js';
import { keyFromFile } from '../../core/validate/validate-flags.js';
import { nowOf } from '../now.js';
import { emit, exitCodeFor, outputOptions, outputOptionsHelp, parseOutputChoice } from '../output.js';
import { codegenFiles, staleDiagnostics } from '../codegen-run.js';
import { runScan, scanData, scanSummary } from '../scan-run.js';
import { runSpecFiles, specSummary } from '../spec-run.js';
import { runValidation } from '../validation.js';

export const scanOptions = {
  ...outputOptions,
  now: { type: 'string' as const },
  list: { type: 'boolean' as const, default: false },
};

const explainOption = { explain: { type: 'string' as const } };

export const scanOptionsHelp = `      --now <date>         compute findings as of this day: YYYY-MM-DD, an ISO
                           time, or +7d (default: now). Previews what fails next week.
      --list               text format: also list every reference found`;

/**
 * Shared by scan and check: scan the source against the flags, report, and turn findings into an
 * exit code. `check` also reports the validation findings; `scan` only says how many files fail.
 */
export async function scanAndReport(command: 'scan' | 'check', args: ParsedArgs, io: Io): Promise<number> {
  const withValidation = command === 'check';
  const choice = parseOutputChoice(args);
  const now = nowOf(args, io);
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (validation.configBroken) {
    emit({ command, diagnostics: validation.diagnostics, files: 1, sources: validation.sources, data: { flags: [] } }, choice, io);
    return EXIT.cannotRun;
  }
  const explaining = args.values.explain as string | undefined;
  if (explaining !== undefined && choice.format !== 'text' && choice.format !== 'json') {
    throw new UsageError(`--explain prints text or json, not ${choice.format}.`, 'Use --format text (the default) or --format json.');
  }
  const target = explaining === undefined ? undefined : explainTarget(explaining, io.cwd);
  const run = await runScan(validation, { cwd: io.cwd, paths: args.positionals, now, io, env: io.env });
  if (target) {
    const e = await explain(run, target, new Set(validation.flagFiles.map(keyFromFile)), io.cwd, validation.project.config.scan.maxFileBytes);
    io.stdout(choice.format === 'json' ? `${JSON.stringify({ explain: e }, null, 2)}\n` : explanationText(e, run.files));
    return EXIT.ok;
  }
  const notes = [...(args.values.list ? referenceList(run.references) : []), ...scanSummary(run)];
  const broken = validation.flagFiles.length - validation.flags.length;
  if (!withValidation && broken > 0) {
    notes.push(`${broken} flag file${broken === 1 ? ' has' : 's have'} errors: their flags are known by key only (run flagops validate).`);
  }
  // check also runs the flag spec files (flagops test), when the project has any.
  const specs = withValidation ? runSpecFiles(validation, { cwd: io.cwd, now }) : undefined;
  if (specs) notes.push(...specSummary(specs));
  // With a codegen section, check also holds the generated files to the flags.
  const generated = withValidation && validation.project.config.codegen ? codegenFiles(validation, { cwd: io.cwd, now }) : [];
  const stale = staleDiagnostics(generated);
  if (generated.length > 0 && stale.length === 0) notes.push(`Generated code is up to date (${generated.map((f) => f.shown).join(', ')}).`);
  const diagnostics = withValidation ? [...validation.diagnostics, ...run.diagnostics, ...(specs?.diagnostics ?? []), ...stale] : run.diagnostics;
  emit(
    {
      command,
      diagnostics,
      files: withValidation ? validation.files + run.files + (specs?.files ?? 0) : run.files,
      sources: withValidation ? new Map([...validation.sources, ...run.sources, ...(specs?.sources ?? [])]) : run.sources,
      notes,
      data: { ...scanData(run), ...(specs && specs.files > 0 ? { cases: specs.results } : {}) },
    },
    choice,
    io,
  );
  return exitCodeFor(diagnostics, choice.failOn);
}

export function referenceList(references: readonly Reference[]): string[] {
  if (references.length === 0) return [];
  return [
    'References:',
    ...references.map((r) => `  ${r.file}:${r.line}:${r.column}  ${r.flag ?? `(dynamic: ${r.expression ?? ''})`}  ${r.kind} via ${r.via}`),
    '',
  ];
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Find flag references in source: orphaned, expired, unused and stale flags',
  positionals: true,
  options: { ...scanOptions, ...explainOption },
  help: `Usage: flagops scan [options] [paths...]

Reads TypeScript and JavaScript source (.ts .tsx .mts .cts .js .jsx .mjs .cjs)
and finds every place that reads a flag: SDK and OpenFeature calls, React hooks,
keys held in consts, enums and "as const" objects (also imported), flags objects
(const { newCheckout } = useFlags()), and your own wrapper functions. Then it
holds the references against the flag files:

  orphaned-reference         error    code reads a key no flag file defines
  expired-flag-referenced    error    code still reads a flag past its expires date
  expired-flag-unreferenced  warning  an expired flag nothing reads: delete its file
  unused-flag                warning  a flag nothing reads (after scan.unusedAfterDays)
  stale-flag                 warning  one variant to everyone for too long
  expiring-soon              warning  expires within scan.expiringWithinDays
  dynamic-reference          info     a key flagops cannot resolve statically

Silence one line with a comment on the line above it:
  // flagops-ignore-next-line expired-flag-referenced -- removal in #123
or project-wide with scan.ignore in flagops.config.yaml.

Arguments:
  paths                    files or folders to scan (default: scan.include from the
                           configuration, below the project root)

Options:
${outputOptionsHelp}
${scanOptionsHelp}
      --explain <target>   list every place considered for a flag (--explain new-checkout)
                           or on a source line (--explain src/app.ts:12), and why each was
                           counted, dropped or not read; text or json, exit 0
  -h, --help               show this help

Exit codes:
  0  no errors (and no warnings with --fail-on warning)
  1  findings: e.g. code still reads an expired flag
  2  flagops could not run: bad arguments, a broken configuration, no flags folder

Examples:
  flagops scan
  flagops scan --now +7d                 # what fails a week from now
  flagops scan src/checkout --list       # every reference below src/checkout
  flagops scan --explain new-checkout    # why a flag is (not) counted as used
  flagops scan --format sarif > flagops-scan.sarif
`,
  run: (args, io) => scanAndReport('scan', args, io),
};
