import type { Command } from '../command.js';
import { runSegments } from '../flows/segments.js';

export const segmentsCommand: Command = {
  name: 'segments',
  summary: 'Which flags use each segment, and which flags depend on each flag',
  positionals: true,
  options: {
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
  },
  help: `Usage: flagops segments [key...] [options]

The reverse lookup of segments and prerequisites, from this checkout: every
segment (or the ones named) with its owner, its conditions and the flags whose
rules use it, in which environments, directly or through other segments; then
every flag that others require, with the flags that need it (and the variant
they need) and those that depend on it through them. A kill of such a flag
turns its dependents off too.

Options:
  -f, --format <format>    text (default) or json
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes: 0 shown, 1 the flag or segment files have errors (what validated is
shown; flagops validate lists the errors), 2 flagops could not run (unknown segment).

Examples:
  flagops segments
  flagops segments beta-customers --format json
`,
  run: runSegments,
};
