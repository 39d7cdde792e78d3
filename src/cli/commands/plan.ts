import type { Command } from '../command.js';
import { decide, outcomeOf, planSyncOptions, runPerEnvironment } from '../flows/sync.js';
import { openSession, storeOptionsHelp } from '../flows/sync-session.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what a sync would change in an environment',
  positionals: false,
  options: planSyncOptions,
  help: `Usage: flagops plan --env <name> [options]

Compares the flags in this checkout with what is live in the environment's store
and shows, per flag, what a sync would add, change or remove, in terms of who
gets what ("everyone else: 5% on → 25% on"). Also shows drift (flags changed
outside flagops), active kill-switch overrides, and whether sync would refuse.
Writes nothing.

Options:
${storeOptionsHelp}
  -f, --format <format>    text (default), json or markdown
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes: 0 planned, 1 the flags have errors, 2 flagops could not run
(bad arguments, configuration, unreachable store).

Example:
  flagops plan --env production
`,
  run: (args, io) =>
    runPerEnvironment('plan', args, io, async (run, environment) => {
      const session = await openSession(run, environment, args, io);
      try {
        const decision = decide(session, run, args);
        const outcome = outcomeOf(session, 'planned');
        return decision.action === 'refuse' ? { ...outcome, hint: `sync would refuse: ${decision.reason}. ${decision.hint}` } : outcome;
      } finally {
        await session.store.close();
      }
    }),
};
