import { COMPILED_FORMAT } from '../../core/serving/compiled.js';
import type { Diagnostic } from '../../core/shared/diagnostic.js';
import { decideSync, type SyncDecision } from '../../core/change/sync-policy.js';
import { basename, resolve } from 'node:path';
import { gitUser, headCommit, isAncestor, uncommitted } from '../../files/git.js';
import { type EnvironmentOutcome, formatPlanMarkdown, formatPlanText, planJson } from '../../report/plan-report.js';
import { formatText } from '../../report/text.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError, useColor } from '../io.js';
import { toolInfo } from '../output.js';
import { initialHolds } from '../../core/guard/initial-holds.js';
import { isHold, isKill } from '../../store/store.js';
import { chosenEnvironments, openSession, type Session, storeOptions } from './sync-session.js';
import { runValidation, type ValidationRun } from './validation.js';

export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;

export function planFormat(args: ParsedArgs): (typeof PLAN_FORMATS)[number] {
  const format = String(args.values.format ?? 'text');
  if (!(PLAN_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format "${format}".`, `Use one of: ${PLAN_FORMATS.join(', ')}.`);
  }
  return format as (typeof PLAN_FORMATS)[number];
}

function ancestryOf(session: Session, root: string): 'yes' | 'no' | 'unknown' | 'not-needed' {
  const live = session.live.meta?.commit;
  if (!live) return 'not-needed';
  if (!session.head) return 'unknown';
  if (live === session.head) return 'yes';
  return isAncestor(root, live, session.head);
}

/** Flag files and the configuration that differ from HEAD: asked of git once per run. */
const dirtyOf = new WeakMap<ValidationRun, string[]>();
function dirtyFiles(run: ValidationRun): string[] {
  let dirty = dirtyOf.get(run);
  if (!dirty) {
    const { root, config, configFile } = run.project;
    const paths = [resolve(root, config.paths.flags), resolve(root, config.paths.segments)];
    if (configFile) paths.push(resolve(root, basename(configFile)));
    dirty = headCommit(root) ? uncommitted(root, paths) : [];
    dirtyOf.set(run, dirty);
  }
  return dirty;
}

export function decide(session: Session, run: ValidationRun, args: ParsedArgs): SyncDecision {
  return decideSync({
    dirty: dirtyFiles(run),
    allowDirty: args.values['allow-dirty'] === true,
    plan: session.plan,
    environment: session.environment,
    ...(session.live.meta?.environment ? { liveEnvironment: session.live.meta.environment } : {}),
    ...(session.live.meta?.problem ? { metaProblem: session.live.meta.problem } : {}),
    ...((session.live.meta?.format ?? 0) > COMPILED_FORMAT ? { newerFormat: { live: session.live.meta!.format, known: COMPILED_FORMAT } } : {}),
    liveCount: session.live.flags.size,
    liveCommit: session.live.meta?.commit,
    headCommit: session.head,
    ancestry: ancestryOf(session, run.project.root),
    force: args.values.force === true,
    allowDelete: args.values['allow-delete'] === true,
    maxDeleteShare: run.project.config.sync.maxDeleteShare,
    simpleChanges: session.simple ? session.simple.set.size + session.simple.remove.length : 0,
  });
}

export function outcomeOf(session: Session, status: EnvironmentOutcome['status']): EnvironmentOutcome {
  const meta = session.live.meta;
  return {
    environment: session.environment,
    store: session.store.label,
    live: meta ? { revision: meta.revision, commit: meta.commit, syncedAt: meta.syncedAt } : null,
    ...(session.head ? { head: session.head } : {}),
    changes: session.plan.changes,
    segments: session.plan.segments,
    unchanged: session.plan.unchanged,
    drift: session.plan.drift,
    overrides: [...session.live.overrides].flatMap(([flag, o]) => (isKill(o) ? [{ flag, ...o }] : [])),
    holds: [...session.live.overrides].flatMap(([flag, o]) => (isHold(o) ? [{ flag, ...o }] : [])),
    lostOverrides: session.lost,
    ...(session.lostUnchecked ? { lostOverridesUnchecked: session.lostUnchecked } : {}),
    status,
    ...(session.simple
      ? { simpleKeys: { set: session.simple.set.size, removed: session.simple.remove.length, skipped: session.simple.skipped } }
      : {}),
  };
}

/** Applies one environment's plan; on a race with another writer, plans once more from what is live. */
export async function syncEnvironment(
  run: ValidationRun,
  environment: string,
  args: ParsedArgs,
  io: Io,
): Promise<EnvironmentOutcome> {
  for (let attempt = 1; ; attempt++) {
    const session = await openSession(run, environment, args, io);
    try {
      const decision = decide(session, run, args);
      if (decision.action === 'refuse') {
        return { ...outcomeOf(session, 'refused'), reason: decision.reason, hint: decision.hint };
      }
      if (decision.action === 'up-to-date') return outcomeOf(session, 'up-to-date');
      const { plan } = session;
      const now = new Date().toISOString();
      const actor = actorOf(args, io, run.project.root);
      const initial = initialHolds(plan.upserts, session.live.flags, session.live.overrides, Date.parse(now));
      const holds = new Map([...initial].map(([flag, h]) => [flag, { ...h, actor, at: now }] as const));
      const result = await session.store.writeSync({
        expectedRevision: session.live.meta?.revision ?? 0,
        upserts: plan.upserts,
        removals: plan.removals,
        meta: { commit: session.head ?? '', syncedAt: now, checksum: plan.checksum, format: plan.format, environment },
        audit: {
          kind: 'sync',
          actor,
          at: now,
          commit: session.head ?? '',
          ...auditLists(plan),
          ...(args.values['allow-dirty'] === true && dirtyFiles(run).length > 0 ? { dirty: dirtyFiles(run).slice(0, AUDIT_MAX_KEYS) } : {}),
        },
        ...(session.simple ? { simple: { set: session.simple.set, remove: session.simple.remove } } : {}),
        ...(holds.size > 0 ? { overrides: holds } : {}),
      });
      if (result.status === 'applied') return { ...outcomeOf(session, 'applied'), revision: result.revision };
      if (attempt >= 3) {
        return {
          ...outcomeOf(session, 'conflict'),
          reason: `another writer changed ${environment} while this sync ran (live revision is now ${result.liveRevision})`,
          hint: 'Run the sync again; CI workflows should serialise syncs with a concurrency group.',
        };
      }
    } finally {
      await session.store.close();
    }
  }
}

/** An audit entry names up to 1,000 flags per kind (and counts them all): the stream keeps 10,000 entries. */
const AUDIT_MAX_KEYS = 1000;
function auditLists(plan: Session['plan']) {
  const keys = (kind: string) => plan.changes.filter((c) => c.kind === kind).map((c) => c.key);
  const [added, changed, removed] = [keys('added'), keys('changed'), keys('removed')];
  const cut = (list: string[]) => list.slice(0, AUDIT_MAX_KEYS);
  const truncated = [added, changed, removed].some((l) => l.length > AUDIT_MAX_KEYS);
  return {
    added: cut(added),
    changed: cut(changed),
    removed: cut(removed),
    ...(truncated ? { counts: { added: added.length, changed: changed.length, removed: removed.length } } : {}),
  };
}

export function actorOf(args: ParsedArgs, io: Io, root: string): string {
  return (args.values.actor as string | undefined) ?? io.env.GITHUB_ACTOR ?? gitUser(root) ?? io.env.USER ?? 'unknown';
}

/** Prints validation problems; true when they stop plan and sync (errors in the flags). */
export function reportInvalidFlags(command: string, run: ValidationRun, format: string, io: Io): boolean {
  const errors = run.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return false;
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ tool: toolInfo(), command, diagnostics: run.diagnostics, environments: [] }, null, 2)}\n`);
  } else {
    const report = { command, tool: toolInfo(), diagnostics: run.diagnostics, files: run.files, sources: run.sources };
    io.stdout(formatText(report, { color: useColor(io) }));
    io.stderr(`flagops: ${command} stopped: fix the ${errors.length === 1 ? 'error' : `${errors.length} errors`} above first.\n`);
  }
  return true;
}

