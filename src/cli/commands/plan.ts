import type { Command } from '../command.js';
import { EXIT } from '../io.js';
import { decide, outcomeOf, planFormat, printOutcomes, reportInvalidFlags } from '../sync-flow.js';
import { chosenEnvironments, openSession, storeOptions, storeOptionsHelp } from '../sync-session.js';
import { runValidation } from '../validation.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what a sync would change in an environment',
  positionals: false,
  options: {
    ...storeOptions,
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
    force: { type: 'boolean', default: false },
    'allow-delete': { type: 'boolean', default: false },
  },
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
  async run(args, io) {
    const format = planFormat(args);
    const run = runValidation(io.cwd, { config: args.values.config as string | undefined });
    if (reportInvalidFlags('plan', run, format, io)) return run.configBroken ? EXIT.cannotRun : EXIT.findings;
    const outcomes = [];
    for (const environment of chosenEnvironments(args, run.project)) {
      const session = await openSession(run, environment, args, io);
      try {
        const decision = decide(session, run, args);
        const outcome = outcomeOf(session, 'planned');
        outcomes.push(
          decision.action === 'refuse'
            ? { ...outcome, hint: `sync would refuse: ${decision.reason}. ${decision.hint}` }
            : outcome,
        );
      } finally {
        await session.store.close();
      }
    }
    printOutcomes('plan', format, outcomes, run.diagnostics, io);
    return EXIT.ok;
  },
};
