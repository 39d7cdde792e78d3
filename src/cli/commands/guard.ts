import type { Command } from '../command.js';
import { storeOptionsHelp } from '../flows/sync-session.js';
import { options, runGuard } from '../flows/guard.js';

export const guardCommand: Command = {
  name: 'guard',
  summary: 'Guarded rollouts: hold a stage until its metrics pass, kill the flag on a regression',
  positionals: false,
  options,
  help: `Usage: flagops guard [options]

For every flag in a guarded rollout stage (guards: in its flag file), queries
the metrics source (a Prometheus-compatible HTTP API, metrics: in
flagops.config.yaml) for the users who get the rollout's variant and for the
control group (those who get the offVariant), and decides each guard:
  pass    the data show, at 95% confidence, that it keeps within its threshold
  breach  the data show, at 95% confidence, that it exceeds it
  hold    not enough samples, within noise, or the source could not be read
A breach kills the flag (as flagops kill: everyone gets its offVariant, in one
transaction, the audit naming the guard, its query and its numbers). A stage
whose guards have not passed does not begin on its date: guard holds it ahead
of time (a hold in the store, shown by status and eval) and lets it begin once
they pass. A source that cannot be read holds, never passes.

Runs once (for a scheduled workflow: flagops init writes one) or, with --watch,
every --interval seconds until stopped.

Options:
${storeOptionsHelp}
                           (default: every environment)
      --metrics-url <url>  the query API (default: metrics.source in the
                           configuration, then FLAGOPS_METRICS_URL)
      --watch              keep running, deciding every --interval seconds
      --interval <s>       seconds between rounds with --watch (default 30)
      --dry-run            decide and print, change nothing
  -f, --format <format>    text (default) or json
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes: 0 decided (holds included), 1 a flag was killed or the metrics
source could not be read, 2 flagops could not run (store unreachable,
no metrics source configured).

Example:
  flagops guard --env production
`,
  run: runGuard,
};
