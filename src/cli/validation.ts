import { resolve, sep } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { existsSync } from 'node:fs';
import { checkReferences } from '../core/validate/references.js';
import { duplicateKeys, keyFromFile, type LoadedFlag, validateFlagTexts } from '../core/validate/validate-flags.js';
import { type LoadedSegment, validateSegmentText } from '../core/validate/validate-segments.js';
import { displayPath, MissingFlagsFolder, readFlagFiles } from '../files/read-flag-files.js';
import { maskRedisPasswords } from '../store/redis-url.js';
import { UsageError } from './io.js';
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
  const segmentRun = readSegments(cwd, project, sources);
  const partial = Boolean(options.paths?.length);
  // With paths, prerequisites may name flags outside them: those are looked up by file name only.
  const flagKeys = new Set(read.paths.map(keyFromFile));
  const valid = new Set(validation.flags.map((f) => f.key));
  const broken = new Set([...flagKeys].filter((key) => !valid.has(key)));
  const references = checkReferences({
    flags: validation.flags,
    segments: segmentRun.segments,
    config: project.config,
    brokenFlags: broken,
    brokenSegments: segmentRun.broken,
    partial,
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
function readSegments(cwd: string, project: Project, sources: Map<string, string>) {
  const folder = resolve(project.root, project.config.paths.segments);
  if (!existsSync(folder)) {
    return { segments: [] as LoadedSegment[], diagnostics: [] as Diagnostic[], files: [] as string[], broken: new Set<string>() };
  }
  const read = readFlagFiles([folder], { cwd, maxFileBytes: project.config.limits.maxFileBytes, root: project.root });
  const segments: LoadedSegment[] = [];
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  for (const file of read.files) {
    sources.set(file.file, file.text);
    const result = validateSegmentText(file, project.config);
    if (result.segment) segments.push(result.segment);
    diagnostics.push(...result.diagnostics);
  }
  for (const { flag: _flag, ...d } of duplicateKeys(read.paths)) {
    diagnostics.push({ ...d, code: 'duplicate-segment-key', message: d.message.replace('The flag key', 'The segment key').replace('also defined by', 'also the key of') });
  }
  const valid = new Set(segments.map((s) => s.key));
  const broken = new Set(read.paths.map(keyFromFile).filter((key) => !valid.has(key)));
  return { segments, diagnostics, files: read.paths, broken };
}
