import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { keyFromFile } from '../../core/definition/validate/validate-flags.js';
import { type FlagUsage, lifecycleFindings } from '../../core/lifecycle/scan/findings/lifecycle.js';
import { applySuppressions } from '../../core/lifecycle/scan/findings/suppressions.js';
import { referencePatterns } from '../../core/lifecycle/scan/patterns/configured-patterns.js';
import type { CallPattern, ReferencePatterns } from '../../core/lifecycle/scan/patterns/patterns.js';
import { callName } from '../../core/lifecycle/scan/resolve/definitions.js';
import type { Dropped, Reference } from '../../core/lifecycle/scan/resolve/resolve.js';
import type { Diagnostic } from '../../core/shared/diagnostic.js';
import { FlagopsError } from '../../errors.js';
import { changeDays } from '../../files/git.js';
import { readBounded } from '../../files/read-bounded.js';
import { displayPath } from '../../files/read-flag-files.js';
import { discoverSources } from '../../scan/discover/discover.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { emit, exitCodeFor, parseOutputChoice } from '../output.js';
import { Progress } from '../progress.js';
import { codegenFiles, staleDiagnostics } from './codegen.js';
import { explain, explainTarget, explanationText } from './explain.js';
import { runSpecFiles, specSummary } from './spec.js';
import { runValidation, type ValidationRun } from './validation.js';

export interface ScanRun {
  references: Reference[];
  usage: FlagUsage[];
  wrappers: CallPattern[];
  /** The patterns the scan read with: presets and the configuration's own. */
  patterns: ReferencePatterns;
  /** Built-in call names the code base defines itself, and how many of their calls were not read as flag reads. */
  shadowed: { name: string; at: string; calls: number }[];
  /** Candidates a precision rule dropped (`--explain` lists them). */
  dropped: Dropped[];
  diagnostics: Diagnostic[];
  files: number;
  lines: number;
  suppressed: number;
  /** The whole configured code base was scanned (no paths given). */
  complete: boolean;
  /** scan.include globs that matched no source file. */
  unmatched: string[];
  /** Included files in no language scanned, by extension (or language left out by scan.languages). */
  unread: { extension: string; files: number }[];
  languagesNarrowed: boolean;
  sources: Map<string, string>;
  /** Absolute paths of the scanned source files. */
  paths: readonly string[];
  millis: number;
}

