import type { Command } from '../command.js';
import { scanAndReport } from '../flows/scan.js';
import { outputOptionsHelp } from '../output.js';
import { scanOptions, scanOptionsHelp } from './scan.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Everything a pull request must pass: validate, scan and flag specs',
  positionals: true,
  options: scanOptions,
  help: `Usage: flagops check [options] [paths...]

The pull-request job: validates every flag file (flagops validate), scans the
source for flag references (flagops scan) and runs the flag spec files in
paths.tests, default flag-tests/ (flagops test), and reports all of it together.
Code that still reads an expired flag, a key no flag defines, or a spec case
that fails, fails the check.

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
  run: (args, io) => scanAndReport('check', args, io),
};
