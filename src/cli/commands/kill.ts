import type { Command } from '../command.js';
import { changeOverride, options } from '../flows/kill.js';

const commonHelp = `  -e, --env <name>         the environment
      --redis <url>        Redis URL (default: as for flagops sync)
      --actor <name>       who, for the audit (default: GITHUB_ACTOR, git user.email, USER)
  -f, --format <format>    text (default) or json
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help`;
export const killCommand: Command = {
  name: 'kill',
  summary: 'Emergency: serve one variant to everyone, now, outside git',
  positionals: true,
  options,
  help: `Usage: flagops kill <key> --env <name> --reason "…" [options]

Sets an override in the environment's store: every SDK serves the flag's
offVariant (or --variant) to everyone at once, whatever the flag file says.
Recorded in the audit with who and why. A sync never clears it; flagops status
and flagops plan show it until flagops unkill removes it. Flags that require
this one (prerequisites) and need another variant of it serve their offVariant
too, at once: kill prints them.

Options:
  -r, --reason <text>      why (required)
      --variant <name>     what to serve instead of the flag's offVariant
${commonHelp}

Exit codes: 0 done, 2 flagops could not run (unknown flag, unreachable store).

Example:
  flagops kill new-checkout --env production --reason "checkout 500s, INC-1234"
`,
  run: (args, io) => changeOverride('kill', args, io),
};

export const unkillCommand: Command = {
  name: 'unkill',
  summary: 'Remove an override set with kill',
  positionals: true,
  options,
  help: `Usage: flagops unkill <key> --env <name> [options]

Removes the override that flagops kill set: the flag serves what its file says
again, at once. Recorded in the audit.

Options:
  -r, --reason <text>      why (optional, for the audit)
${commonHelp}

Exit codes: 0 done, 1 there was no override, 2 flagops could not run.
`,
  run: (args, io) => changeOverride('unkill', args, io),
};
