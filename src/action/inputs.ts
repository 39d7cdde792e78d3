import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const COMMANDS = ['check', 'diff', 'plan', 'sync', 'guard', 'cleanup', 'site'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

export interface ActionInputs {
  command: ActionCommand;
  env?: string;
  redisUrl?: string;
  failOn: 'error' | 'warning';
  base?: string;
  head: string;
  /** Where flagops runs: the repository root, so every path it prints is one GitHub can annotate. */
  cwd: string;
  /** The working directory's flagops.config.yaml, relative to cwd, when the project is in a subfolder. */
  config?: string;
  /** check: also write the findings as SARIF 2.1.0 to this path (for code scanning). */
  sarifFile?: string;
  /** cleanup: the token for GitHub's API and the push. */
  githubToken?: string;
  /** cleanup: these flags; none: every flag ready for removal. */
  flags: string[];
  /** site: the folder to build the site in (absolute). */
  out: string;
  /** sync: --allow-delete. */
  allowDelete: boolean;
}

export class InputError extends Error {}

/**
 * The action's inputs, checked. `read` is core.getInput (injected so this stays testable); the
 * diff base defaults to the pull request's base commit from the event payload.
 */
export function readInputs(read: (name: string) => string, env: NodeJS.ProcessEnv): ActionInputs {
  const command = read('command') || 'check';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new InputError(`Input "command" must be one of ${COMMANDS.join(', ')}, not "${command}".`);
  }
  const failOn = read('fail-on') || 'error';
  if (failOn !== 'error' && failOn !== 'warning') throw new InputError(`Input "fail-on" must be error or warning, not "${failOn}".`);
  const base = read('base') || (command === 'cleanup' ? undefined : pullRequestBase(env));
  if (command === 'diff' && !base) {
    throw new InputError('The diff command needs a base: run it on pull_request events, or set the "base" input (e.g. origin/main).');
  }
  const env_ = read('env');
  const sarif = read('sarif-file');
  const redisUrl = read('redis-url');
  const token = read('github-token');
  const allowDelete = (read('allow-delete') || 'false').trim().toLowerCase();
  if (allowDelete !== 'true' && allowDelete !== 'false') throw new InputError(`Input "allow-delete" must be true or false, not "${allowDelete}".`);
  return {
    command: command as ActionCommand,
    ...(env_ ? { env: env_ } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    failOn,
    ...(base ? { base } : {}),
    head: read('head') || 'HEAD',
    ...project(env.GITHUB_WORKSPACE ?? process.cwd(), read('working-directory') || '.'),
    ...(sarif ? { sarifFile: resolve(env.GITHUB_WORKSPACE ?? process.cwd(), sarif) } : {}),
    ...(token ? { githubToken: token } : {}),
    flags: read('flags').split(/[\s,]+/).filter((f) => f !== ''),
    out: resolve(env.GITHUB_WORKSPACE ?? process.cwd(), read('out') || '_site'),
    allowDelete: allowDelete === 'true',
  };
}

/**
 * A project in a subfolder runs from the repository root with --config pointing into it, so that
 * annotations name files from the root. Without a config file there it runs in the subfolder.
 */
function project(workspace: string, directory: string): { cwd: string; config?: string } {
  const folder = resolve(workspace, directory);
  if (folder === resolve(workspace)) return { cwd: folder };
  const config = ['flagops.config.yaml', 'flagops.config.yml'].map((name) => join(folder, name)).find((path) => existsSync(path));
  return config ? { cwd: resolve(workspace), config: relative(workspace, config) } : { cwd: folder };
}

/** The base commit of the pull request that triggered the run, from the event payload. */
function pullRequestBase(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_EVENT_PATH) return env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : undefined;
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { base?: { sha?: string } } };
    return event.pull_request?.base?.sha ?? (env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : undefined);
  } catch {
    return undefined;
  }
}

/** The URL and its password, raw and decoded: every form that could appear in a log. */
export function secretsOf(url: string): string[] {
  const secrets = [url];
  // The password runs to the last @ before the host, as clients read it. With an unencoded @ in it
  // (refused before connecting, but the input is logged first) its pieces are masked too, where
  // long enough: masking "ab" would blank every "ab" in the log.
  const password = /^[a-z+]+:\/\/[^:/@]*:([^/]*)@/i.exec(url)?.[1];
  const pieces = password?.includes('@') ? password.split('@').filter((piece) => piece.length >= 4) : [];
  for (const secret of [password, ...pieces]) {
    if (!secret) continue;
    secrets.push(secret);
    try {
      secrets.push(decodeURIComponent(secret));
    } catch {
      // not percent-encoded
    }
  }
  return [...new Set(secrets.filter((s) => s.length > 0))];
}
