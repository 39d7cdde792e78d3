import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CheckCommand, checkCommandsFor } from '../../cleanup/type-check.js';
import { DEFAULT_PRESETS } from '../../core/definition/config-choices.js';
import { defaultCodegen } from '../../core/definition/config.js';
import { readerResults } from '../../core/lifecycle/cleanup/readers.js';
import { type Kept, keptValue, readyReason } from '../../core/lifecycle/cleanup/ready.js';
import { withoutCases } from '../../core/lifecycle/cleanup/spec-cases.js';
import { mayRead } from '../../core/lifecycle/scan/resolve/may-read.js';
import { requiredBy } from '../../core/serving/graph/reverse-lookup.js';
import type { Diagnostic } from '../../core/shared/diagnostic.js';
import { didYouMean } from '../../core/shared/suggest.js';
import { unifiedDiff } from '../../core/shared/unified-diff.js';
import { displayPath, readFlagFiles } from '../../files/read-flag-files.js';
import { discoverSources } from '../../scan/discover/discover.js';
import { LANGUAGE_LABELS, languageOfFile } from '../../scan/discover/language-files.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { emit, parseOutputChoice } from '../output.js';
import { applyWithCheck, type CheckResult, recoverInterrupted, refuseDirty } from './cleanup-apply.js';
import { codegenFiles, generatedModules } from './codegen.js';
import { loadProject } from './project.js';
import { runScan, type ScanRun } from './scan.js';
import { runValidation, type ValidationRun } from './validation.js';

/** One file cleanup writes: null before means created, null after means deleted. */
export interface FileChange {
  path: string;
  shown: string;
  before: string | null;
  after: string | null;
  /** Why it changes: the code, the flag file, spec cases, generated code. */
  role: 'code' | 'flag' | 'spec' | 'codegen';
}

export interface CleanedFlag {
  flag: string;
  /** Why it was chosen (--ready), or that it was named. */
  ready: string;
  kept: Kept;
  owner: string;
  file: string;
}

export interface CleanupPlan {
  cleaned: CleanedFlag[];
  /** Flags left as they are, each with why at a place. */
  refusals: Diagnostic[];
  changes: FileChange[];
  /** Each flag read replaced, and each name removed because of it. */
  edits: Array<Record<string, unknown>>;
  scan: ScanRun;
}

export interface CleanupOptions {
  cwd: string;
  io: Pick<Io, 'stderr' | 'stderrTTY'>;
  env: NodeJS.ProcessEnv;
  now: number;
  keys: readonly string[];
  ready: boolean;
  keep?: string;
  force: boolean;
  /** Rewrite a flag's TypeScript and JavaScript reads although other languages read it too. */
  typescriptOnly?: boolean;
  environment?: string;
}

