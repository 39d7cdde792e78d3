import { resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { type LoadedFlag, validateFlagTexts } from '../core/validate/validate-flags.js';
import { displayPath, MissingFlagsFolder, readFlagFiles } from '../files/read-flag-files.js';
import { maskRedisPasswords } from '../store/redis-url.js';
import { UsageError } from './io.js';
import { loadProject, type Project } from './project.js';

export interface ValidationRun {
  project: Project;
  flags: LoadedFlag[];
  diagnostics: Diagnostic[];
  files: number;
  sources: Map<string, string>;
  /** The configuration itself is broken: nothing else was checked. */
  configBroken: boolean;
  /** Every flag file found, valid or not. */
  flagFiles: string[];
  /** The flags folder (absolute), or undefined when paths were given. */
  flagsFolder?: string;
}

/** Reads the config and the flag files (or the given paths) and validates them. */
export function runValidation(
  cwd: string,
  options: { config?: string; paths?: readonly string[] },
): ValidationRun {
  const project = loadProject(cwd, options.config);
  const sources = new Map<string, string>();
  if (project.configFile && project.configText !== undefined) {
    sources.set(project.configFile, maskRedisPasswords(project.configText));
  }
  if (project.diagnostics.some((d) => d.severity === 'error')) {
    return { project, flags: [], diagnostics: project.diagnostics, files: 1, sources, configBroken: true, flagFiles: [] };
  }
  const flagsFolder = resolve(project.root, project.config.paths.flags);
  const paths = options.paths?.length ? options.paths.map((p) => resolve(cwd, p)) : [flagsFolder];
  let read: ReturnType<typeof readFlagFiles>;
  try {
    read = readFlagFiles(paths, { cwd, maxFileBytes: project.config.limits.maxFileBytes, root: project.root });
  } catch (error) {
    if (error instanceof MissingFlagsFolder) {
      if (options.paths?.length) {
        throw new UsageError(`No file or folder at ${error.folder}.`, 'Check the paths you passed.');
      }
      throw new UsageError(
        `No flags folder at ${error.folder}.`,
        `Create it and add one <key>.yaml file per flag, or point paths.flags in ${project.configFile ?? 'flagops.config.yaml'} at your flags folder.`,
      );
    }
    throw error;
  }
  for (const { file, text } of read.files) sources.set(file, text);
  const validation = validateFlagTexts(read.files, project.config);
  const diagnostics = [...project.diagnostics, ...read.diagnostics, ...validation.diagnostics];
  if (read.count === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'flags-dir-empty',
      file: paths.length === 1 ? displayPath(cwd, paths[0]!) : '.',
      line: 1,
      column: 1,
      message: 'No flag files (.yaml or .yml) were found.',
      hint: 'Add one file per flag, e.g. flags/new-checkout.yaml; see docs/flag-format.md.',
    });
  }
  return {
    project,
    flags: validation.flags,
    diagnostics,
    files: read.count,
    sources,
    configBroken: false,
    flagFiles: read.paths,
    ...(options.paths?.length ? {} : { flagsFolder }),
  };
}
