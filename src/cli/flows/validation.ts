import { resolve, sep } from 'node:path';
import type { Diagnostic } from '../../core/shared/diagnostic.js';
import { existsSync } from 'node:fs';
import { checkReferences } from '../../core/definition/validate/references.js';
import { brokenKeys, type LoadedFlag, validateFlagTexts } from '../../core/definition/validate/validate-flags.js';
import { type LoadedSegment, validateSegmentTexts } from '../../core/definition/validate/validate-segments.js';
import { displayPath, MissingFlagsFolder, readFlagFiles } from '../../files/read-flag-files.js';
import { maskRedisPasswords } from '../../store/redis-url.js';
import { UsageError } from '../io.js';
import { loadProject, type Project } from './project.js';

export interface ValidationRun {
  project: Project;
  flags: LoadedFlag[];
  /** The segments that validated (a project without a segments folder has none). */
  segments: LoadedSegment[];
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
    return { project, flags: [], segments: [], diagnostics: project.diagnostics, files: 1, sources, configBroken: true, flagFiles: [] };
  }
  const flagsFolder = resolve(project.root, project.config.paths.flags);
  const segmentsFolder = resolve(project.root, project.config.paths.segments);
  const given = options.paths?.length ? options.paths.map((p) => resolve(cwd, p)) : undefined;
  // Segment files among the given paths are checked as segments (all segments are read anyway).
  const paths = given ? given.filter((p) => !isInside(p, segmentsFolder)) : [flagsFolder];
  for (const path of given ?? []) {
    if (isInside(path, segmentsFolder) && !existsSync(path)) throw new UsageError(`No file or folder at ${displayPath(cwd, path)}.`, 'Check the paths you passed.');
  }
  let read: ReturnType<typeof readFlagFiles>;
  try {
    // Segments may live in a folder inside the flags folder (flags/segments): they are not flags.
    read = readFlagFiles(paths, { cwd, maxFileBytes: project.config.limits.maxFileBytes, root: project.root, skip: segmentsFolder });
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
  const segmentRun = readSegments(segmentsFolder, cwd, project, sources);
  const references = checkReferences({
    flags: validation.flags,
    segments: segmentRun.segments,
    config: project.config,
    brokenFlags: brokenKeys(read.paths, validation.flags),
    brokenSegments: brokenKeys(segmentRun.files, segmentRun.segments),
    partial: Boolean(given),
    segmentsFolder: project.config.paths.segments,
  });
  // With paths, only what concerns those files is reported (segments and other flags are read for references).
  const asked = (file: string) => !given || given.some((p) => isInside(resolve(cwd, file), p));
  const found = [...read.diagnostics, ...validation.diagnostics, ...segmentRun.diagnostics, ...references].filter((d) => asked(d.file));
  const diagnostics = [...project.diagnostics, ...found];
  if (read.count === 0 && (!given || paths.length > 0)) {
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
    segments: segmentRun.segments,
    diagnostics,
    files: read.count + segmentRun.files.filter(asked).length,
    sources,
    configBroken: false,
    flagFiles: read.paths,
    ...(options.paths?.length ? {} : { flagsFolder }),
  };
}

const isInside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}${sep}`);

/** The segment files (a project that has no segments folder has no segments: not an error). */
function readSegments(folder: string, cwd: string, project: Project, sources: Map<string, string>) {
  if (!existsSync(folder)) return { segments: [] as LoadedSegment[], diagnostics: [] as Diagnostic[], files: [] as string[] };
  const read = readFlagFiles([folder], { cwd, maxFileBytes: project.config.limits.maxFileBytes, root: project.root });
  for (const file of read.files) sources.set(file.file, file.text);
  const validation = validateSegmentTexts(read.files, project.config, read.paths);
  return { segments: validation.segments, diagnostics: [...read.diagnostics, ...validation.diagnostics], files: read.paths };
}
