import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '../core/shared/diagnostic.js';
import { decodeUtf8 } from '../core/definition/load/decode.js';
import type { FlagText } from '../core/definition/validate/validate-flags.js';
import { readBounded, refusal } from './read-bounded.js';

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
 * A file that cannot be read, is too large, is not UTF-8, is not a regular file, or is a link that
 * leads out of `root` (the project) becomes a diagnostic; the rest are still read.
 */
export function readFlagFiles(
  paths: readonly string[],
  options: { cwd: string; maxFileBytes: number; root: string; skip?: string },
): FlagFiles {
  const found: string[] = [];
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new MissingFlagsFolder(displayPath(options.cwd, path));
    }
    if (stat.isDirectory()) for (const file of listYaml(path, options.skip)) found.push(file);
    else found.push(path);
  }
  found.sort();

  const files: FlagText[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const absolute of found) {
    const file = displayPath(options.cwd, absolute);
    const problem = (code: string, message: string, hint: string) =>
      diagnostics.push({ severity: 'error', code, file, line: 1, column: 1, message, hint });
    const read = readBounded(absolute, options.maxFileBytes, options.root);
    if ('tooLarge' in read) {
      problem(
        'file-too-large',
        // Only a size the file system reported is shown; a file that grew while read is just "over".
        `The file is ${read.tooLarge > options.maxFileBytes + 1 ? `${formatBytes(read.tooLarge)}, ` : ''}over the limit of ${formatBytes(options.maxFileBytes)}; it was not read.`,
        'A flag file is a few dozen lines. Split it, or raise limits.maxFileBytes in flagops.config.yaml.',
      );
    } else if ('outside' in read) {
      problem('file-outside-project', refusal(file, read), 'Keep flag and spec files inside the project; copy the file in rather than linking to it.');
    } else if ('notRegular' in read) {
      problem('file-not-regular', refusal(file, read), 'Flag and spec files are plain files; remove or replace this one.');
    } else if ('error' in read) {
      problem('file-unreadable', `The file could not be read (${read.error}).`, 'Check that it exists and that you may read it.');
    } else {
      const decoded = decodeUtf8(file, read.bytes);
      if ('diagnostic' in decoded) diagnostics.push(decoded.diagnostic);
      else files.push({ file, text: decoded.text });
    }
  }
  return { files, diagnostics, count: found.length, paths: found.map((f) => displayPath(options.cwd, f)) };
}

/** Every .yaml/.yml path below a folder (hidden folders and `skip` left out), in no particular order. */
export function listYaml(folder: string, skip?: string): string[] {
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
      if (entry.isDirectory()) {
        if (full !== skip) stack.push(full);
      } else if (isFlagFile(entry.name)) {
        // Anything named like a flag file is listed, so that a FIFO or a device is reported, not skipped.
        out.push(full);
      }
    }
  }
  return out;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} bytes`;
}
