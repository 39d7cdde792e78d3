import type { Command } from '../command.js';
import { outputOptions, outputOptionsHelp } from '../output.js';
import { validateAndReport } from './validate.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Everything a pull request must pass (today: validate)',
  positionals: true,
  options: outputOptions,
  help: `Usage: flagops check [options] [paths...]

The pull-request job: runs every check flagops has on this repository and
reports them together. Today that is validate; the source scanner (expired,
orphaned and unused flags) joins it in a later release.

Options:
${outputOptionsHelp}
  -h, --help               show this help

Exit codes: 0 clean, 1 problems found, 2 flagops could not run.

Example:
  flagops check --format github
`,
  run: (args, io) => validateAndReport('check', args, io),
};
