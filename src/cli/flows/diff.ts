import { guardWords } from '../../core/definition/guard-thresholds.js';
import { relative, resolve } from 'node:path';
import { diffFlags, type ReferenceSite } from '../../core/change/diff.js';
import { checkReferences } from '../../core/definition/validate/references.js';
import { brokenKeys, validateFlagTexts } from '../../core/definition/validate/validate-flags.js';
import { validateSegmentTexts } from '../../core/definition/validate/validate-segments.js';
import { filesAtCommit, headCommit, resolveCommit } from '../../files/git.js';
import { formatDiffMarkdown, formatDiffText } from '../../report/diff-report.js';
import { reporterFor } from '../../report/index.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError, useColor } from '../io.js';
import { nowOf } from '../now.js';
import { exitCodeFor, parseOutputChoice, toolInfo } from '../output.js';
import { readPopulation } from './population.js';
import { brokenConfig } from './project.js';
import { runScan } from './scan.js';
import { runValidation } from './validation.js';

/** What `flagops diff` does with its arguments. */
export async function runDiff(args: ParsedArgs, io: Io): Promise<number> {
  const choice = parseOutputChoice(args);
  const base = args.values.base as string | undefined;
  const head = String(args.values.head);
  if (!base) throw new UsageError('Say what to compare against: --base <ref> (e.g. --base origin/main).');
  const population = args.values.population === undefined ? undefined : readPopulation(String(args.values.population), io.cwd);
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (validation.configBroken) throw brokenConfig(validation.diagnostics);
  const { project } = validation;
  if (!headCommit(io.cwd)) {
    throw new UsageError('flagops diff reads the flags from git, and this folder is not in a git repository with a commit.', 'Run it in a clone.');
  }
  const commits = [base, head].map((ref) => {
    const commit = resolveCommit(io.cwd, ref);
    if (!commit) {
      throw new UsageError(
        `This clone has no commit "${ref}".`,
        'Fetch it first (git fetch origin main); in GitHub Actions check out with fetch-depth: 0.',
      );
    }
    return commit;
  });
    // git paths are relative to where flagops runs; the flags folder is relative to the config's folder.
  const folder = relative(io.cwd, resolve(project.root, project.config.paths.flags)) || '.';
  const segmentsFolder = relative(io.cwd, resolve(project.root, project.config.paths.segments)) || '.';
  const inSegments = (file: string) => file === segmentsFolder || file.startsWith(`${segmentsFolder}/`);
  const at = (commit: string) => {
    const { config } = project;
    const files = filesAtCommit(io.cwd, commit, folder).filter((f) => !inSegments(f.file));
    const validation = validateFlagTexts(files, config);
    const broken = brokenKeys(files.map((f) => f.file), validation.flags);
    const segmentFiles = filesAtCommit(io.cwd, commit, segmentsFolder);
    const { segments, diagnostics: segmentDiagnostics } = validateSegmentTexts(segmentFiles, config);
    const brokenSegments = brokenKeys(segmentFiles.map((f) => f.file), segments);
    // What flags and segments name across files, as validate checks it, for that commit.
    const across = checkReferences({ flags: validation.flags, segments, config, brokenFlags: broken, brokenSegments, segmentsFolder });
    return { ...validation, diagnostics: [...validation.diagnostics, ...segmentDiagnostics, ...across], segments, broken };
  };
  const before = at(commits[0]!);
  const after = at(commits[1]!);

  let references: Map<string, ReferenceSite[]> | undefined;
  if (!args.values['no-references']) {
    const scan = await runScan(validation, { cwd: io.cwd, paths: [], now: nowOf(args, io), io, env: io.env, requireSources: false });
    references = new Map();
    for (const r of scan.references) {
      if (r.flag === null) continue;
      const list = references.get(r.flag) ?? [];
      list.push({ file: r.file, line: r.line, column: r.column });
      references.set(r.flag, list);
    }
  }
  const environments = Object.keys(project.config.environments);
  const blast = { now: nowOf(args, io), threshold: project.config.diff.blastRadiusThreshold, ...(population ? { population } : {}) };
  const broken = { base: before.broken, head: after.broken };
  const words = guardWords(project.config.metrics);
  const segments = { base: before.segments, head: after.segments };
  const result = diffFlags(before.flags, after.flags, environments, references, broken, segments, blast, words);
  const diagnostics = [...after.diagnostics, ...result.diagnostics];
  const range = `${base}..${head}`;
  const report = {
    command: 'diff',
    tool: toolInfo(),
    diagnostics,
    files: after.flags.length,
    sources: validation.sources,
    data: { base: { ref: base, commit: commits[0] }, head: { ref: head, commit: commits[1] }, changes: result.changes, segments: result.segments },
  };
  const findings = reporterFor(choice.format, { color: useColor(io) })(report);
  if (choice.format === 'text') io.stdout(`${formatDiffText(result.changes, range, result.segments)}${findings}`);
  else if (choice.format === 'markdown') io.stdout(`${formatDiffMarkdown(result.changes, range, result.segments)}\n${findings}`);
  else io.stdout(findings);
  return exitCodeFor(diagnostics, choice.failOn) === EXIT.ok ? EXIT.ok : EXIT.findings;
}
