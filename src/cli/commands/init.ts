import type { Command } from '../command.js';
import { runInit } from '../flows/init.js';

export const initCommand: Command = {
  name: 'init',
  summary: 'Set up flagops in a repository: configuration, a first flag, workflows, editor schemas',
  positionals: false,
  options: {
    env: { type: 'string', short: 'e' },
    yes: { type: 'boolean', short: 'y', default: false },
    format: { type: 'string', short: 'f', default: 'text' },
  },
  help: `Usage: flagops init [options]

Sets up flagops in the repository in this folder, writing only what is not there:
  flagops.config.yaml            the environments (asked on a terminal, or --env)
  flags/example/…yaml            one example flag, off everywhere (when flags/ has none)
  .gitignore                     .flagops/ (the file store, cleanup's journal), node_modules/, _site/
  .github/workflows/flags-pr.yml     check and diff on every pull request
  .github/workflows/flags-sync.yml   sync each environment on a merge to main
  .github/workflows/flags-cleanup.yml  a pull request per finished flag, daily
  .github/workflows/flags-site.yml   the flag health site on GitHub Pages
  .github/CODEOWNERS             an example, to fill in with your teams
  .vscode/settings.json          the flag and configuration schemas for editors
It never overwrites a file; run twice, it changes nothing.

Options:
  -e, --env <names>        environments, in order: --env staging,production (default)
  -y, --yes                ask nothing: take the defaults
  -f, --format <format>    text (default) or json
  -h, --help               show this help

Exit codes: 0 done (also when everything was there), 2 it could not (bad names).
`,
  run: runInit,
};
