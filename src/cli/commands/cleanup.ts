import type { Command } from '../command.js';
import { cleanup } from '../flows/cleanup.js';
import { outputOptions, outputOptionsHelp } from '../output.js';

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'Remove finished flags from the code, keeping the value they serve',
  positionals: true,
  options: {
    ...outputOptions,
    ready: { type: 'boolean', default: false },
    keep: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    'typescript-only': { type: 'boolean', default: false },
    'no-check': { type: 'boolean', default: false },
    'allow-dirty': { type: 'boolean', default: false },
    restore: { type: 'boolean', default: false },
    environment: { type: 'string', short: 'e' },
    now: { type: 'string' },
  },
  help: `Usage: flagops cleanup [options] <flag...>
       flagops cleanup --ready [options]

Removes flags from the code: every read the scanner finds (SDK and OpenFeature
calls, hooks, flags objects, wrappers, JSX, through consts, enums and imports)
becomes the value the flag serves to everyone in cleanup.environment (default
production), then the code around it is simplified (if/else and early returns,
!, &&, ||, ??, ternaries, JSX, switch on a variant) and what that left unused
goes (imports, local consts and functions, key entries, a wrapper with no
caller). The flag file, its spec cases and its generated code go too. Other
code, comments and formatting stay as they are.

Then it runs the project's check (tsc --noEmit, or cleanup.check) and puts
every file back if the check fails. Whole or nothing: until the check passes, a
journal in .flagops/cleanup/ keeps every file as it was, so SIGINT, SIGTERM or
SIGHUP puts everything back at once, and a run killed outright is put back by the
next flagops cleanup (or --restore). It refuses to edit files with uncommitted
changes unless --allow-dirty. A flag is refused, with the reason at its
place, when its value differs between users, or a read cannot be rewritten, or a
dynamic read may read it (unless --force), or code in another language than
TypeScript and JavaScript reads it (unless --typescript-only).

Arguments:
  flag                     keys of the flags to remove

Options:
      --ready              every flag ready for removal: expired, or stale (one
                           variant to everyone in every environment for longer
                           than its type's staleAfterDays)
      --keep <variant>     the variant whose value stays (one flag), when the flag
                           does not serve one value to everyone
  -e, --environment <env>  whose value stays (default: cleanup.environment)
      --dry-run            change nothing; print a unified diff
      --force              remove flags that dynamic reads may read
      --typescript-only    rewrite the TypeScript and JavaScript reads of a flag that
                           other languages (Python) read too, and leave those to you
      --no-check           skip the check after editing
      --allow-dirty        edit files that have uncommitted changes
      --restore            only put back what an interrupted cleanup left edited
      --now <date>         the day readiness and rollout stages are computed for
${outputOptionsHelp}
  -h, --help               show this help

Exit codes:
  0  removed (or, with --dry-run, removable), or nothing to do
  1  a flag was refused, or the check failed (every file put back)
  2  flagops could not run: bad arguments, a broken configuration

Examples:
  flagops cleanup new-checkout --dry-run
  flagops cleanup --ready --format json
  flagops cleanup pricing-page-test --keep classic
  flagops cleanup --restore
`,
  run: cleanup,
};
