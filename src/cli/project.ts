import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CONFIG_FILE, type Config, defaultConfig, parseConfig } from '../core/config.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { decodeUtf8 } from '../core/load/decode.js';
import { readBounded, refusal } from '../files/read-bounded.js';
import { displayPath } from '../files/read-flag-files.js';
import { UsageError } from './io.js';

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

/** Finds and reads flagops.config.yaml (or --config). A missing default file means defaults. */
export function loadProject(cwd: string, configOption?: string): Project {
  const path = resolve(cwd, configOption ?? CONFIG_FILE);
  if (!existsSync(path)) {
    if (configOption) {
      throw new UsageError(`Config file ${configOption} does not exist.`, 'Check the --config path.');
    }
    return { config: defaultConfig(), root: cwd, diagnostics: [] };
  }
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
