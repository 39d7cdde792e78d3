import { InputError } from './inputs.js';

/** What the cleanup job needs from GitHub's REST API: pull requests and review requests. */
export interface PullRequest {
  number: number;
  html_url: string;
  head: { ref: string };
  state?: string;
  merged_at?: string | null;
}

export interface Issue {
  number: number;
  html_url: string;
}

/**
 * A small client for the REST API at GITHUB_API_URL (github.com or an Enterprise Server), with
 * the job's token. The token goes only into the Authorization header: never into a message.
 */
export class GitHubApi {
  constructor(
    private readonly api: string,
    private readonly repository: string,
    private readonly token: string,
  ) {}

  /** Every open pull request, following pagination. */
  async openPullRequests(): Promise<PullRequest[]> {
    const out: PullRequest[] = [];
    for (let page = 1; page <= 50; page++) {
      const batch = await this.request<PullRequest[]>('GET', `/repos/${this.repository}/pulls?state=open&per_page=100&page=${page}`);
      out.push(...batch);
      if (batch.length < 100) break;
    }
    return out;
  }

  /** Pull requests from `branch` that were closed without being merged: a person said no. */
  async declined(branch: string): Promise<PullRequest[]> {
    const owner = this.repository.split('/')[0]!;
    const closed = await this.request<PullRequest[]>('GET', `/repos/${this.repository}/pulls?state=closed&head=${encodeURIComponent(`${owner}:${branch}`)}&per_page=100`);
    // Filtered here too: the query is a filter GitHub applies, not one every server does.
    return closed.filter((p) => p.state === 'closed' && !p.merged_at && p.head.ref === branch);
  }

  createPullRequest(body: { title: string; head: string; base: string; body: string }): Promise<PullRequest> {
    return this.request<PullRequest>('POST', `/repos/${this.repository}/pulls`, body);
  }

  createIssue(body: { title: string; body: string; assignees?: string[]; labels?: string[] }): Promise<Issue> {
    return this.request<Issue>('POST', `/repos/${this.repository}/issues`, body);
  }

  async requestReviewers(number: number, who: { reviewers?: string[]; team_reviewers?: string[] }): Promise<void> {
    await this.request('POST', `/repos/${this.repository}/pulls/${number}/requested_reviewers`, who);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response | undefined;
    // A connection the server closed while it sat idle (a cleanup and its type check take a while)
    // fails before the request is sent: try again on a new one. Repeating a request is safe here:
    // GitHub refuses a second pull request for the same branch, and review requests are idempotent.
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await fetch(`${this.api.replace(/\/$/, '')}${path}`, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'flagops-action',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        if (attempt >= 3) throw new InputError(`GitHub's API at ${this.api} did not answer ${method} ${path.split('?')[0]}: ${describe(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    const text = await response.text();
    if (!response.ok) {
      const message = (() => {
        try {
          return (JSON.parse(text) as { message?: string }).message ?? text;
        } catch {
          return text;
        }
      })();
      throw new GitHubError(response.status, `GitHub answered ${method} ${path.split('?')[0]} with ${response.status}: ${message.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export class GitHubError extends InputError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Who reviews a flag's cleanup, from its owner: `@org/team` is a team of the repository's
 * organisation, `@user` a user; an e-mail address or a name is no GitHub account.
 */
export function reviewersOf(owner: string, repositoryOwner: string): { reviewers?: string[]; team_reviewers?: string[] } | undefined {
  const team = /^@([\w.-]+)\/([\w.-]+)$/.exec(owner);
  if (team) return team[1]!.toLowerCase() === repositoryOwner.toLowerCase() ? { team_reviewers: [team[2]!] } : undefined;
  const user = /^@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$/.exec(owner);
  return user ? { reviewers: [user[1]!] } : undefined;
}
