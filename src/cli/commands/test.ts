import type { Command } from '../command.js';
import { EXIT } from '../io.js';
import { nowOf } from '../now.js';
import { emit, exitCodeFor, outputOptions, outputOptionsHelp, parseOutputChoice } from '../output.js';
import { caseLines, runSpecFiles, specSummary } from '../spec-run.js';
import { runValidation } from '../validation.js';

export const testCommand: Command = {
  name: 'test',
  summary: 'Run flag spec files: contexts and the variants they must get',
  positionals: true,
  options: { ...outputOptions, now: { type: 'string' }, list: { type: 'boolean', default: false } },
  help: `Usage: flagops test [options] [paths...]

Runs flag spec files (YAML, in the folder paths.tests, default flag-tests/):
each case evaluates one flag of this checkout, in one environment, for one
context, at one time, and states what it must get. flagops check runs them too.

  # flag-tests/checkout.yaml
  env: production                 # defaults for the cases below (optional)
  at: 2026-11-25T10:00:00Z        # evaluation time; default: now (or --now)
  cases:
    - name: testers get the new checkout
      flag: new-checkout
      context: { userId: u-1042 }
      expect: on                  # a variant name, or:
    - flag: new-checkout
      context: { userId: u-77, plan: enterprise }
      expect: { variant: on, reason: TARGETING_MATCH, rule: enterprise }

expect checks any of variant, value, reason and rule. A failing case is an
error at its expect line, saying what it got.

Arguments:
  paths                    spec files or folders (default: paths.tests)

Options:
${outputOptionsHelp}
      --now <date>         the time for cases without "at": YYYY-MM-DD, ISO time or +7d
      --list               text format: list every case and what it got
  -h, --help               show this help

Exit codes: 0 every case passed, 1 a case failed or a spec file is invalid,
2 flagops could not run.
`,
  async run(args, io) {
    const choice = parseOutputChoice(args);
    const now = nowOf(args, io);
    const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
    if (validation.configBroken) {
      emit({ command: 'test', diagnostics: validation.diagnostics, files: 1, sources: validation.sources, data: { cases: [] } }, choice, io);
      return EXIT.cannotRun;
    }
    const run = runSpecFiles(validation, { cwd: io.cwd, paths: args.positionals, now });
    const notes = [...(args.values.list ? ['Cases:', ...caseLines(run.results), ''] : []), ...specSummary(run)];
    if (run.files === 0) notes.push(`No flag spec files: add some to ${validation.project.config.paths.tests}/ (see flagops test --help).`);
    const invalidFlags = validation.flagFiles.length - validation.flags.length;
    if (invalidFlags > 0) notes.push(`${invalidFlags} flag file${invalidFlags === 1 ? ' has' : 's have'} errors and cannot be tested (run flagops validate).`);
    emit({ command: 'test', diagnostics: run.diagnostics, files: run.files, sources: run.sources, notes, data: { cases: run.results } }, choice, io);
    return exitCodeFor(run.diagnostics, choice.failOn);
  },
};
