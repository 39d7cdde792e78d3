import { spawnSync } from 'node:child_process';

function git(cwd: string, args: string[]): { code: number | null; out: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return { code: result.error ? null : result.status, out: (result.stdout ?? '').trim() };
}

/** The commit checked out in `cwd`, or undefined outside a git repository. */
export function headCommit(cwd: string): string | undefined {
  const { code, out } = git(cwd, ['rev-parse', '--verify', 'HEAD^{commit}']);
  return code === 0 ? out : undefined;
}

/**
 * Whether `ancestor` is `descendant` or comes before it in history. 'unknown' when this clone does
 * not have the commit (a shallow checkout, or a commit from a branch never fetched).
 */
export function isAncestor(cwd: string, ancestor: string, descendant: string): 'yes' | 'no' | 'unknown' {
  if (git(cwd, ['cat-file', '-e', `${ancestor}^{commit}`]).code !== 0) return 'unknown';
  const { code } = git(cwd, ['merge-base', '--is-ancestor', ancestor, descendant]);
  return code === 0 ? 'yes' : code === 1 ? 'no' : 'unknown';
}

/**
 * Files under `paths` that differ from HEAD: staged, unstaged, untracked, and YAML files git
 * ignores (flagops reads them all the same). Paths from the repository root; [] outside git.
 */
export function uncommitted(cwd: string, paths: readonly string[]): string[] {
  const result = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=matching', '--', ...paths], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  if (result.error || result.status !== 0) return [];
  const out: string[] = [];
  const entries = result.stdout.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    const [status, path] = [entry.slice(0, 2), entry.slice(3)];
    // A rename is followed by the path it came from.
    if (status[0] === 'R' || status[0] === 'C') i++;
    if (status === '!!' && !/\.ya?ml$/i.test(path)) continue;
    out.push(path);
  }
  return out.sort();
}

export function gitUser(cwd: string): string | undefined {
  const { code, out } = git(cwd, ['config', 'user.email']);
  return code === 0 && out ? out : undefined;
}

/**
 * `git log --name-only` over `folder`, newest first: each commit's `format` line (without its
 * marker) with the files it touched, as absolute paths. Nothing outside a git repository.
 */
function* commitsTouching(cwd: string, folder: string, format: string): Generator<{ header: string; path: string }> {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0 || !top.out) return;
  const log = spawnSync('git', ['log', `--format=%x00${format}`, '--name-only', '--no-renames', '--', folder], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  if (log.error || log.status !== 0) return;
  let header = '';
  for (const line of log.stdout.split('\n')) {
    if (line.startsWith('\0')) header = line.slice(1);
    else if (line !== '') yield { header, path: `${top.out}/${line}` };
  }
}

/**
 * The days each file under `folder` changed in a commit, newest first. Empty outside a git
 * repository. Paths are absolute.
 */
export function changeDays(cwd: string, folder: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { header: day, path } of commitsTouching(cwd, folder, '%cs')) {
    const days = out.get(path);
    if (!days) out.set(path, [day]);
    else if (days.at(-1) !== day) days.push(day);
  }
  return out;
}

/** A ref as a commit id, or undefined when this clone does not have it. */
export function resolveCommit(cwd: string, ref: string): string | undefined {
  const { code, out } = git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return code === 0 && out ? out : undefined;
}

/**
 * The .yaml/.yml files under `folder` (relative to `cwd`) as they are in `commit`, with paths
 * relative to `cwd` like every other flagops path. One `git cat-file --batch` for all of them.
 */
export function filesAtCommit(cwd: string, commit: string, folder: string): Array<{ file: string; text: string }> {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  const prefix = git(cwd, ['rev-parse', '--show-prefix']);
  if (top.code !== 0) return [];
  const list = spawnSync('git', ['ls-tree', '-r', '-z', '--full-name', '--name-only', commit, '--', folder], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (list.status !== 0) return [];
  const paths = list.stdout.split('\0').filter((p) => /\.ya?ml$/i.test(p));
  if (paths.length === 0) return [];
  const batch = spawnSync('git', ['cat-file', '--batch'], {
    cwd,
    input: paths.map((p) => `${commit}:${p}\n`).join(''),
    maxBuffer: 1024 * 1024 * 1024,
  });
  const out = batch.stdout;
  const files: Array<{ file: string; text: string }> = [];
  let at = 0;
  for (const path of paths) {
    const newline = out.indexOf(10, at);
    const header = out.subarray(at, newline).toString('utf8').split(' ');
    const size = Number(header[2]);
    at = newline + 1;
    if (header[1] === 'blob' && Number.isFinite(size)) {
      const relative = path.startsWith(prefix.out) ? path.slice(prefix.out.length) : `${'../'.repeat(prefix.out.split('/').filter(Boolean).length)}${path}`;
      files.push({ file: relative, text: out.subarray(at, at + size).toString('utf8') });
      at += size + 1;
    }
  }
  return files;
}

export interface Change {
  commit: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
  author: string;
  subject: string;
}

/**
 * The last `perFile` commits that touched each file under `folder`, newest first, from one
 * `git log` (a log per file would cost a process per flag). Paths are absolute; empty outside git.
 */
export function fileHistory(cwd: string, folder: string, perFile: number): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const { header, path } of commitsTouching(cwd, folder, '%H%x1f%cs%x1f%an%x1f%s')) {
    const [commit = '', date = '', author = '', subject = ''] = header.split('\x1f');
    const list = out.get(path);
    if (!list) out.set(path, [{ commit, date, author, subject }]);
    else if (list.length < perFile) list.push({ commit, date, author, subject });
  }
  return out;
}

/** The repository's top folder, or undefined outside git. */
export function topLevel(cwd: string): string | undefined {
  const { code, out } = git(cwd, ['rev-parse', '--show-toplevel']);
  return code === 0 && out ? out : undefined;
}

/** The URL of a remote (origin by default), or undefined. */
export function remoteUrl(cwd: string, remote = 'origin'): string | undefined {
  const { code, out } = git(cwd, ['remote', 'get-url', remote]);
  return code === 0 && out ? out : undefined;
}
