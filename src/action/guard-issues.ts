import type { EnvironmentGuard, FlagOutcome } from '../cli/flows/guard.js';
import { GitHubApi, type Issue } from './github-api.js';
import { InputError } from './inputs.js';

/** Markdown cells hold text flagops did not write (reasons quote queries): no pipes, no line breaks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

/** The job summary of one guard run: every guarded rollout, what was decided, and why. */
export function guardSummary(environments: readonly EnvironmentGuard[]): string {
  const out = ['#### Guarded rollouts', ''];
  for (const e of environments) {
    out.push(`**${e.environment}**: ${e.flags.length === 0 ? 'no guarded rollout' : `${e.flags.length} guarded rollout${e.flags.length === 1 ? '' : 's'}`}${e.revision !== null ? ` (written as revision ${e.revision})` : ''}`, '');
    if (e.flags.length === 0) continue;
    out.push('| Flag | Stage | Decision | Guards |', '|---|---|---|---|');
    for (const f of e.flags) {
      const guards = f.guards.map((g) => `${g.decision}: ${cell(g.why)}`).join('<br>');
      out.push(`| \`${f.flag}\` | ${f.stage} (${f.percentage}%) | ${cell(f.summary)} | ${guards} |`);
    }
    if (e.unavailable > 0) out.push('', `> [!WARNING]`, `> ${e.unavailable} guard${e.unavailable === 1 ? '' : 's'} could not read the metrics source: they hold, never pass.`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** A GitHub user to assign from a flag's owner; a team or an e-mail address is mentioned, not assigned. */
const assigneeOf = (owner: string | undefined) => /^@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$/.exec(owner ?? '')?.[1];

export function issueFor(environment: string, f: FlagOutcome): { title: string; body: string; assignees?: string[] } {
  const breached = f.guards.filter((g) => g.decision === 'breach');
  const rows = f.guards.map(
    (g) => `| ${g.metric} | ${g.decision} | ${g.variant.name}: ${g.variant.value ?? 'no data'} (${g.variant.samples ?? 0} samples) | ${g.control.name}: ${g.control.value ?? 'no data'} (${g.control.samples ?? 0} samples) | ${cell(g.why)} |`,
  );
  const assignee = assigneeOf(f.owner);
  const body = [
    `flagops guard killed \`${f.flag}\` in **${environment}**: everyone now gets \`${f.control}\`. It was at stage ${f.stage} (${f.percentage}%).`,
    '',
    `Owner: ${f.owner ?? 'unknown'}`,
    '',
    '| Guard | Decision | New variant | Control | Why |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'Queries:',
    ...breached.map((g) => `- \`${g.metric}\`: \`${g.query.replace(/`/g, '\'')}\` over ${g.window} s`),
    '',
    'What next: fix the cause, then lower or reschedule the stages in the flag file (a pull request) and',
    `\`flagops unkill ${f.flag} --env ${environment}\` to let the rollout resume. The audit (\`flagops status --env ${environment}\`) holds this decision.`,
  ].join('\n');
  return { title: `flagops guard killed ${f.flag} in ${environment}: ${breached.map((g) => g.metric).join(', ')}`, body, ...(assignee ? { assignees: [assignee] } : {}) };
}

/** Opens one issue per killed flag (a kill is a decision someone must follow up). */
export async function openGuardIssues(
  environments: readonly EnvironmentGuard[],
  env: NodeJS.ProcessEnv,
  token: string | undefined,
): Promise<Issue[]> {
  const killed = environments.flatMap((e) => e.flags.filter((f) => f.action === 'kill').map((f) => ({ environment: e.environment, flag: f })));
  if (killed.length === 0) return [];
  if (!token || !env.GITHUB_REPOSITORY) throw new InputError('flagops guard killed a flag but cannot open its issue: set github-token (issues: write) on a GitHub runner.');
  const api = new GitHubApi(env.GITHUB_API_URL ?? 'https://api.github.com', env.GITHUB_REPOSITORY, token);
  const opened: Issue[] = [];
  for (const { environment, flag } of killed) {
    const issue = issueFor(environment, flag);
    try {
      opened.push(await api.createIssue(issue));
    } catch (error) {
      // An owner that cannot be assigned (not a collaborator) must not lose the issue.
      if (!issue.assignees) throw error;
      const { assignees: _unassignable, ...rest } = issue;
      opened.push(await api.createIssue({ ...rest, body: `${rest.body}\n\n(${flag.owner} could not be assigned.)` }));
    }
  }
  return opened;
}
