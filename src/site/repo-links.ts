/** Where a repository's files are seen on the web, to link a reference to its line. */
export interface RepoLinks {
  /** https://github.com/acme/shop, without a trailing slash. */
  web: string;
  host: 'github' | 'gitlab' | 'bitbucket' | 'other';
  /** The commit the links point at, so a line number stays right after later changes. */
  commit: string;
}

/**
 * A remote URL as its web address: git@host:owner/repo.git, ssh://git@host/owner/repo,
 * https://token@host/owner/repo.git. User names and passwords are dropped, never shown.
 */
export function webUrlOfRemote(remote: string): Pick<RepoLinks, 'web' | 'host'> | undefined {
  const trimmed = remote.trim();
  let host: string;
  let path: string;
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(trimmed);
  if (scp) {
    [host, path] = [scp[1]!, scp[2]!];
  } else {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) || !url.hostname) return undefined;
    host = url.hostname;
    path = url.pathname.replace(/^\/+/, '');
    // An https remote keeps its port (a self-hosted GitLab on :8443); ssh ports are not web ports.
    if (url.protocol === 'https:' && url.port) host = `${host}:${url.port}`;
  }
  path = path.replace(/\.git\/?$/, '').replace(/\/+$/, '');
  if (!/^[\w.~-]+(\/[\w.~-]+)+$/.test(path)) return undefined;
  const name = host.toLowerCase();
  const kind = name.includes('github') ? 'github' : name.includes('gitlab') ? 'gitlab' : name.includes('bitbucket') ? 'bitbucket' : 'other';
  return { web: `https://${host}/${path}`, host: kind };
}

/** The links of a GitHub Actions run: GITHUB_SERVER_URL and GITHUB_REPOSITORY. */
export function webUrlOfActions(env: NodeJS.ProcessEnv): Pick<RepoLinks, 'web' | 'host'> | undefined {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  if (!server || !repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return undefined;
  const base = webUrlOfRemote(`${server.replace(/\/+$/, '')}/${repository}`);
  return base ? { web: base.web, host: 'github' } : undefined;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** The web address of a file (a path from the repository's top), at a line. */
export function fileUrl(links: RepoLinks, path: string, line?: number): string {
  const file = encodePath(path);
  switch (links.host) {
    case 'gitlab':
      return `${links.web}/-/blob/${links.commit}/${file}${line ? `#L${line}` : ''}`;
    case 'bitbucket':
      return `${links.web}/src/${links.commit}/${file}${line ? `#lines-${line}` : ''}`;
    default:
      return `${links.web}/blob/${links.commit}/${file}${line ? `#L${line}` : ''}`;
  }
}

export function commitUrl(links: RepoLinks, commit: string): string {
  return links.host === 'gitlab' ? `${links.web}/-/commit/${commit}` : links.host === 'bitbucket' ? `${links.web}/commits/${commit}` : `${links.web}/commit/${commit}`;
}
