import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = `${repoRoot}dist/cli/main.js`;
export const fixture = (...parts: string[]) => `${repoRoot}test/fixtures/${parts.join('/')}`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built flagops binary as a user would: a subprocess in a folder, no colours. */
export function flagops(args: string[], cwd: string, options: SpawnSyncOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...(options.env ?? {}) },
    timeout: 60_000,
    ...options,
  });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** As flagops(), without blocking this process: for tests that serve something (a proxy) meanwhile. */
export function flagopsAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface JsonDiagnostic {
  severity: string;
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  hint?: string;
}

export function flagopsJson(args: string[], cwd: string, options: SpawnSyncOptions = {}) {
  const result = flagops([...args, '--format', 'json'], cwd, options);
  let parsed: { diagnostics: JsonDiagnostic[]; summary: Record<string, number>; flags: unknown[] };
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ...result, json: parsed };
}

/** "file:line:col severity code": the part of a diagnostic that must never drift. */
export const where = (d: JsonDiagnostic) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`;