export function printOutcomes(
  command: string,
  format: string,
  outcomes: EnvironmentOutcome[],
  diagnostics: Diagnostic[],
  io: Io,
) {
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ tool: toolInfo(), command, diagnostics, environments: outcomes.map(planJson) }, null, 2)}\n`);
  } else if (format === 'markdown') {
    io.stdout(formatPlanMarkdown(command, outcomes));
  } else {
    io.stdout(formatPlanText(outcomes));
  }
}

/** plan and sync: validate, then one outcome per chosen environment, printed together. */
export async function runPerEnvironment(
  command: 'plan' | 'sync',
  args: ParsedArgs,
  io: Io,
  each: (run: ValidationRun, environment: string) => Promise<EnvironmentOutcome>,
): Promise<number> {
  const format = planFormat(args);
  const run = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (reportInvalidFlags(command, run, format, io)) return run.configBroken ? EXIT.cannotRun : EXIT.findings;
  const outcomes: EnvironmentOutcome[] = [];
  for (const environment of chosenEnvironments(args, run.project)) outcomes.push(await each(run, environment));
  printOutcomes(command, format, outcomes, run.diagnostics, io);
  return exitFor(outcomes);
}

export const planSyncOptions = {
  ...storeOptions,
  format: { type: 'string', short: 'f', default: 'text' },
  config: { type: 'string', short: 'c' },
  force: { type: 'boolean', default: false },
  'allow-delete': { type: 'boolean', default: false },
  'allow-dirty': { type: 'boolean', default: false },
} as const;

export const exitFor = (outcomes: EnvironmentOutcome[]) =>
  outcomes.some((o) => o.status === 'refused' || o.status === 'conflict') ? EXIT.findings : EXIT.ok;
