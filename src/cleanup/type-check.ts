import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../core/shared/diagnostic.js';

/** What must pass after cleanup edits the code, as `flagops cleanup` shows it. */
export interface CheckCommand {
  /** How it is shown: `tsc --noEmit -p tsconfig.json`, or the configured command. */
  shown: string;
  file: string;
  args: string[];
  shell: boolean;
  /** Where it runs: the project root, or the folder of its tsconfig.json. */
  cwd: string;
}

export interface CheckOutcome {
  passed: boolean;
  /** The command's output (the end of it when long). */
  output: string;
  diagnostics: Diagnostic[];
  millis: number;
}

/**
 * `cleanup.check` when set (null: none); else the project's own TypeScript compiler
 * (`node_modules/typescript`, looked up from each tsconfig as Node does) on the nearest
 * tsconfig.json of each edited file: one at the root, or one per package of a monorepo. A project
 * without either gets no check, and the report says so.
 */
export function checkCommandsFor(root: string, edited: readonly string[], configured: string | null | undefined): CheckCommand[] {
  if (configured === null) return [];
  if (configured !== undefined) return [{ shown: configured, file: configured, args: [], shell: true, cwd: root }];
  const projects = new Set<string>();
  for (const file of edited) {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'tsconfig.json'))) {
        projects.add(dir);
        break;
      }
      if (dir === root || dirname(dir) === dir || !dir.startsWith(root)) break;
    }
  }
  const out: CheckCommand[] = [];
  for (const project of [...projects].sort()) {
    const tsc = compilerFrom(project);
    if (!tsc) continue;
    const where = relative(root, project);
    // --pretty false: the plain `file(line,col): error TS…` form, which TypeScript 7 prints in colour otherwise even with FORCE_COLOR=0.
    out.push({ shown: `tsc --noEmit -p ${where ? `${where}/` : ''}tsconfig.json`, file: process.execPath, args: [tsc, '--noEmit', '--pretty', 'false', '-p', 'tsconfig.json'], shell: false, cwd: project });
  }
  return out;
}

function compilerFrom(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const tsc = join(at, 'node_modules', 'typescript', 'bin', 'tsc');
    if (existsSync(tsc)) return tsc;
    if (dirname(at) === at) return undefined;
  }
}

/** What is kept of a check's output: its end, where compilers put the summary. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Runs the check as a child process, without blocking: a SIGINT or SIGTERM to flagops meanwhile
 * is handled at once (`signal` stops the check, and the edits are put back).
 */
export function runCheck(command: CheckCommand, cwd: string, signal?: AbortSignal): Promise<CheckOutcome> {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      shell: command.shell,
      timeout: 30 * 60_000,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let output = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT / 2);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const finish = (status: number | null, failure?: string) => {
      const text = `${output}${failure ? `\n${failure}` : ''}`.trim();
      const passed = status === 0;
      const diagnostics = passed ? [] : compilerErrors(text, command.cwd, cwd, command.shown);
      resolvePromise({ passed, output: text.length > 4000 ? `…${text.slice(-4000)}` : text, diagnostics, millis: performance.now() - started });
    };
    child.once('error', (error) => finish(null, error.message));
    child.once('close', (status) => finish(status));
  });
}

/** tsc's `file(line,col): error TS2304: …` lines as diagnostics; other output as one. */
function compilerErrors(output: string, root: string, cwd: string, shown: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const match of output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)) {
    out.push({
      severity: 'error',
      code: 'cleanup-check-failed',
      file: relative(cwd, resolve(root, match[1]!)) || match[1]!,
      line: Number(match[2]),
      column: Number(match[3]),
      message: `After cleanup, ${shown} fails here: ${match[5]} (${match[4]}).`,
      hint: 'Every edit was put back. Remove this flag by hand, or fix what made the check fail and run flagops cleanup again.',
    });
  }
  if (out.length === 0) {
    const last = output.split('\n').filter((l) => l.trim() !== '').slice(-3).join(' / ');
    out.push({
      severity: 'error',
      code: 'cleanup-check-failed',
      file: relative(cwd, root) || '.',
      line: 1,
      column: 1,
      message: `After cleanup, ${shown} fails${last ? `: ${last}` : ''}.`,
      hint: 'Every edit was put back. Run the check yourself to see why, or set cleanup.check in flagops.config.yaml.',
    });
  }
  return out.slice(0, 50);
}
