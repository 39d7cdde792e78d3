import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Config, CONFIG_FILES, defaultConfig, parseConfig } from '../../core/definition/config.js';
import type { Diagnostic } from '../../core/shared/diagnostic.js';
import { decodeUtf8 } from '../../core/definition/load/decode.js';
import { readBounded, refusal } from '../../files/read-bounded.js';
import { displayPath } from '../../files/read-flag-files.js';
import { UsageError } from '../io.js';

export interface Project {
  config: Config;
  /** The folder that relative paths in the config are resolved against. */
  root: string;
  configFile?: string;
  /** Problems in the configuration file: flagops cannot run with them. */
  diagnostics: Diagnostic[];
  configText?: string;
}

const CONFIG_MAX_BYTES = 1024 * 1024;

/**
 * The configuration file for a run in `cwd`: flagops.config.yaml or .yml in `cwd` or the nearest
 * folder above it, up to the repository root (the folder with .git) or the file system's root.
 * Both names in one folder is an error: which one counts would be a guess.
 */
export function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const present = CONFIG_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
    if (present.length > 1) {
      throw new UsageError(
        `Both ${CONFIG_FILES.join(' and ')} are in ${dir === resolve(cwd) ? 'this folder' : dir}; flagops reads one.`,
        'Keep one of them (merge what the other holds).',
      );
    }
    if (present.length === 1) return present[0];
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

/**
 * Finds and reads the configuration (--config, else the nearest flagops.config.yaml or .yml from
 * `cwd` up to the repository root). Paths in it are relative to its folder. No file means defaults,
 * with `cwd` as the root.
 */
export function loadProject(cwd: string, configOption?: string): Project {
  if (configOption && !existsSync(resolve(cwd, configOption))) {
    throw new UsageError(`Config file ${configOption} does not exist.`, 'Check the --config path.');
  }
  const path = configOption ? resolve(cwd, configOption) : findConfig(cwd);
  if (path === undefined) return { config: defaultConfig(), root: cwd, diagnostics: [] };
  const file = displayPath(cwd, path);
  // Read before the limits it sets are known: a configuration is a few dozen lines.
  const read = readBounded(path, CONFIG_MAX_BYTES, dirname(path));
  if ('outside' in read || 'notRegular' in read) {
    throw new UsageError(`Config file ${refusal(file, read)}`, 'The configuration is a plain file inside the project.');
  }
  if ('tooLarge' in read) throw new UsageError(`Config file ${file} is over ${CONFIG_MAX_BYTES / 1024 / 1024} MiB; it was not read.`);
  if ('error' in read) throw new UsageError(`Config file ${file} could not be read (${read.error}).`, 'Check that it is a file you may read.');
  const decoded = decodeUtf8(file, read.bytes);
  if ('diagnostic' in decoded)
    return {
      config: defaultConfig(),
      root: dirname(path),
      configFile: file,
      diagnostics: [decoded.diagnostic],
    };
  const { config, diagnostics } = parseConfig(file, decoded.text);
  return { config, root: dirname(path), configFile: file, diagnostics, configText: decoded.text };
}

/**
 * The error of a command that cannot run on a broken configuration: the first problem at its
 * file:line:col with its fix, and how many more `flagops validate` shows.
 */
export function brokenConfig(diagnostics: readonly Diagnostic[]): UsageError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (!first) return new UsageError('The configuration has errors.', 'Run flagops validate to see them.');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more: flagops validate lists them)` : '';
  return new UsageError(`${first.file}:${first.line}:${first.column} ${first.message}${more}`, first.hint ?? 'Run flagops validate to see every problem.');
}