/** Decides what removing the flags takes, edits nothing: the changes are applied by the caller. */
export async function planCleanup(validation: ValidationRun, options: CleanupOptions): Promise<CleanupPlan> {
  const { project } = validation;
  const environment = options.environment ?? project.config.cleanup.environment;
  if (!Object.hasOwn(project.config.environments, environment)) {
    throw new UsageError(
      `cleanup.environment is "${environment}", which the configuration does not declare.`,
      `Use one of: ${Object.keys(project.config.environments).join(', ')}.`,
    );
  }
  const byKey = new Map(validation.flags.map((f) => [f.key, f]));
  const named = options.keys.map((key) => {
    const flag = byKey.get(key);
    if (flag) return flag;
    const suggestion = didYouMean(key, new Set(byKey.keys()));
    throw new UsageError(`No flag "${key}" in ${project.config.paths.flags}/.`, suggestion ? `Did you mean "${suggestion}"?` : 'Run flagops scan to list the flags.');
  });

  const scan = await runScan(validation, { cwd: options.cwd, now: options.now, io: options.io, env: options.env });
  // Ready is what the scan reports: expired, or stale — one variant to everyone for longer than
  // the flag's type allows. Kill switches and permissions serve one value by design: never stale.
  const status = new Map(scan.usage.map((u) => [u.key, u.status]));
  const reason = (flag: (typeof validation.flags)[number]) => readyReason(flag, status.get(flag.key), options.now, validation.flags);
  const chosen = named.map((flag) => ({ flag, ready: reason(flag) ?? 'named on the command line' }));
  if (options.ready) {
    for (const flag of validation.flags) {
      const why = reason(flag);
      if (why && !chosen.some((c) => c.flag.key === flag.key)) chosen.push({ flag, ready: why });
    }
  }
  const refusals: Diagnostic[] = [];
  const kept = new Map<string, Kept>();
  const cleaned = new Map<string, CleanedFlag>();
  for (const { flag, ready } of chosen) {
    const value = keptValue(flag, environment, options.now, options.keep, validation.flags);
    if ('refused' in value) {
      refusals.push(refusal(flag.key, flag.file, flag.anchors.environments, `flagops cleanup leaves "${flag.key}" as it is: ${value.refused}.`));
      continue;
    }
    kept.set(flag.key, value);
    cleaned.set(flag.key, { flag: flag.key, ready, kept: value, owner: flag.definition.owner, file: flag.file });
  }
  // Removing a flag that other flags require would break them (unknown-prerequisite): it stays
  // unless they go in the same run. Repeated, since one refusal can keep another flag's dependent.
  const dependents = requiredBy(validation.flags);
  for (let changed = true; changed;) {
    changed = false;
    for (const key of [...kept.keys()]) {
      const staying = (dependents.get(key) ?? []).filter((other) => !kept.has(other));
      if (staying.length === 0) continue;
      const flag = byKey.get(key)!;
      const message = `flagops cleanup leaves "${key}" as it is: ${staying.join(', ')} ${staying.length === 1 ? 'requires' : 'require'} it (prerequisites).`;
      refusals.push(refusal(key, flag.file, flag.anchors.environments, message, `Remove "${key}" from their requires first, or clean them up in the same run.`));
      kept.delete(key);
      cleaned.delete(key);
      changed = true;
    }
  }

  const sources = new Map<string, string>();
  for (const path of scan.paths) sources.set(displayPath(options.cwd, path), path);
  const texts = new Map<string, string>();
  const read = (path: string) => {
    let text = texts.get(path);
    if (text === undefined) texts.set(path, (text = readFileSync(path, 'utf8')));
    return text;
  };
  if (!options.force) {
    for (const key of [...kept.keys()]) {
      const blocking = scan.references.filter((r) => r.flag === null && mayRead(r, key, read(sources.get(r.file) ?? resolve(options.cwd, r.file))));
      if (blocking.length === 0) continue;
      kept.delete(key);
      cleaned.delete(key);
      for (const r of blocking) {
        refusals.push(refusal(key, r.file, r, `flagops cleanup leaves "${key}" as it is: this dynamic reference (${r.expression ?? r.via}) may read it, and cleanup cannot rewrite it.`,
          'Rewrite this read with a literal key, or pass --force to remove the flag anyway and fix this place by hand.'));
      }
    }
  }

  // Cleanup rewrites TypeScript and JavaScript: a flag another language reads stays whole (all or
  // nothing per flag), unless --typescript-only says those reads are handled elsewhere.
  const otherLanguage = (file: string) => languageOfFile(file) !== 'typescript';
  const labelOf = (file: string) => {
    const language = languageOfFile(file);
    return language ? LANGUAGE_LABELS[language] : 'Other';
  };
  for (const key of [...kept.keys()]) {
    const elsewhere = scan.references.filter((r) => r.flag === key && otherLanguage(r.file));
    if (elsewhere.length === 0 || options.typescriptOnly) continue;
    kept.delete(key);
    cleaned.delete(key);
    for (const r of elsewhere) {
      refusals.push(refusal(key, r.file, r, `flagops cleanup leaves "${key}" as it is: ${labelOf(r.file)} code reads it here (${r.via}), and cleanup rewrites TypeScript and JavaScript only.`,
        'Remove this read by hand first and cleanup removes the rest, or pass --typescript-only if these reads are handled elsewhere.'));
    }
  }

  // Only reads the scan ties to a flag SDK (or to a configured or inferred wrapper) are rewritten:
  // a local object with an isEnabled of its own is not the SDK, and its result is not the flag's.
  for (const key of [...kept.keys()]) {
    const untied = scan.references.filter((r) => r.flag === key && !r.undefinedKey && r.untied !== undefined);
    if (untied.length === 0) continue;
    kept.delete(key);
    cleaned.delete(key);
    for (const r of untied) {
      refusals.push(refusal(key, r.file, r, `flagops cleanup leaves "${key}" as it is: this read (${r.via}) cannot be tied to a flag SDK, so what it returns may not be the flag's value: ${r.untied}.`,
        `Read the flag through a client imported from its SDK (or typed with the SDK's type), add { name: ${r.via.replace(/\(\)$/, '')} } to scan.calls if it is a flag read, or rewrite this place by hand.`));
    }
  }

  // What codegen wrote, wherever `--out` put it: every source file of the project whose header marks it as generated.
  const everySource = discoverSources({ root: project.root, paths: [project.root], exclude: [], gitignore: project.config.scan.gitignore }).files;
  const generated = generatedModules(project.root, [resolve(project.root, (project.config.codegen ?? defaultCodegen()).out), ...everySource]);
  const { cleanCode } = await import('../../cleanup/clean-code.js');
  const code = cleanCode({
    flags: kept,
    references: scan.references.filter((r) => !otherLanguage(r.file)),
    wrappers: scan.wrappers,
    readers: readerResults(project.config.scan.presets ?? (project.config.scan.defaultPatterns ? DEFAULT_PRESETS : [])),
    sources,
    read,
    skip: new Set(generated.map((g) => displayPath(options.cwd, g.out))),
  });
  for (const r of code.refused) {
    refusals.push(refusal(r.flag, r.file, r, `flagops cleanup leaves "${r.flag}" as it is: ${r.reason}.`));
    cleaned.delete(r.flag);
  }
  const removed = new Set(code.cleaned);
  const changes: FileChange[] = [...code.changed].map(([shown, c]) => ({ path: c.path, shown, before: c.before, after: c.after, role: 'code' }));
  const edits: CleanupPlan['edits'] = [];
  for (const r of scan.references) {
    if (r.flag !== null && removed.has(r.flag) && !r.undefinedKey && !otherLanguage(r.file)) {
      edits.push({ action: 'replace-read', flag: r.flag, file: r.file, line: r.line, column: r.column, kind: r.kind, via: r.via, value: kept.get(r.flag)!.value });
    }
  }
  for (const r of code.removed) edits.push({ action: 'remove-name', file: r.file, name: r.name, why: r.what });
  for (const key of removed) {
    const flag = byKey.get(key)!;
    const path = resolve(options.cwd, flag.file);
    changes.push({ path, shown: flag.file, before: readFileSync(path, 'utf8'), after: null, role: 'flag' });
    edits.push({ action: 'delete-flag-file', flag: key, file: flag.file });
  }
  if (removed.size > 0) {
    changes.push(...specChanges(validation, removed, options.cwd, edits));
    const remaining = { ...validation, flags: validation.flags.filter((f) => !removed.has(f.key)) };
    const outputs = [
      ...(project.config.codegen ? [{}] : []),
      ...generated,
    ];
    const regenerated = new Set<string>();
    for (const output of outputs) {
      for (const f of codegenFiles(remaining, { cwd: options.cwd, now: options.now, ...output })) {
        // A manifest that is not there was not written: regenerate only what exists (or what the configuration asks for).
        if (regenerated.has(f.path) || (!f.exists && !project.config.codegen)) continue;
        regenerated.add(f.path);
        const before = f.exists ? readFileSync(f.path, 'utf8') : null;
        if (before === f.text) continue;
        changes.push({ path: f.path, shown: f.shown, before, after: f.text, role: 'codegen' });
        edits.push({ action: 'regenerate', file: f.shown });
      }
    }
  }
  return { cleaned: [...cleaned.values()].filter((c) => removed.has(c.flag)), refusals, changes, edits, scan };
}

