import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as core from '@actions/core';
import { run } from '../cli/run.js';
import type { Diagnostic } from '../core/shared/diagnostic.js';
import type { FlagDiff } from '../core/change/diff.js';
import type { FlagUsage } from '../core/lifecycle/scan/findings/lifecycle.js';
import type { SegmentChange } from '../core/change/segment-changes.js';
import { parseNow } from '../cli/now.js';
import { formatHealthMarkdown } from '../report/health.js';
import { formatDiffMarkdown } from '../report/diff-report.js';
import { reporterFor } from '../report/index.js';
import type { Report } from '../report/report.js';
import { type EnvironmentOutcome, formatPlanMarkdown, formatPlanText } from '../report/plan-report.js';
import type { EnvironmentGuard } from '../cli/flows/guard.js';
import { loadProject } from '../cli/flows/project.js';
import { cleanupPullRequests, cleanupSummary } from './cleanup-prs.js';
import { guardSummary, openGuardIssues } from './guard-issues.js';
import { type ActionInputs, InputError, readInputs, secretsOf } from './inputs.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** The same commands as the CLI, in this process, output captured. */
async function flagops(args: string[], inputs: ActionInputs): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const [command, ...rest] = args;
  const withConfig = inputs.config ? [command!, '--config', inputs.config, ...rest] : args;
  const code = await run(withConfig, {
    cwd: inputs.cwd,
    // The bundle is one file: scanning stays on this thread (no worker script beside it).
    env: { FLAGOPS_SCAN_WORKERS: '0', ...process.env, NO_COLOR: '1' },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

const count = (diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;

/** Flags that expire soon or have expired, from the check's findings: a section of the job summary. */
function expiringSection(diagnostics: readonly Diagnostic[]): string {
  const soon = diagnostics.filter((d) => d.code === 'expiring-soon' || d.code.startsWith('expired-flag'));
  if (soon.length === 0) return '';
  const rows = soon.map((d) => `| \`${d.flag ?? ''}\` | ${d.code === 'expiring-soon' ? 'expires soon' : 'expired'} | ${d.message.replace(/\|/g, '\\|')} |`);
  return ['#### Flags expiring soon', '', '| Flag | State | |', '|---|---|---|', ...[...new Set(rows)], ''].join('\n');
}

/** The job summary, when the runner provides one (running the bundle by hand, it does not). */
async function writeSummary(markdown: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
}

function parse<T>(captured: Captured, what: string): T {
  try {
    return JSON.parse(captured.stdout) as T;
  } catch {
    throw new InputError(`flagops ${what} could not run: ${captured.stderr.trim() || captured.stdout.trim() || `exit ${captured.code}`}`);
  }
}

/**
 * Text that holds what flagops did not write itself (rule names, reasons, users) goes to the log
 * with workflow commands stopped around it: a line in it that starts with :: is shown, not run.
 */
function writeUntrusted(text: string): void {
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n${text.endsWith('\n') ? text : `${text}\n`}::${token}::\n`);
}

async function annotate(args: string[], inputs: ActionInputs): Promise<void> {
  const github = await flagops([...args, '--format', 'github'], inputs);
  if (github.stdout) process.stdout.write(github.stdout);
}

interface JsonReport {
  tool: Report['tool'];
  command: string;
  summary: { files: number };
  diagnostics: Diagnostic[];
  changes?: FlagDiff[];
  segments?: SegmentChange[];
  /** check: every flag with its owner, expiry and status. */
  flags?: FlagUsage[];
}

/**
 * check and diff run once, as JSON; annotations, SARIF and the summary are rendered from that
 * report by the same reporters the CLI uses, so a large code base is scanned once, not per format.
 */
async function checkOrDiff(inputs: ActionInputs): Promise<void> {
  const args = inputs.command === 'diff' ? ['diff', '--base', inputs.base!, '--head', inputs.head] : ['check'];
  const json = await flagops([...args, '--format', 'json', '--fail-on', inputs.failOn], inputs);
  if (json.code === 2) throw new InputError(`flagops ${inputs.command} could not run: ${json.stderr.trim()}`);
  const data = parse<JsonReport>(json, inputs.command);
  const report: Report = { command: data.command, tool: data.tool, diagnostics: data.diagnostics, files: data.summary.files };
  const render = (format: 'github' | 'sarif' | 'markdown') => reporterFor(format, { color: false })(report);
  process.stdout.write(render('github'));
  if (inputs.sarifFile) {
    writeFileSync(inputs.sarifFile, render('sarif'));
    core.setOutput('sarif-file', inputs.sarifFile);
  }
  // The summary also lists flags expiring soon, which only the check finds.
  const check = inputs.command === 'diff' ? parse<JsonReport>(await flagops(['check', '--format', 'json'], inputs), 'check') : data;
  const diff = data.changes ? `${formatDiffMarkdown(data.changes, `${inputs.base}..${inputs.head}`, data.segments)}\n` : '';
  // The same moment the check counted from (FLAGOPS_NOW pins a run), for the health table.
  const now = parseNow(process.env.FLAGOPS_NOW || undefined);
  const health = check.flags ? formatHealthMarkdown(check.flags, now) : '';
  await writeSummary(`${diff}${render('markdown')}\n${health ? `${health}\n` : ''}${expiringSection(check.diagnostics)}`);
  const errors = count(data.diagnostics, 'error');
  const warnings = count(data.diagnostics, 'warning');
  core.setOutput('errors', errors);
  core.setOutput('warnings', warnings);
  core.setOutput('changed-flags', (data.changes ?? []).map((c) => c.key).join(','));
  if (json.code === 1) {
    core.setFailed(
      `flagops ${inputs.command} found ${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'}` +
      `${inputs.failOn === 'warning' ? ' (fail-on: warning)' : ''}; see the annotations and the job summary.`,
    );
  }
}

async function planOrSync(inputs: ActionInputs): Promise<void> {
  const target = inputs.env ? ['--env', inputs.env] : ['--all-envs'];
  const redis = inputs.redisUrl ? ['--redis', inputs.redisUrl] : [];
  const allow = inputs.command === 'sync' && inputs.allowDelete ? ['--allow-delete'] : [];
  const json = await flagops([inputs.command, ...target, ...redis, ...allow, '--format', 'json'], inputs);
  if (json.code === 2) throw new InputError(`flagops ${inputs.command} could not run: ${json.stderr.trim()}`);
  const data = parse<{ diagnostics: Diagnostic[]; environments: Array<EnvironmentOutcome & { revision?: number }> }>(json, inputs.command);
  const errors = count(data.diagnostics, 'error');
  core.setOutput('errors', errors);
  core.setOutput('warnings', count(data.diagnostics, 'warning'));
  if (errors > 0) {
    await annotate(['validate'], inputs);
    core.setFailed(`flagops ${inputs.command} stopped: the flag files have ${errors} error${errors === 1 ? '' : 's'}; see the annotations.`);
    return;
  }
  const changed = [...new Set(data.environments.flatMap((e) => e.changes.map((c) => c.key)))];
  core.setOutput('changed-flags', changed.join(','));
  const revisions = data.environments.map((e) => e.revision).filter((r): r is number => typeof r === 'number');
  if (revisions.length > 0) core.setOutput('revision', revisions.length === 1 ? revisions[0] : revisions.join(','));
  writeUntrusted(formatPlanText(data.environments));
  await writeSummary(formatPlanMarkdown(inputs.command, data.environments));
  if (json.code === 1) {
    const refused = data.environments.filter((e) => e.status === 'refused' || e.status === 'conflict').map((e) => `${e.environment}: ${e.hint ?? e.status}`);
    core.setFailed(`flagops ${inputs.command} was refused — ${refused.join('; ')}`);
  }
}

async function cleanup(inputs: ActionInputs): Promise<void> {
  const outcomes = await cleanupPullRequests(inputs, (args) => flagops(args, inputs), process.env);
  for (const o of outcomes) {
    const line = `${o.flag}: ${o.result} — ${o.detail}${o.url ? ` (${o.url})` : ''}`;
    if (o.result === 'refused' || o.result === 'failed') core.warning(line);
    else core.info(line);
  }
  await writeSummary(cleanupSummary(outcomes));
  core.setOutput('pull-requests', outcomes.filter((o) => o.result === 'opened').map((o) => o.url).join(','));
  core.setOutput('cleaned-flags', outcomes.filter((o) => o.result === 'opened').map((o) => o.flag).join(','));
  const failed = outcomes.filter((o) => o.result === 'failed');
  if (failed.length > 0) core.setFailed(`flagops cleanup could not run for ${failed.map((o) => o.flag).join(', ')}; see the log.`);
}

/** site: the flag health site, built into `out` for actions/upload-pages-artifact. */
async function site(inputs: ActionInputs): Promise<void> {
  const json = await flagops(['site', '--out', inputs.out, '--format', 'json'], inputs);
  if (json.code !== 0) throw new InputError(`flagops site could not run: ${json.stderr.trim() || `exit ${json.code}`}`);
  const data = parse<{ out: string; pages: number; flags: number; expired: number; expiring: number; stale: number; unused: number; orphaned: number }>(json, 'site');
  core.setOutput('site-path', inputs.out);
  core.setOutput('pages', data.pages);
  const line = `Flag site: ${data.flags} flags (${data.expired} expired, ${data.expiring} expiring soon, ${data.stale} stale, ${data.unused} unused${data.orphaned > 0 ? `, ${data.orphaned} orphaned keys` : ''}), ${data.pages} pages in ${data.out}.`;
  core.info(line);
  await writeSummary(`#### Flag site\n\n${line}\n`);
}

/** guard: decide every guarded rollout; summary of what was decided, and an issue for each kill. */
async function guard(inputs: ActionInputs): Promise<void> {
  // The metrics source's token and any password in its URL are masked before anything is logged.
  const source = loadProject(inputs.cwd, inputs.config).config.metrics.source;
  const token = source?.tokenEnv ? process.env[source.tokenEnv] : undefined;
  if (token) core.setSecret(token);
  const url = process.env[source?.urlEnv ?? 'FLAGOPS_METRICS_URL'] ?? source?.url;
  if (url?.includes('@')) for (const secret of secretsOf(url)) core.setSecret(secret);
  const target = inputs.env ? ['--env', inputs.env] : ['--all-envs'];
  const redis = inputs.redisUrl ? ['--redis', inputs.redisUrl] : [];
  const json = await flagops(['guard', ...target, ...redis, '--format', 'json'], inputs);
  if (json.code === 2) throw new InputError(`flagops guard could not run: ${json.stderr.trim()}`);
  const data = parse<{ environments: EnvironmentGuard[] }>(json, 'guard');
  writeUntrusted(data.environments.flatMap((e) => e.flags.map((f) => `${e.environment} ${f.flag}: ${f.summary}`)).join('\n') || 'no guarded rollout');
  await writeSummary(guardSummary(data.environments));
  const killed = data.environments.flatMap((e) => e.flags.filter((f) => f.action === 'kill').map((f) => f.flag));
  core.setOutput('killed-flags', killed.join(','));
  const issues = await openGuardIssues(data.environments, process.env, inputs.githubToken);
  core.setOutput('issues', issues.map((i) => i.html_url).join(','));
  if (killed.length > 0) core.setFailed(`flagops guard killed ${killed.join(', ')}: ${issues.map((i) => i.html_url).join(', ')}`);
  else if (data.environments.some((e) => e.unavailable > 0)) core.setFailed('flagops guard could not read the metrics source: every guard that needed it holds; see the job summary.');
}

/** The action: inputs → the CLI's commands → annotations, job summary, outputs, and a clear failure. */
export async function runAction(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name), process.env);
    if (inputs.redisUrl) for (const secret of secretsOf(inputs.redisUrl)) core.setSecret(secret);
    if (inputs.githubToken) core.setSecret(inputs.githubToken);
    if (inputs.command === 'check' || inputs.command === 'diff') await checkOrDiff(inputs);
    else if (inputs.command === 'cleanup') await cleanup(inputs);
    else if (inputs.command === 'site') await site(inputs);
    else if (inputs.command === 'guard') await guard(inputs);
    else await planOrSync(inputs);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `flagops failed unexpectedly: ${(error as Error)?.message ?? error}`);
  }
}
