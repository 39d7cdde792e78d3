import type { Command } from '../command.js';
import { runDiff } from '../flows/diff.js';
import { outputOptions, outputOptionsHelp } from '../output.js';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Behaviour changes between two git refs, per flag and environment, with risks',
  positionals: false,
  options: {
    ...outputOptions,
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    'no-references': { type: 'boolean', default: false },
    population: { type: 'string' },
    now: { type: 'string' },
  },
  help: `Usage: flagops diff --base <ref> [--head <ref>] [options]

What a change to the flag files does to users, per flag and environment, in
plain words ("production: everyone else: 5% on → 25% on"), with the risks a
reviewer should not miss, each a warning on the line it concerns:

  risk-full-rollout            an environment goes to 100% in one step
  risk-kill-switch-off         a kill switch is turned off
  risk-removed-but-referenced  a removed flag that code still reads (at each read)
  risk-owner-changed           the owner changes
  risk-expiry-extended         the expiry is pushed out
  risk-rebucketed              the salt changed: users are bucketed anew
  risk-blast-radius            at least diff.blastRadiusThreshold % of users
                               (default 50) get another variant in one environment

For each changed flag and environment it gives the blast radius: the share of
users whose variant changes ("production: 20.0% of users change from off to on
(percentage 5% → 25%)"), exact when only percentages, splits or stages change,
otherwise counted on a population (--population, else 100,000 generated ids),
with the allowlisted users and groups each rule adds or removes.

Flags are read from git at both refs; code references are counted in the
working tree (in CI, the head commit's checkout). Head flag files with errors
are reported as errors.

Options:
      --base <ref>         the ref before the change (e.g. origin/main, a sha)
      --head <ref>         the ref after it (default HEAD)
      --no-references      do not scan the source for references
      --population <file>  contexts to estimate the blast radius on: one JSON
                           object per line ({"userId":"u-1","plan":"pro"})
      --now <time>         the time rollout stages are read at (default now)
${outputOptionsHelp}
  -h, --help               show this help

Exit codes: 0 shown (risks are warnings; --fail-on warning makes them fail),
1 the head's flag files have errors, 2 flagops could not run (unknown ref).

Example:
  flagops diff --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
`,
  run: runDiff,
};
