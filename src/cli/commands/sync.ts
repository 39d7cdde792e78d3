import type { Command } from '../command.js';
import { planSyncOptions, runPerEnvironment, syncEnvironment } from '../flows/sync.js';
import { storeOptionsHelp } from '../flows/sync-session.js';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Make an environment serve the flags in this checkout',
  positionals: false,
  options: { ...planSyncOptions, actor: { type: 'string' } },
  help: `Usage: flagops sync --env <name> | --all-envs [options]

Validates the flags, then writes what changed to the environment's store in one
atomic step: readers see the old flags or the new ones, never a mix. Only changed
flags are written; the same commit twice writes nothing. Every sync adds an audit
entry and publishes a change message to the SDKs.

Refuses, with exit code 1:
  - a commit that does not descend from the live one (a re-run or out-of-order
    CI job must not roll flags back), unless --force;
  - removing all flags, or more than 25% of them, unless --allow-delete;
  - flag files (or the configuration) that differ from the checked-out commit,
    which the store would record as their source, unless --allow-dirty.
Kill-switch overrides set with flagops kill survive a sync.

Options:
${storeOptionsHelp}
      --force              sync even if the live commit is not an ancestor of this one
      --allow-delete       allow removing all or more than 25% of the live flags
      --allow-dirty        sync uncommitted flag files (the audit lists them)
      --actor <name>       who syncs, for the audit (default: GITHUB_ACTOR, git user.email, USER)
  -f, --format <format>    text (default), json or markdown
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes: 0 synced or up to date, 1 invalid flags or sync refused,
2 flagops could not run (bad arguments, configuration, unreachable store).

Examples:
  flagops sync --env staging
  flagops sync --all-envs --format markdown >> "$GITHUB_STEP_SUMMARY"
`,
  run: (args, io) => runPerEnvironment('sync', args, io, (run, environment) => syncEnvironment(run, environment, args, io)),
};
