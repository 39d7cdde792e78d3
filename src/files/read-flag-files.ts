import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { decodeUtf8 } from '../core/load/decode.js';
import type { FlagText } from '../core/validate/validate-flags.js';

export interface FlagFiles {
  files: FlagText[];
  diagnostics: Diagnostic[];
  /** Files found, including those that could not be read. */
  count: number;
  /** Their paths as shown to users. */
  paths: string[];
}

export class MissingFlagsFolder extends Error {
  constructor(readonly folder: string) {
    super(`No flags folder at ${folder}.`);
  }
}

const isFlagFile = (name: string) => /\.ya?ml$/i.test(name);

/** Paths shown to users: relative to the working directory, with / on every platform. */
export const displayPath = (cwd: string, absolute: string) =>
  relative(cwd, absolute).split(sep).join('/') || '.';

/**
 * Reads every .yaml/.yml file below the given folders (or the given files), sorted by path.
 * A file that cannot be read, is too large or is not UTF-8 becomes a diagnostic; the rest are still read.
 */
export function readFlagFiles(
  paths: readonly string[],
  options: { cwd: string; maxFileBytes: number },
): FlagFiles {
  const found: string[] = [];
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new MissingFlagsFolder(displayPath(options.cwd, path));
    }
    if (stat.isDirectory()) for (const file of listYaml(path)) found.push(file);
    else found.push(path);
  }
  found.sort();

  const files: FlagText[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const absolute of found) {
    const file = displayPath(options.cwd, absolute);
    const problem = (code: string, message: string, hint: string) =>
      diagnostics.push({ severity: 'error', code, file, line: 1, column: 1, message, hint });
    try {
      const size = statSync(absolute).size;
      if (size > options.maxFileBytes) {
        problem(
          'file-too-large',
          `The file is ${formatBytes(size)}, over the limit of ${formatBytes(options.maxFileBytes)}; it was not read.`,
          'A flag file is a few dozen lines. Split it, or raise limits.maxFileBytes in flagops.config.yaml.',
        );
        continue;
      }
      const decoded = decodeUtf8(file, readFileSync(absolute));
      if ('diagnostic' in decoded) diagnostics.push(decoded.diagnostic);
      else files.push({ file, text: decoded.text });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      problem(
        'file-unreadable',
        `The file could not be read (${code}).`,
        'Check that it exists and that you may read it.',
      );
    }
  }
  return { files, diagnostics, count: found.length, paths: found.map((f) => displayPath(options.cwd, f)) };
}

function listYaml(folder: string): string[] {
  const out: string[] = [];
  const stack = [folder];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      out.push(dir); // reported as unreadable when it is read
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isFlagFile(entry.name)) out.push(full);
    }
  }
  return out;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} bytes`;
}