/** Spec cases about removed flags go; a spec file left with no case goes too. */
function specChanges(validation: ValidationRun, removed: ReadonlySet<string>, cwd: string, edits: CleanupPlan['edits']): FileChange[] {
  const { project } = validation;
  const folder = resolve(project.root, project.config.paths.tests);
  if (!existsSync(folder)) return [];
  const out: FileChange[] = [];
  const read = readFlagFiles([folder], { cwd, maxFileBytes: project.config.limits.maxFileBytes, root: project.root });
  for (const { file, text } of read.files) {
    const after = withoutCases(text, removed);
    if (after === undefined) continue;
    out.push({ path: resolve(cwd, file), shown: file, before: text, after, role: 'spec' });
    edits.push({ action: after === null ? 'delete-spec-file' : 'remove-spec-cases', file });
  }
  return out;
}

function refusal(flag: string, file: string, at: { line: number; column: number }, message: string, hint?: string): Diagnostic {
  return {
    severity: 'error',
    code: 'cleanup-refused',
    file,
    line: at.line,
    column: at.column,
    flag,
    message,
    hint: hint ?? 'Rewrite this place by hand, or choose the value with --keep <variant> when the flag serves more than one.',
  };
}

export function planDiff(changes: readonly FileChange[]): string {
  return changes.map((c) => unifiedDiff(c.shown, c.before, c.after)).join('');
}
export async function cleanup(args: ParsedArgs, io: Io): Promise<number> {
  const choice = parseOutputChoice(args);
  const keys = args.positionals;
  const ready = args.values.ready === true;
  if (keys.length === 0 && !ready && args.values.restore !== true) throw new UsageError('Name the flags to remove, or pass --ready for every flag ready for removal.', 'flagops cleanup new-checkout, or flagops cleanup --ready');
  const keep = args.values.keep as string | undefined;
  if (keep !== undefined && (keys.length !== 1 || ready)) throw new UsageError('--keep chooses the variant of one flag: name exactly one flag with it.');
  const dryRun = args.values['dry-run'] === true;
  // A cleanup that was killed outright left its journal: put its files back before reading any.
  const recovered = recoverInterrupted(loadProject(io.cwd, args.values.config as string | undefined).root);
  if (args.values.restore === true) {
    const note = recovered ?? 'No interrupted flagops cleanup to put back.';
    if (choice.format === 'json') io.stdout(`${JSON.stringify({ restored: recovered !== undefined, message: note }, null, 2)}\n`);
    else io.stdout(`${note}\n`);
    return EXIT.ok;
  }
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  const failing = validation.diagnostics.filter((d) => d.severity === 'error');
  if (validation.configBroken || failing.length > 0) {
    emit(
      { command: 'cleanup', diagnostics: validation.diagnostics, files: validation.files, sources: validation.sources, notes: ['Nothing was changed: fix the flag files first.'], data: { cleaned: [] } },
      choice,
      io,
    );
    return validation.configBroken ? EXIT.cannotRun : EXIT.findings;
  }
  const now = nowOf(args, io);
  const plan = await planCleanup(validation, {
    cwd: io.cwd,
    io,
    env: io.env,
    now,
    keys,
    ready,
    force: args.values.force === true,
    typescriptOnly: args.values['typescript-only'] === true,
    ...(keep !== undefined ? { keep } : {}),
    ...(args.values.environment !== undefined ? { environment: String(args.values.environment) } : {}),
  });
  const { project } = validation;
  const edited = plan.changes.filter((c) => c.role === 'code' || c.role === 'codegen').map((c) => c.path);
  const commands: CheckCommand[] = args.values['no-check'] ? [] : checkCommandsFor(project.root, edited, project.config.cleanup.check);
  const diagnostics: Diagnostic[] = [...plan.refusals];
  const notes: string[] = recovered ? [recovered] : [];
  let check: CheckResult | undefined;
  let applied = false;
  // Only a dry run shows the diff: on a large cleanup it is most of a second.
  const diff = dryRun ? planDiff(plan.changes) : '';
  if (plan.changes.length > 0 && dryRun) {
    if (choice.format === 'text') io.stdout(diff);
  } else if (plan.changes.length > 0) {
    if (args.values['allow-dirty'] !== true) refuseDirty(project.root, plan.changes);
    const outcome = await applyWithCheck(plan.changes, commands, project.root, io);
    ({ applied, check } = outcome);
    diagnostics.push(...outcome.diagnostics);
    notes.push(...outcome.notes);
  }
  for (const c of plan.cleaned) {
    const files = new Set(plan.edits.filter((e) => e.flag === c.flag && e.action === 'replace-read').map((e) => e.file)).size;
    const verb = dryRun ? 'Would remove' : applied ? 'Removed' : 'Did not remove';
    notes.push(`${verb} "${c.flag}" keeping "${c.kept.variant}" (${JSON.stringify(c.kept.value)}; ${c.kept.because}), ${plural(files, 'source file')}; ${c.ready}.`);
  }
  if (plan.changes.length > 0) {
    const touched = plan.changes.map((c) => `${c.shown}${c.after === null ? ' (deleted)' : ''}`);
    notes.push(`${dryRun ? 'Would change' : applied ? 'Changed' : 'Would have changed'}: ${touched.join(', ')}.`);
  }
  if (check?.passed) notes.push(`${check.command} passes after cleanup (${(check.millis / 1000).toFixed(1)} s).`);
  else if (commands.length === 0 && applied && !args.values['no-check']) notes.push('No type check ran: no tsconfig.json holds the edited files and there is no cleanup.check (set one to guard cleanups).');
  if (plan.cleaned.length === 0 && plan.refusals.length === 0) notes.push(ready && keys.length === 0 ? 'No flag is ready for removal.' : 'Nothing to change.');
  emit(
    {
      command: 'cleanup',
      diagnostics,
      files: plan.scan.files,
      sources: plan.scan.sources,
      notes,
      data: {
        dryRun,
        applied,
        ...(recovered ? { recovered } : {}),
        cleaned: plan.cleaned.map((c) => ({
          flag: c.flag, owner: c.owner, variant: c.kept.variant, value: c.kept.value, because: c.kept.because, ready: c.ready,
        })),
        refused: [...new Set(plan.refusals.map((r) => r.flag!))],
        files: plan.changes.map((c) => ({ file: c.shown, change: c.before === null ? 'created' : c.after === null ? 'deleted' : 'modified', role: c.role })),
        edits: plan.edits,
        ...(check ? { check } : {}),
        ...(dryRun ? { diff } : {}),
      },
    },
    choice,
    io,
  );
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.findings : EXIT.ok;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
