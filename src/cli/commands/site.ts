import { resolve } from 'node:path';
import { displayPath } from '../../files/read-flag-files.js';
import type { Command } from '../command.js';
import { brokenConfig } from '../project.js';
import { EXIT, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { toolInfo } from '../output.js';
import { collectSite, siteFiles, writeSite } from '../site-run.js';
import { runValidation } from '../validation.js';

const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

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
  async run(args, io) {
    const format = String(args.values.format);
    if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
    const now = nowOf(args, io);
    const started = performance.now();
    const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
    if (validation.configBroken) throw brokenConfig(validation.diagnostics);
    const { data, scan } = await collectSite(validation, { cwd: io.cwd, now, io, env: io.env });
    const out = resolve(io.cwd, String(args.values.out));
    const relativeOut = displayPath(io.cwd, out);
    const shown = relativeOut.startsWith('..') ? out : relativeOut || '.';
    const files = siteFiles(data);
    const { bytes } = writeSite(out, files, shown);
    const pages = files.filter((f) => f.path.endsWith('.html')).length;
    const flags = data.flags.filter((f) => f.status !== 'orphaned');
    const tally = (tag: string) => flags.filter((f) => (f.tags as string[]).includes(tag)).length;
    const summary = {
      out: shown,
      pages,
      files: files.length,
      bytes,
      flags: flags.length,
      orphaned: data.flags.length - flags.length,
      expired: tally('expired'),
      expiring: tally('expiring'),
      stale: tally('stale'),
      unused: tally('unused'),
      invalid: tally('invalid'),
      references: scan.references.length,
      sourceFiles: scan.files,
      linksTo: data.repository || null,
      millis: Math.round(performance.now() - started),
    };
    if (format === 'json') {
      io.stdout(`${JSON.stringify({ tool: toolInfo(), command: 'site', ...summary }, null, 2)}\n`);
      return EXIT.ok;
    }
    const health = [`${summary.expired} expired`, `${summary.expiring} expiring soon`, `${summary.stale} stale`, `${summary.unused} unused`];
    if (summary.orphaned > 0) health.push(`${summary.orphaned} orphaned key${summary.orphaned === 1 ? '' : 's'}`);
    if (summary.invalid > 0) health.push(`${summary.invalid} invalid`);
    io.stdout(
      [
        `Built the flag site for ${summary.flags} flag${summary.flags === 1 ? '' : 's'} (${health.join(', ')}) in ${shown}: ${pages} pages, ${kb(bytes)}, ${(summary.millis / 1000).toFixed(1)} s.`,
        data.repository ? `References link to ${data.repository} at ${data.commit!.slice(0, 12)}.` : 'References are not linked: no GITHUB_REPOSITORY and no origin remote on a known host.',
        `Open ${shown}/index.html, or publish the folder (docs/site.md).`,
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  },
};
