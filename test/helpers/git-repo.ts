import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpProject, writeFile } from './tmp.js';

/** A throw-away git repository with a flagops project in it. */
export class GitRepo {
  readonly root: string;

  constructor(files: Record<string, string> = {}) {
    this.root = tmpProject(files);
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'ci@example.test');
    this.git('config', 'user.name', 'CI');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8' }).trim();
  }

  write(files: Record<string, string>): this {
    for (const [path, content] of Object.entries(files)) writeFile(this.root, path, content);
    return this;
  }

  remove(...paths: string[]): this {
    for (const path of paths) rmSync(`${this.root}/${path}`, { recursive: true, force: true });
    return this;
  }

  /** Commits everything; returns the new commit. */
  commit(message = 'change'): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }
}

export const flagFile = (serve = 'on', extra = '') => `description: A flag for a test.
owner: "@acme/web"
type: ops
created: 2026-11-10
environments:
  staging: { enabled: true, serve: ${serve} }
  production: { enabled: true, serve: ${serve} }
${extra}`;
