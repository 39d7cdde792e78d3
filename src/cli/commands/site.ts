import type { Command } from '../command.js';
import { runSite } from '../flows/site.js';

export const siteCommand: Command = {
  name: 'site',
  summary: 'Build a static flag health site: overview, a page per flag, owners, expiry timeline',
  positionals: false,
  options: {
    out: { type: 'string', short: 'o', default: '.flagops/site' },
    now: { type: 'string' },
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
  },
  help: `Usage: flagops site [--out <dir>] [options]

Builds a static site from this checkout and a scan of its code, for GitHub Pages
or any static host; it also works opened from disk (index.html):

  index.html       every flag: area, type, owner, age, expiry countdown, what each
                   environment serves, references, findings; sort, filter (owner,
                   type, area, environment state, expired / expiring / stale /
                   unused / orphaned) and search, kept in the URL
  flags/<key>.html description, each environment's rules in words, rollout stages
                   on a time axis, every code reference linked to its line, spec
                   tests, segments and prerequisites, history from git, the YAML
  owners.html      each owner's flags, what is overdue first
  timeline.html    expiry dates of all flags on one axis, today marked

Pages make no request to any other host (a Content-Security-Policy says so).
References link to the repository host from GITHUB_SERVER_URL/GITHUB_REPOSITORY
in GitHub Actions, else from the origin remote (GitHub, GitLab, Bitbucket), at
the commit checked out. A folder that holds other files is refused, never emptied.

Options:
  -o, --out <dir>          where to write the site (default: .flagops/site); a
                           site built before is replaced
      --now <date>         compute ages and expiry as of this day (default: now)
  -f, --format <format>    text (default) or json (what was written)
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes:
  0  the site was written (findings are shown in it, they do not fail the build)
  2  flagops could not run: a broken configuration, no flags folder, --out not usable

Examples:
  flagops site
  flagops site --out _site                 # for actions/upload-pages-artifact
  flagops site --now +14d --out /tmp/site  # the site as it will look in two weeks
`,
  run: runSite,
};
