import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { cliPath } from './cli.js';

export interface Served {
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** Runs `flagops serve --port 0` as a user would and waits for its "serving" line. */
export function startServe(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', ...args], { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flagops serve did not start:\n${out}`)), 20_000);
    const look = () => {
      const line = out.split('\n').find((l) => l.includes('"msg":"serving"'));
      if (line) {
        clearTimeout(timer);
        const { address } = JSON.parse(line) as { address: string };
        resolve({
          url: address,
          child,
          output: () => out,
          stop: () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`flagops serve exited (${code}):\n${out}`));
    });
  });
}

/** Sets the serve: section of a project's flagops.config.yaml, keeping the rest (and its comments). */
export function setServeSettings(root: string, serve: Record<string, unknown>): void {
  const path = join(root, 'flagops.config.yaml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  doc.set('serve', serve);
  writeFileSync(path, doc.toString());
}
