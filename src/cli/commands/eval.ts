import type { Command } from '../command.js';
import { runEval } from '../flows/eval.js';
import { oneStoreOptions } from '../flows/sync-session.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Evaluate one flag for a context: value, variant, reason and rule',
  positionals: true,
  options: {
    ...oneStoreOptions,
    context: { type: 'string' },
    now: { type: 'string' },
    live: { type: 'boolean', default: false },
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
  },
  help: `Usage: flagops eval <key> --env <name> [--context <json>] [options]

Evaluates one flag the way the SDK does and says why: the value, the variant,
the reason (STATIC, TARGETING_MATCH, SPLIT, DISABLED, DEFAULT,
PREREQUISITE_FAILED, ERROR), the rule that matched and the segments it matched
through, the prerequisite that failed and what it served, and the context's
bucket position in any percentage or split.
By default it evaluates this checkout's flag files, and says so when a kill
switch in the environment's store changes that answer; --live evaluates what the
environment's store serves now, kill-switch overrides included.

Options:
  -e, --env <name>         the environment (one of those in flagops.config.yaml)
      --context <json>     the evaluation context as JSON, or @file.json
                           (default {}): '{"userId":"u-1","plan":"pro","groups":["beta"]}'
      --now <time>         evaluate at this time (rollout stages): YYYY-MM-DD, ISO, +7d
      --live               read the environment's store instead of the checkout
      --redis <url>        with --live: Redis URL (default: as flagops sync finds it)
      --redis-timeout <ms> with --live: how long to wait for Redis (default 5000)
  -f, --format <format>    text (default) or json
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes: 0 evaluated, 1 the evaluation failed (a stored flag that cannot be
read), 2 flagops could not run (unknown flag or environment, bad context).

Examples:
  flagops eval new-checkout --env production --context '{"userId":"u-1042"}'
  flagops eval pricing-page-test --env production --context '{"anonymousId":"a-9","plan":"free"}' --format json
  flagops eval new-checkout --env production --context '{"userId":"u-5"}' --now 2026-12-01T09:00:00Z
`,
  run: runEval,
};
