import { execFileSync } from 'node:child_process';
import * as core from '@actions/core';
import type { Diagnostic } from '../core/shared/diagnostic.js';
import { GitHubApi, GitHubError, reviewersOf } from './github-api.js';
import { type ActionInputs, InputError } from './inputs.js';

/** What `flagops cleanup --format json` says, as far as a pull request needs it. */
interface CleanupJson {
  diagnostics: Diagnostic[];
  applied: boolean;
  cleaned: { flag: string; owner: string; variant: string; value: unknown; because: string; ready: string }[];
  refused: string[];
  files: { file: string; change: string; role: string }[];
  check?: { command: string; passed: boolean; millis: number };
}

export type Flagops = (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

interface Outcome {
  flag: string;
  result: 'opened' | 'skipped' | 'refused' | 'failed';
  detail: string;
  url?: string;
}

const BRANCH_PREFIX = 'flagops/cleanup/';

/**
 * The scheduled cleanup: for each flag ready for removal without an open cleanup pull request, a
 * branch `flagops/cleanup/<key>` made from the base alone (one flag per branch, never two), the
 * change committed and pushed, a pull request that says what behaviour stays, and a review
 * request to the flag's owner.
 */
export async function cleanupPullRequests(inputs: ActionInputs, flagops: Flagops, env: NodeJS.ProcessEnv): Promise<Outcome[]> {
  const token = inputs.githubToken;
  if (!token) throw new InputError('The cleanup command needs a token: set the github-token input (the default, ${{ github.token }}, works with contents: write and pull-requests: write).');
  const repository = env.GITHUB_REPOSITORY;
  if (!repository || !repository.includes('/')) throw new InputError('GITHUB_REPOSITORY is not set: the cleanup command runs in a GitHub Actions workflow.');
  core.setSecret(basicAuth(token));
  const api = new GitHubApi(env.GITHUB_API_URL ?? 'https://api.github.com', repository, token);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: inputs.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  if (git('status', '--porcelain', '--untracked-files=no') !== '') throw new InputError('The checkout has uncommitted changes: the cleanup command starts from a clean checkout.');
  const start = git('rev-parse', 'HEAD');
  const startBranch = git('rev-parse', '--abbrev-ref', 'HEAD');
  const base = inputs.base ?? (startBranch !== 'HEAD' ? startBranch : env.GITHUB_REF_NAME);
  if (!base) throw new InputError('No base branch: set the base input to the branch cleanup pull requests go to (e.g. main).');

  const ready = inputs.flags.length > 0 ? inputs.flags : await readyFlags(flagops);
  const cleanups = (await api.openPullRequests()).filter((p) => p.head.ref.startsWith(BRANCH_PREFIX));
  const open = new Map(cleanups.map((p) => [p.head.ref.slice(BRANCH_PREFIX.length), p]));
  const identity = gitIdentity(git);
  const outcomes: Outcome[] = [];
  try {
    for (const flag of ready) {
      const existing = open.get(flag);
      if (existing) {
        outcomes.push({ flag, result: 'skipped', detail: `pull request #${existing.number} is open`, url: existing.html_url });
        continue;
      }
      const branch = `${BRANCH_PREFIX}${flag}`;
      const declined = await api.declined(branch);
      if (declined.length > 0) {
        const last = declined[0]!;
        outcomes.push({ flag, result: 'skipped', detail: `pull request #${last.number} was closed without merging: reopen it to remove the flag, or move expires later`, url: last.html_url });
        continue;
      }
      git('checkout', '-q', '-B', branch, start);
      const run = await flagops(['cleanup', flag, '--format', 'json']);
      if (run.code === 2) {
        outcomes.push({ flag, result: 'failed', detail: run.stderr.trim().split('\n')[0] ?? `exit ${run.code}` });
        continue;
      }
      const data = JSON.parse(run.stdout) as CleanupJson;
      const cleaned = data.cleaned.find((c) => c.flag === flag);
      if (!data.applied || !cleaned) {
        const why = data.diagnostics.filter((d) => d.flag === flag || d.code === 'cleanup-check-failed').map((d) => `${d.file}:${d.line}: ${d.message}`);
        outcomes.push({ flag, result: 'refused', detail: why[0] ?? 'nothing to change' });
        continue;
      }
      git('add', '-A', '--', ...data.files.map((f) => f.file));
      git(...identity, 'commit', '-q', '-m', `Remove flag ${flag}, keeping ${cleaned.variant}`, '-m', `${cleaned.ready}. Made by flagops cleanup ${flag}.`);
      push(inputs.cwd, branch, token, env);
      const pr = await api.createPullRequest({ title: `Remove flag ${flag}`, head: branch, base, body: pullRequestBody(cleaned, data) });
      const reviewers = reviewersOf(cleaned.owner, repository.split('/')[0]!);
      let review = reviewers ? `review requested from ${cleaned.owner}` : `no review requested: ${cleaned.owner} is not a GitHub user or team of this organisation`;
      if (reviewers) {
        try {
          await api.requestReviewers(pr.number, reviewers);
        } catch (error) {
          if (!(error instanceof GitHubError)) throw error;
          review = `could not request review from ${cleaned.owner}: ${error.message}`;
          core.warning(`${flag}: ${review}`);
        }
      }
      outcomes.push({ flag, result: 'opened', detail: `#${pr.number}, ${review}`, url: pr.html_url });
    }
  } finally {
    git('checkout', '-q', startBranch !== 'HEAD' ? startBranch : start);
  }
  return outcomes;
}

async function readyFlags(flagops: Flagops): Promise<string[]> {
  const run = await flagops(['cleanup', '--ready', '--dry-run', '--no-check', '--format', 'json']);
  if (run.code === 2) throw new InputError(`flagops cleanup could not run: ${run.stderr.trim()}`);
  const data = JSON.parse(run.stdout) as CleanupJson;
  // Refused ones are tried too, alone: one flag's refusal never holds back another's.
  return [...new Set([...data.cleaned.map((c) => c.flag), ...data.refused])];
}

/** The runner's git has no identity: commits are the Actions bot's, unless the workflow set one. */
function gitIdentity(git: (...args: string[]) => string): string[] {
  try {
    git('config', 'user.email');
    return [];
  } catch {
    return ['-c', 'user.name=github-actions[bot]', '-c', 'user.email=41898282+github-actions[bot]@users.noreply.github.com'];
  }
}

/**
 * Pushes with the token in an HTTP header given through the environment (GIT_CONFIG_*), as
 * actions/checkout does through its config: it is never on a command line or in .git/config.
 */
function push(cwd: string, branch: string, token: string, env: NodeJS.ProcessEnv): void {
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const header = `AUTHORIZATION: basic ${basicAuth(token)}`;
  try {
    execFileSync('git', ['push', '-q', '--force', 'origin', `HEAD:refs/heads/${branch}`], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${server}/.extraheader`, GIT_CONFIG_VALUE_0: header },
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').split(token).join('***');
    throw new InputError(`git push of ${branch} failed: ${stderr.trim() || (error as Error).message}. The job needs contents: write.`);
  }
}

const basicAuth = (token: string) => Buffer.from(`x-access-token:${token}`).toString('base64');

function pullRequestBody(cleaned: CleanupJson['cleaned'][number], data: CleanupJson): string {
  const files = data.files.map((f) => `- \`${f.file}\` (${f.change}${f.role === 'code' ? '' : `, ${f.role === 'flag' ? 'flag file' : f.role === 'spec' ? 'flag specs' : 'generated code'}`})`);
  const check = data.check
    ? `\`${data.check.command}\` ${data.check.passed ? 'passes' : 'fails'} after the change (${(data.check.millis / 1000).toFixed(1)} s).`
    : 'No type check ran: no tsconfig.json holds the edited files and there is no `cleanup.check`.';
  return [
    `Removes the flag \`${cleaned.flag}\` from the code: ${cleaned.ready}.`,
    '',
    `**Behaviour kept:** variant \`${cleaned.variant}\` (\`${JSON.stringify(cleaned.value)}\`), because ${cleaned.because}. Users see what they see today.`,
    '',
    `**Owner:** ${cleaned.owner}`,
    '',
    '**Files**',
    ...files,
    '',
    `**Type check:** ${check}`,
    '',
    `Made by \`flagops cleanup ${cleaned.flag}\` on a schedule. To keep the flag instead, close this pull request and move \`expires\` later in its file.`,
    '',
  ].join('\n');
}

/** The job summary: one row per flag. */
export function cleanupSummary(outcomes: readonly Outcome[]): string {
  if (outcomes.length === 0) return '### flagops cleanup\n\nNo flag is ready for removal.\n';
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = outcomes.map((o) => `| \`${o.flag}\` | ${o.result} | ${o.url ? `[${cell(o.detail)}](${o.url})` : cell(o.detail)} |`);
  return ['### flagops cleanup', '', '| Flag | Result | |', '|---|---|---|', ...rows, ''].join('\n');
}
