import { capPerFile, type Diagnostic } from '../../core/shared/diagnostic.js';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileRefs, compileSegment } from '../../core/serving/compile.js';
import { snapshotOfDefinitions } from '../../core/serving/evaluate/checkout.js';
import { matchTest } from '../../core/serving/evaluate/match.js';
import type { Snapshot } from '../../core/serving/evaluate/snapshot.js';
import { parseSpecFile, type SpecCase } from '../../core/serving/spec/parse-spec.js';
import { type CaseResult, runSpecs } from '../../core/serving/spec/run-specs.js';
import { displayPath, MissingFlagsFolder, readFlagFiles } from '../../files/read-flag-files.js';
import { UsageError } from '../io.js';
import type { ValidationRun } from './validation.js';

export interface SpecRun {
  /** Spec files read (0 when there is no tests folder). */
  files: number;
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  results: CaseResult[];
}

/**
 * Reads the flag spec files (the given paths, else the tests folder, which may be absent) and runs
 * every case against the checkout's valid flags, compiled per configured environment.
 */
export function runSpecFiles(validation: ValidationRun, options: { cwd: string; paths?: readonly string[]; now: number }): SpecRun {
  const { project } = validation;
  const folder = resolve(project.root, project.config.paths.tests);
  const given = options.paths?.length ? options.paths.map((p) => resolve(options.cwd, p)) : undefined;
  if (!given && !(existsSync(folder) && statSync(folder).isDirectory())) return { files: 0, sources: new Map(), diagnostics: [], results: [] };
  let read: ReturnType<typeof readFlagFiles>;
  try {
    read = readFlagFiles(given ?? [folder], { cwd: options.cwd, maxFileBytes: project.config.limits.maxFileBytes, root: project.root });
  } catch (error) {
    if (error instanceof MissingFlagsFolder) throw new UsageError(`No file or folder at ${error.folder}.`, 'Check the paths you passed.');
    throw error;
  }
  const diagnostics = [...read.diagnostics];
  const cases: SpecCase[] = [];
  const sources = new Map<string, string>();
  for (const { file, text } of read.files) {
    sources.set(file, text);
    const parsed = parseSpecFile(file, text);
    diagnostics.push(...parsed.diagnostics);
    cases.push(...parsed.cases);
  }
  if (given && read.count === 0) {
    throw new UsageError(`No spec files (.yaml) at ${given.map((p) => displayPath(options.cwd, p)).join(', ')}.`);
  }
  const snapshots = new Map<string, Snapshot>();
  for (const env of Object.keys(project.config.environments)) snapshots.set(env, snapshotOfDefinitions(validation.flags, env, validation.segments));
  const refs = compileRefs(validation.flags, validation.segments);
  const segments = new Map(
    validation.segments.map((s) => {
      const test = matchTest(compileSegment(s.key, refs)) ?? (() => true);
      return [s.key, { test, ...(s.definition.environments ? { environments: s.definition.environments } : {}) }];
    }),
  );
  const run = runSpecs(cases, snapshots, options.now, segments);
  return { files: read.count, sources, diagnostics: capPerFile([...diagnostics, ...run.diagnostics]), results: run.results };
}

export function specSummary(run: SpecRun): string[] {
  if (run.files === 0) return [];
  const passed = run.results.filter((r) => r.passed).length;
  const failed = run.results.length - passed;
  return [`Flag specs: ${run.results.length} case${run.results.length === 1 ? '' : 's'} in ${run.files} file${run.files === 1 ? '' : 's'}, ${passed} passed, ${failed} failed.`];
}

/** For the test command's --list: one line per case. */
export const caseLines = (results: readonly CaseResult[]) =>
  results.map((r) => {
    const what =
      r.segment !== undefined
        ? `segment ${r.segment} → ${r.matched === undefined ? 'not run' : r.matched ? 'matches' : 'does not match'}`
        : `${r.flag} in ${r.env} → ${r.got ? `${r.got.variant ?? '(default)'} (${r.got.reason})` : 'not run'}`;
    return `  ${r.passed ? 'pass' : 'FAIL'}  ${r.file}:${r.line}  ${r.name ? `${r.name}: ` : ''}${what}`;
  });
