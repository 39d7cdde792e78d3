import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readerResults } from '../core/cleanup/readers.js';
import { type Kept, keptValue, readyReason } from '../core/cleanup/ready.js';
import { requiredBy } from '../core/graph/reverse-lookup.js';
import { withoutCases } from '../core/cleanup/spec-cases.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { DEFAULT_PRESETS } from '../core/config-choices.js';
import { mayRead } from '../core/scan/may-read.js';
import { didYouMean } from '../core/suggest.js';
import { unifiedDiff } from '../core/unified-diff.js';
import { displayPath, readFlagFiles } from '../files/read-flag-files.js';
import { codegenFiles, generatedModules } from './codegen-run.js';
import { defaultCodegen } from '../core/config.js';
import { discoverSources } from '../scan/discover.js';
import { type Io, UsageError } from './io.js';
import { runScan, type ScanRun } from './scan-run.js';
import type { ValidationRun } from './validation.js';

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
  const { cleanCode } = await import('../cleanup/clean-code.js');
  const code = cleanCode({
    flags: kept,
    references: scan.references,
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
    if (r.flag !== null && removed.has(r.flag) && !r.undefinedKey) {
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