/** Scans the configured sources (or `paths`) against the flags a validation run loaded. */
export async function runScan(
  validation: ValidationRun,
  options: {
    cwd: string;
    paths?: readonly string[];
    now: number;
    io: Pick<Io, 'stderr' | 'stderrTTY'>;
    env?: NodeJS.ProcessEnv;
    /** A scan that finds no source file is an error (false: diff, where references only add detail). */
    requireSources?: boolean;
  },
): Promise<ScanRun> {
  const started = performance.now();
  const { project } = validation;
  const scan = project.config.scan;
  const explicit = (options.paths?.length ?? 0) > 0;
  const roots = explicit ? options.paths!.map((p) => resolve(options.cwd, p)) : [project.root];
  for (const [i, root] of roots.entries()) {
    if (!existsSync(root)) throw new UsageError(`No file or folder at ${options.paths![i]}.`, 'Check the paths you passed.');
  }
  // scan.include: [] says this repository holds flags and no code: nothing to scan, nothing unused.
  const scansNothing = !explicit && scan.include.length === 0;
  const { files, unmatched, unread } = scansNothing
    ? { files: [], unmatched: [], unread: [] }
    : discoverSources({
        root: project.root,
        paths: roots,
        ...(explicit ? {} : { include: scan.include }),
        ...(scan.languages ? { languages: scan.languages } : {}),
        exclude: scan.exclude,
        gitignore: scan.gitignore,
      });
  if (files.length === 0 && !scansNothing && options.requireSources !== false) {
    throw nothingToScan(project, explicit ? options.paths! : undefined, options.cwd);
  }
  const definedKeys = new Set(validation.flagFiles.map(keyFromFile));
  // The TypeScript parser takes half a second to load: only commands that scan pay for it.
  const { scanSources } = await import('../../scan/scanner.js');
  const progress = new Progress(options.io, 'scanning');
  const patterns = referencePatterns({
    defaults: scan.defaultPatterns,
    ...(scan.presets ? { presets: scan.presets } : {}),
    calls: scan.calls,
    hooks: scan.hooks,
    maps: scan.maps,
    jsx: scan.jsx,
  });
  let result;
  try {
    result = await scanSources({
      root: project.root,
      cwd: options.cwd,
      files,
      patterns,
      definedKeys,
      maxFileBytes: scan.maxFileBytes,
      ...workersFromEnv(options.env),
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.end();
  }
  const changedAt = new Map<string, string[]>();
  if (validation.flagsFolder) {
    for (const [path, days] of changeDays(project.root, validation.flagsFolder)) {
      changedAt.set(displayPath(options.cwd, path), days);
    }
  }
  const lifecycle = lifecycleFindings(
    {
      flags: validation.flags,
      definedKeys,
      flagFiles: validation.flagFiles.map((path) => ({ key: keyFromFile(path), file: displayPath(options.cwd, path) })),
      references: result.references,
      changedAt,
    },
    {
      now: options.now,
      types: project.config.types,
      unusedAfterDays: scan.unusedAfterDays,
      expiringWithinDays: scan.expiringWithinDays,
      dynamicSeverity: scan.dynamicReferences,
      complete: !explicit && !scansNothing,
    },
  );
  const sources = new Map<string, string>();
  const textOf = (file: string) => {
    if (sources.has(file)) return sources.get(file);
    const text = validation.sources.get(file) ?? readText(resolve(options.cwd, file), scan.maxFileBytes);
    if (text !== undefined) sources.set(file, text);
    return text;
  };
  const { kept, suppressed } = applySuppressions([...result.diagnostics, ...lifecycle.diagnostics], textOf, scan.ignore);
  for (const d of kept) textOf(d.file);
  return {
    references: result.references,
    usage: lifecycle.usage,
    wrappers: result.wrappers,
    patterns,
    shadowed: result.shadowed,
    dropped: result.dropped,
    diagnostics: kept,
    files: result.files,
    lines: result.lines,
    suppressed,
    complete: !explicit && !scansNothing,
    unmatched,
    unread,
    languagesNarrowed: scan.languages !== undefined,
    sources,
    paths: files,
    millis: performance.now() - started,
  };
}

/** A scan that reads nothing must not pass as a clean one. */
function nothingToScan(project: ValidationRun['project'], paths: readonly string[] | undefined, cwd: string): FlagopsError {
  const kinds = '.ts, .tsx, .mts, .cts, .js, .jsx, .mjs or .cjs';
  if (paths) {
    return new FlagopsError(`No source file to scan in ${paths.join(', ')}: flagops reads ${kinds} files.`, 'Pass the folders that hold your code.');
  }
  const config = project.configFile ? displayPath(cwd, project.configFile) : 'flagops.config.yaml';
  const where = displayPath(cwd, project.root) || '.';
  const { include, exclude } = project.config.scan;
  const excluded = exclude.length > 0 ? ` once scan.exclude (${exclude.join(', ')}) is applied` : '';
  return new FlagopsError(
    `No source file under ${where} matches scan.include (${include.join(', ')})${excluded}, so there is nothing to scan.`,
    `Set scan.include in ${config} to where your code is (for example ["apps/*/src/**", "packages/*/src/**"]), or scan.include: [] if this repository holds flags and no code.`,
  );
}

/** FLAGOPS_SCAN_WORKERS=N sets the number of parse threads (0: none); by default it follows the code base's size. */
function workersFromEnv(env: NodeJS.ProcessEnv | undefined): { workers?: number } {
  const value = env?.FLAGOPS_SCAN_WORKERS;
  if (value === undefined || value === '') return {};
  if (!/^\d{1,2}$/.test(value)) throw new UsageError(`FLAGOPS_SCAN_WORKERS takes a number of threads, not "${value}".`, 'Use 0 to parse on one thread.');
  return { workers: Number(value) };
}

function readText(path: string, maxFileBytes: number): string | undefined {
  const read = readBounded(path, maxFileBytes);
  return 'bytes' in read ? read.bytes.toString('utf8') : undefined;
}

/** The scan in one sentence, for the text and markdown formats. */
export function scanSummary(run: ScanRun): string[] {
  const defined = new Set(run.usage.map((u) => u.key));
  const known = run.references.filter((r) => r.flag !== null && !r.undefinedKey && defined.has(r.flag));
  const dynamic = run.references.filter((r) => r.flag === null).length;
  const undefinedKeys = run.references.length - known.length - dynamic;
  const invalid = run.usage.filter((u) => u.status === 'invalid').length;
  const flags = `${count(defined.size, 'flag')}${invalid > 0 ? ` (${invalid} with invalid files)` : ''}`;
  const parts = [`${count(known.length, 'reference')} to ${new Set(known.map((r) => r.flag)).size} of ${flags}`];
  if (undefinedKeys > 0) parts.push(`${undefinedKeys} to ${undefinedKeys === 1 ? 'a key' : 'keys'} no flag defines`);
  if (dynamic > 0) parts.push(`${dynamic} dynamic`);
  const lines = [
    `Scanned ${count(run.files, 'source file')} (${run.lines.toLocaleString('en-US')} lines) in ${(run.millis / 1000).toFixed(1)} s: ${parts.join(', ')}.`,
  ];
  for (const w of run.wrappers) {
    const what = `${callName(w.name)} as a flag call: it passes argument ${w.argument}`;
    lines.push(`Followed ${what} to ${callName(w.wrapper!.calls)} (${w.wrapper!.file}:${w.wrapper!.line}).`);
  }
  for (const s of run.shadowed) {
    lines.push(
      `${s.name}() is defined in this code base (${s.at}) and reads no flag flagops can see: ${count(s.calls, 'call')} of it ${s.calls === 1 ? 'is' : 'are'} not read as the preset's ${s.name}() (flagops scan --explain <flag> shows each; add { name: ${s.name} } to scan.calls if it reads flags).`,
    );
  }
  for (const glob of run.unmatched) lines.push(`scan.include "${glob}" matched no source file.`);
  if (run.unread.length > 0) {
    const what = run.unread.map((u) => `${count(u.files, 'file')} ${u.extension}`).join(', ');
    lines.push(`Not read: scan.include matched ${what}, in no language flagops scans${run.languagesNarrowed ? ' (or one scan.languages leaves out)' : ''}; narrow scan.include to skip them quietly.`);
  }
  if (run.suppressed > 0) lines.push(`${count(run.suppressed, 'finding')} silenced by flagops-ignore comments or scan.ignore.`);
  if (!run.complete) lines.push('Unused and expired-unreferenced flags are only reported when the whole project is scanned (no paths).');
  return lines;
}

const count = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The json shape of a scan: every reference, and each flag's usage. */
export function scanData(run: ScanRun) {
  return {
    scan: {
      sourceFiles: run.files,
      lines: run.lines,
      complete: run.complete,
      suppressed: run.suppressed,
      unmatchedInclude: run.unmatched,
      unread: run.unread,
      // What each precision rule left out (`--explain` lists them).
      dropped: droppedCounts(run),
    },
    references: run.references.map((r) => ({
      flag: r.flag,
      file: r.file,
      line: r.line,
      column: r.column,
      kind: r.kind,
      via: r.via,
      ...(r.expression !== undefined ? { expression: r.expression } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.undefinedKey ? { defined: false } : {}),
      ...(r.untied !== undefined ? { untied: r.untied } : {}),
    })),
    flags: run.usage,
    wrappers: run.wrappers.map((w) => ({
      name: w.name,
      argument: w.argument,
      calls: w.wrapper!.calls,
      file: w.wrapper!.file,
      line: w.wrapper!.line,
    })),
    shadowed: run.shadowed,
  };
}

/** How many candidates each precision rule left out. */
function droppedCounts(run: ScanRun): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of run.dropped) out[d.rule] = (out[d.rule] ?? 0) + 1;
  return out;
}
/**
 * Shared by scan and check: scan the source against the flags, report, and turn findings into an
 * exit code. `check` also reports the validation findings; `scan` only says how many files fail.
 */
