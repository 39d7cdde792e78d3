import type { Command } from '../command.js';
import { scanAndReport } from '../flows/scan.js';
import { outputOptions, outputOptionsHelp } from '../output.js';

export const scanOptions = {
  ...outputOptions,
  now: { type: 'string' as const },
  list: { type: 'boolean' as const, default: false },
};

const explainOption = { explain: { type: 'string' as const } };

export const scanOptionsHelp = `      --now <date>         compute findings as of this day: YYYY-MM-DD, an ISO
                           time, or +7d (default: now). Previews what fails next week.
      --list               text format: also list every reference found`;
export const scanCommand: Command = {
  name: 'scan',
  summary: 'Find flag references in source: orphaned, expired, unused and stale flags',
  positionals: true,
  options: { ...scanOptions, ...explainOption },
  help: `Usage: flagops scan [options] [paths...]

Reads source in TypeScript and JavaScript, Python, Go, Java, Kotlin, C#, Ruby and
PHP (by extension; scan.languages narrows them) and finds every place that reads a
flag: SDK and OpenFeature calls, React hooks, keys held in constants and enums (also
imported from another file), flags objects (const { newCheckout } = useFlags()),
and your own wrapper functions. Then it holds the references against the flag
files:

  orphaned-reference         error    code reads a key no flag file defines
  expired-flag-referenced    error    code still reads a flag past its expires date
  expired-flag-unreferenced  warning  an expired flag nothing reads: delete its file
  unused-flag                warning  a flag nothing reads (after scan.unusedAfterDays)
  stale-flag                 warning  one variant to everyone for too long
  expiring-soon              warning  expires within scan.expiringWithinDays
  dynamic-reference          info     a key flagops cannot resolve statically

Silence one line with a comment on the line above it (// or #, as the language writes it):
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
