import type { Command } from '../command.js';
import { runNew } from '../flows/new.js';

export const newCommand: Command = {
  name: 'new',
  summary: 'Start a flag: a new flag file, off everywhere, with owner and expiry',
  positionals: true,
  options: {
    type: { type: 'string', short: 't' },
    owner: { type: 'string', short: 'o' },
    description: { type: 'string', short: 'd' },
    variants: { type: 'string' },
    split: { type: 'string' },
    yes: { type: 'boolean', short: 'y', default: false },
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
  },
  help: `Usage: flagops new [<area>/]<key> [options]

Writes flags/<area>/<key>.yaml: created today, expiring after the type's longest
lifetime (flagops.config.yaml types), off in every environment, with the owner
CODEOWNERS gives flags/<area>/ (else your git e-mail). On a terminal it asks for
what the options do not say; elsewhere it never waits for input.

Options:
  -t, --type <type>          release (default), experiment, ops, permission, kill-switch
  -o, --owner <owner>        @handle, @org/team or e-mail (default: CODEOWNERS, git user)
  -d, --description <text>   what the flag controls (asked on a terminal; required elsewhere)
      --variants <a,b,…>     variants, the control first, each serving its name (an
                             experiment asks on a terminal; default control,treatment)
      --split <w,w,…>        their weights, summing to 100 (default: even)
  -y, --yes                  ask nothing: take the defaults
  -f, --format <format>      text (default) or json
  -c, --config <file>        configuration file (default: the nearest flagops.config.yaml)
  -h, --help                 show this help

Exit codes: 0 written, 2 nothing written (the key exists, is invalid, or options are missing).

Examples:
  flagops new checkout/express-pay --description "Apple Pay and Google Pay on the cart page"
  flagops new pricing/page-test --type experiment -d "Pricing page layout" --variants control,compact,annual --split 34,33,33
`,
  run: runNew,
};
