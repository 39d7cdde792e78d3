import { guardWords } from '../../core/definition/guard-thresholds.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { keyFromFile } from '../../core/definition/validate/validate-flags.js';
import { type Change, fileHistory, headCommit, remoteUrl, topLevel } from '../../files/git.js';
import { displayPath } from '../../files/read-flag-files.js';
import { renderSite, type SiteFile } from '../../site/render-site.js';
import { commitUrl, fileUrl, type RepoLinks, webUrlOfActions, webUrlOfRemote } from '../../site/repo-links.js';
import { siteData, type SiteData } from '../../site/site-data.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { toolInfo } from '../output.js';
import { brokenConfig } from './project.js';
import { runScan, type ScanRun } from './scan.js';
import { runSpecFiles } from './spec.js';
import { runValidation, type ValidationRun } from './validation.js';

/** Marks a folder as a site flagops built, so a rebuild may replace it (and nothing else). */
export const SITE_MARKER = '.flagops-site';
/** How many commits a flag page lists. */
const HISTORY_PER_FLAG = 10;

/** Where the checkout is seen on the web: the Actions run's repository, else the origin remote. */
export function repoLinks(cwd: string, env: NodeJS.ProcessEnv): RepoLinks | undefined {
  const fromActions = webUrlOfActions(env);
  const origin = fromActions ? undefined : remoteUrl(cwd);
  const remote = fromActions ?? (origin ? webUrlOfRemote(origin) : undefined);
  const commit = (fromActions && env.GITHUB_SHA && /^[0-9a-f]{40}$/.test(env.GITHUB_SHA) ? env.GITHUB_SHA : undefined) ?? headCommit(cwd);
  return remote && commit ? { ...remote, commit } : undefined;
}

/** Validation, scan and spec results gathered into what the pages show. */
export async function collectSite(
  validation: ValidationRun,
  options: { cwd: string; now: number; io: Pick<Io, 'stderr' | 'stderrTTY'>; env: NodeJS.ProcessEnv },
): Promise<{ data: SiteData; scan: ScanRun }> {
  const { cwd } = options;
  const { project } = validation;
  // As check does: a scan that finds no code is an error (scan.include: [] says there is none), not "every flag unused".
  const scan = await runScan(validation, { cwd, now: options.now, io: options.io, env: options.env });
  const specs = runSpecFiles(validation, { cwd, now: options.now });
  const flagsFolder = validation.flagsFolder ?? resolve(project.root, project.config.paths.flags);
  const history = new Map<string, Change[]>();
  for (const [path, changes] of fileHistory(project.root, flagsFolder, HISTORY_PER_FLAG)) history.set(displayPath(cwd, path), changes);
  const links = repoLinks(cwd, options.env);
  const top = links ? topLevel(cwd) : undefined;
  const inRepository = (file: string) => relative(top!, resolve(cwd, file)).split(sep).join('/');
  const data = siteData({
    now: options.now,
    environments: Object.keys(project.config.environments),
    flags: validation.flags,
    flagFiles: validation.flagFiles.map((path) => ({
      key: keyFromFile(path),
      file: displayPath(cwd, path),
      area: relative(flagsFolder, dirname(path)).split(sep).join('/'),
    })),
    segments: validation.segments,
    usage: scan.usage,
    references: scan.references,
    diagnostics: [...validation.diagnostics, ...scan.diagnostics],
    tests: specs.results,
    history,
    sources: validation.sources,
    expiringWithinDays: project.config.scan.expiringWithinDays,
    guardWords: guardWords(project.config.metrics),
    ...(links && top
      ? {
          link: (file: string, line?: number) => fileUrl(links, inRepository(file), line),
          commitLink: (commit: string) => commitUrl(links, commit),
          repository: links.web,
          commit: links.commit,
        }
      : {}),
  });
  return { data, scan };
}

/**
 * The overview's script as a classic script: a page opened from disk cannot load module scripts
 * (file: URLs have no origin for CORS). The CLI reads what tsc compiled into dist/site/client/; the
 * Action's one-file bundle carries its own copy beside it (src/scripts/build-action.ts). The CLI's
 * bundle runs from dist/cli/, tsc's module of this file from dist/cli/flows/.
 */
function overviewScript(): string {
  const bundled = new URL('./site-overview.js', import.meta.url);
  if (existsSync(bundled)) return readFileSync(bundled, 'utf8');
  const compiled = ['../site/client/overview.js', '../../site/client/overview.js']
    .map((path) => new URL(path, import.meta.url))
    .find((url) => existsSync(url));
  if (!compiled) throw new Error(`The site's script is missing from this installation of flagops (dist/site/client/overview.js): reinstall flagops.`);
  const text = readFileSync(compiled, 'utf8');
  return `(() => {\n${text.replace(/^export \{\};\s*$/m, '')}})();\n`;
}

/** Every file of the site, the overview's script included. */
export function siteFiles(data: SiteData): SiteFile[] {
  return [...renderSite(data), { path: 'assets/overview.js', content: overviewScript() }, { path: SITE_MARKER, content: 'Built by flagops site; a rebuild replaces this folder.\n' }];
}

/**
 * Writes the site into `out`: built beside it, then swapped in, so a folder being served never
 * shows half a site. A folder that holds anything else is refused, never emptied.
 */
export function writeSite(out: string, files: readonly SiteFile[], shownOut: string): { bytes: number } {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new UsageError(`${shownOut} is a file, not a folder.`, 'Pass a folder for the site with --out.');
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
      throw new UsageError(
        `${shownOut} is not empty and was not built by flagops site: its files are left as they are.`,
        'Pass a new or empty folder with --out (for example .flagops/site or _site).',
      );
    }
  }
  const staging = `${out}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  let bytes = 0;
  try {
    const folders = new Set<string>();
    for (const file of files) {
      const path = join(staging, ...file.path.split('/'));
      const folder = dirname(path);
      if (!folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      writeFileSync(path, file.content);
      bytes += Buffer.byteLength(file.content);
    }
    rmSync(out, { recursive: true, force: true });
    renameSync(staging, out);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'ENOTDIR') {
      throw new UsageError(`Cannot write the site to ${shownOut}: ${code}.`, 'Pass a folder you can write with --out.');
    }
    throw error;
  }
  return { bytes };
}
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** What `flagops site` does with its arguments. */
export async function runSite(args: ParsedArgs, io: Io): Promise<number> {
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
}