export async function scanAndReport(command: 'scan' | 'check', args: ParsedArgs, io: Io): Promise<number> {
  const withValidation = command === 'check';
  const choice = parseOutputChoice(args);
  const now = nowOf(args, io);
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (validation.configBroken) {
    emit({ command, diagnostics: validation.diagnostics, files: 1, sources: validation.sources, data: { flags: [] } }, choice, io);
    return EXIT.cannotRun;
  }
  const explaining = args.values.explain as string | undefined;
  if (explaining !== undefined && choice.format !== 'text' && choice.format !== 'json') {
    throw new UsageError(`--explain prints text or json, not ${choice.format}.`, 'Use --format text (the default) or --format json.');
  }
  const target = explaining === undefined ? undefined : explainTarget(explaining, io.cwd);
  const run = await runScan(validation, { cwd: io.cwd, paths: args.positionals, now, io, env: io.env });
  if (target) {
    const e = await explain(run, target, new Set(validation.flagFiles.map(keyFromFile)), io.cwd, validation.project.config.scan.maxFileBytes);
    io.stdout(choice.format === 'json' ? `${JSON.stringify({ explain: e }, null, 2)}\n` : explanationText(e, run.files));
    return EXIT.ok;
  }
  const notes = [...(args.values.list ? referenceList(run.references) : []), ...scanSummary(run)];
  const broken = validation.flagFiles.length - validation.flags.length;
  if (!withValidation && broken > 0) {
    notes.push(`${broken} flag file${broken === 1 ? ' has' : 's have'} errors: their flags are known by key only (run flagops validate).`);
  }
  // check also runs the flag spec files (flagops test), when the project has any.
  const specs = withValidation ? runSpecFiles(validation, { cwd: io.cwd, now }) : undefined;
  if (specs) notes.push(...specSummary(specs));
  // With a codegen section, check also holds the generated files to the flags.
  const generated = withValidation && validation.project.config.codegen ? codegenFiles(validation, { cwd: io.cwd, now }) : [];
  const stale = staleDiagnostics(generated);
  if (generated.length > 0 && stale.length === 0) notes.push(`Generated code is up to date (${generated.map((f) => f.shown).join(', ')}).`);
  const diagnostics = withValidation ? [...validation.diagnostics, ...run.diagnostics, ...(specs?.diagnostics ?? []), ...stale] : run.diagnostics;
  emit(
    {
      command,
      diagnostics,
      files: withValidation ? validation.files + run.files + (specs?.files ?? 0) : run.files,
      sources: withValidation ? new Map([...validation.sources, ...run.sources, ...(specs?.sources ?? [])]) : run.sources,
      notes,
      data: { ...scanData(run), ...(specs && specs.files > 0 ? { cases: specs.results } : {}) },
    },
    choice,
    io,
  );
  return exitCodeFor(diagnostics, choice.failOn);
}

export function referenceList(references: readonly Reference[]): string[] {
  if (references.length === 0) return [];
  return [
    'References:',
    ...references.map((r) => `  ${r.file}:${r.line}:${r.column}  ${r.flag ?? `(dynamic: ${r.expression ?? ''})`}  ${r.kind} via ${r.via}`),
    '',
  ];
}
