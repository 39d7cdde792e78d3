import type { Command, ParsedArgs } from '../command.js';
import { EXIT, type Io } from '../io.js';
import { parseNow } from '../now.js';
import { emit, exitCodeFor, outputOptionsHelp, parseOutputChoice } from '../output.js';
import { runScan, scanData, scanSummary } from '../scan-run.js';
import { runValidation } from '../validation.js';
import { referenceList, scanOptions, scanOptionsHelp } from './scan.js';

async function check(args: ParsedArgs, io: Io): Promise<number> {
  const choice = parseOutputChoice(args);
  const now = parseNow(args.values.now as string | undefined);
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  const flags = validation.flags.map((f) => ({ key: f.key, file: f.file, type: f.definition.type }));
  if (validation.configBroken) {
    emit({ command: 'check', diagnostics: validation.diagnostics, files: 1, sources: validation.sources, data: { flags } }, choice, io);
    return EXIT.cannotRun;
  }
  const run = await runScan(validation, { cwd: io.cwd, paths: args.positionals, now, io, env: io.env });
  const diagnostics = [...validation.diagnostics, ...run.diagnostics];
  const sources = new Map([...validation.sources, ...run.sources]);
  const notes = [...(args.values.list ? referenceList(run.references) : []), ...scanSummary(run)];
  emit(
    { command: 'check', diagnostics, files: validation.files + run.files, sources, notes, data: scanData(run) },
    choice,
    io,
  );
  return exitCodeFor(diagnostics, choice.failOn);
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Everything a pull request must pass: validate and scan',
  positionals: true,
  options: scanOptions,
  help: `Usage: flagops check [options] [paths...]

The pull-request job: validates every flag file (flagops validate) and scans the
source for flag references (flagops scan), and reports both together. Code that
still reads an expired flag, or a key no flag defines, fails the check.

Arguments:
  paths                    source files or folders to scan (default: scan.include)

Options:
${outputOptionsHelp}
${scanOptionsHelp}
  -h, --help               show this help

Exit codes: 0 clean, 1 problems found, 2 flagops could not run.

Examples:
  flagops check
  flagops check --format github          # annotations in GitHub Actions
  flagops check --format sarif > flagops.sarif
  flagops check --now +7d                # will the build still pass next week?
`,
  run: check,
};
