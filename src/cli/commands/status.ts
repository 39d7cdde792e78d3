import type { Command } from '../command.js';
import { runStatus } from '../flows/status.js';
import { storeOptions, storeOptionsHelp } from '../flows/sync-session.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'What is live in an environment: revision, drift, overrides, recent changes',
  positionals: false,
  options: {
    ...storeOptions,
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
    history: { type: 'string', default: '5' },
    'idle-days': { type: 'string', default: '7' },
    now: { type: 'string' },
  },
  help: `Usage: flagops status --env <name> | --all-envs [options]

Shows what an environment's store holds: the live revision and the commit it
was synced from, drift (flags changed outside flagops: the checksum no longer
matches), how many flags this checkout would change, active kill-switch
overrides, flags no SDK has evaluated lately (when SDKs report usage), and the
most recent audit entries.

Options:
${storeOptionsHelp}
      --history <n>        how many audit entries to show (default 5)
      --idle-days <n>      list live flags no SDK evaluated for this many days
                           (default 7; needs SDKs with usage: true)
      --now <time>         the time --idle-days counts back from (default now)
  -f, --format <format>    text (default) or json
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes: 0 shown, 2 flagops could not run (bad arguments, unreachable store).
`,
  run: runStatus,
};
