import type { Command } from '../command.js';
import { runTest } from '../flows/test.js';
import { outputOptions, outputOptionsHelp } from '../output.js';

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
  run: runTest,
};
