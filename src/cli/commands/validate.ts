import type { Command } from '../command.js';
import { validateAndReport } from '../flows/validate.js';
import { outputOptions, outputOptionsHelp } from '../output.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check flag files against the schema and the semantic rules',
  positionals: true,
  options: outputOptions,
  help: `Usage: flagops validate [options] [paths...]

Checks every flag file (flags/**/*.yaml) and segment file (segments/**/*.yaml)
against their schemas and the semantic rules, and what they name across files
(segments, prerequisites, cycles), and reports each problem at its file:line:col
with a hint how to fix it.

Arguments:
  paths                    flag or segment files or folders to check (default:
                           paths.flags and paths.segments of the configuration)

Options:
${outputOptionsHelp}
  -h, --help               show this help

Exit codes:
  0  no errors (and no warnings with --fail-on warning)
  1  problems were found
  2  flagops could not run: bad arguments, a broken configuration, no flags folder

Examples:
  flagops validate
  flagops validate flags/checkout --format json
  flagops validate --format github     # annotations in GitHub Actions
  flagops validate --format sarif > flagops.sarif
`,
  run: (args, io) => validateAndReport('validate', args, io),
};
