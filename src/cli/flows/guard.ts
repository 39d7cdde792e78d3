import { decideGuard, type Outcome } from '../../core/guard/decide.js';
import { guardedRollout, type GuardedRollout, guardId, type RolloutAction, rolloutAction } from '../../core/guard/rollout-plan.js';
import { describeGuard, resolveGuard, type ResolvedGuard, windowText } from '../../core/definition/guard-thresholds.js';
import type { MetricsConfig } from '../../core/definition/config.js';
import { COMPILED_FORMAT, type CompiledFlag } from '../../core/serving/compiled.js';
import { simpleKeyAfterOverride } from '../../core/serving/simple-keys.js';
import { fillTemplate, MetricsUnavailable, PrometheusQuery, type QuerySource } from '../../metrics/prometheus-query.js';
import { type AuditEntry, type FlagStore, type GuardRecord, isHold, isKill, type LiveState, type StoredOverride } from '../../store/store.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { toolInfo } from '../output.js';
import { brokenConfig, loadProject, type Project } from './project.js';
import { runValidation } from './validation.js';
import { chosenEnvironments, openEnvironmentStore, storeOptions } from './sync-session.js';

export const options = {
  ...storeOptions,
  'metrics-url': { type: 'string' },
  watch: { type: 'boolean', default: false },
  interval: { type: 'string', default: '30' },
  'dry-run': { type: 'boolean', default: false },
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f', default: 'text' },
} as const;

/** Queries in flight at once against the metrics source. */
const CONCURRENCY = 16;
const ACTOR = 'flagops guard';
const WRITE_ATTEMPTS = 20;

export interface FlagOutcome {
  flag: string;
  variant: string;
  control: string;
  /** The stage being served (1-based; 0: none yet) and its percentage. */
  stage: number;
  percentage: number;
  /** The stage waiting for guards, if any. */
  next?: { stage: number; at: string; percentage: number; due: boolean };
  guards: GuardRecord[];
  action: RolloutAction['kind'];
  /** In words: what was done and why. */
  summary: string;
  owner?: string;
}

export interface EnvironmentGuard {
  environment: string;
  store: string;
  flags: FlagOutcome[];
  /** The revision the decisions were written in; null when nothing changed (or --dry-run). */
  revision: number | null;
  /** Guards that could not be evaluated because the metrics source failed: they hold. */
  unavailable: number;
}

/** The metrics source from the configuration, --metrics-url or FLAGOPS_METRICS_URL; its token from the environment. */
export function metricsSource(metrics: MetricsConfig, args: ParsedArgs, io: Io): QuerySource {
  const source = metrics.source ?? {};
  const url = (args.values['metrics-url'] as string | undefined) ?? source.url ?? io.env[source.urlEnv ?? 'FLAGOPS_METRICS_URL'];
  if (!url) {
    throw new UsageError(
      'flagops guard needs a metrics source, and none is set.',
      `Set metrics.source.url in flagops.config.yaml (a Prometheus-compatible query API), pass --metrics-url, or set ${source.urlEnv ?? 'FLAGOPS_METRICS_URL'}.`,
    );
  }
  if (!/^https?:\/\//.test(url)) throw new UsageError('The metrics source URL must start with http:// or https://.', 'For example: http://prometheus:9090');
  const token = source.tokenEnv ? io.env[source.tokenEnv] : undefined;
  if (source.tokenEnv && !token) throw new UsageError(`metrics.source.tokenEnv names ${source.tokenEnv}, which is not set.`, `Set ${source.tokenEnv} (a CI secret) or remove tokenEnv.`);
  return new PrometheusQuery(url, { ...(token ? { token } : {}), ...(source.timeoutMs ? { timeoutMs: source.timeoutMs } : {}) });
}

/** Runs `tasks` at most `limit` at a time. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

interface Evaluated {
  rollout: GuardedRollout;
  records: GuardRecord[];
  outcomes: Map<string, Outcome>;
  unavailable: number;
}

/** Queries every watched guard of every rollout (value and samples, for the variant and the control) and decides each. */
async function evaluateRollouts(
  rollouts: GuardedRollout[],
  environment: string,
  metrics: MetricsConfig,
  source: QuerySource,
  now: number,
): Promise<Evaluated[]> {
  const cache = new Map<string, Promise<number | null>>();
  const time = now / 1000;
  const ask = (query: string) => {
    let answer = cache.get(query);
    if (!answer) cache.set(query, (answer = source.instant(query, time)));
    return answer;
  };
  const tasks = rollouts.flatMap((rollout) =>
    rollout.watch.map((guard) => async () => {
      const resolved = resolveGuard(guard, metrics);
      if ('problem' in resolved) {
        return { rollout, guard, resolved, record: unresolvedRecord(guard.metric, rollout, resolved.problem), unavailable: false };
      }
      const window = windowText(resolved.window);
      const fill = (template: string, variant: string) => fillTemplate(template, { flag: rollout.flag, variant, environment, window });
      try {
        const [value, samples, controlValue, controlSamples] = await Promise.all([
          ask(fill(resolved.query, rollout.variant)),
          ask(fill(resolved.samples, rollout.variant)),
          ask(fill(resolved.query, rollout.control)),
          ask(fill(resolved.samples, rollout.control)),
        ]);
        const decision = decideGuard(resolved, { value, samples }, { value: controlValue, samples: controlSamples });
        const measured = { value, samples };
        const control = { value: controlValue, samples: controlSamples };
        const made = record(resolved, rollout, environment, measured, control, decision.outcome, decision.why);
        return { rollout, guard, resolved, record: made, unavailable: false };
      } catch (error) {
        if (!(error instanceof MetricsUnavailable)) throw error;
        const none = { value: null, samples: null };
        return { rollout, guard, resolved, record: record(resolved, rollout, environment, none, none, 'hold', `the metrics source could not be read: ${error.message}`), unavailable: true };
      }
    }),
  );
  const results = await pool(tasks, CONCURRENCY);
  return rollouts.map((rollout) => {
    const mine = results.filter((r) => r.rollout === rollout);
    return {
      rollout,
      records: mine.map((r) => r.record),
      outcomes: new Map(mine.map((r) => [guardId(r.guard), r.record.decision])),
      unavailable: mine.filter((r) => r.unavailable).length,
    };
  });
}

type Pair = { value: number | null; samples: number | null };

function record(g: ResolvedGuard, r: GuardedRollout, environment: string, v: Pair, c: Pair, decision: Outcome, why: string): GuardRecord {
  return {
    metric: g.metric,
    query: fillTemplate(g.query, { flag: r.flag, variant: r.variant, environment, window: windowText(g.window) }),
    window: g.window,
    variant: { name: r.variant, ...v },
    control: { name: r.control, ...c },
    decision,
    why: `${describeGuard(g)}: ${why}`,
  };
}

const unresolvedRecord = (metric: string, r: GuardedRollout, problem: string): GuardRecord => ({
  metric,
  query: '',
  window: 0,
  variant: { name: r.variant, value: null, samples: null },
  control: { name: r.control, value: null, samples: null },
  decision: 'hold',
  why: `${metric}: ${problem}`,
});

/** Decides one environment and writes what changed in one transaction, re-planning when another writer got in first. */
export async function guardEnvironment(
  project: Project,
  environment: string,
  store: FlagStore,
  source: QuerySource,
  /** `owners`: asked only when a flag is killed (its issue is assigned to the owner). */
  options: { dryRun: boolean; now?: () => number; owners?: () => ReadonlyMap<string, string> },
): Promise<EnvironmentGuard> {
  const clock = options.now ?? Date.now;
  let evaluated: Evaluated[] | undefined;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const live = await store.read();
    if ((live.meta?.format ?? 0) > COMPILED_FORMAT) {
      throw new UsageError(`${store.label} holds format ${live.meta!.format}, written by a newer flagops; this one knows format ${COMPILED_FORMAT} and decides nothing there.`, 'Run the newer flagops.');
    }
    const now = clock();
    const rollouts = rolloutsOf(live, now);
    // Measurements do not change between attempts: only the store's state is read again.
    if (!evaluated || attempt === 1) evaluated = await evaluateRollouts(rollouts, environment, project.config.metrics, source, now);
    else {
      const now = new Map(rollouts.map((r) => [r.flag, r]));
      evaluated = evaluated.flatMap((e) => (now.has(e.rollout.flag) ? [{ ...e, rollout: now.get(e.rollout.flag)! }] : []));
    }
    const at = new Date(now).toISOString();
    const set = new Map<string, StoredOverride | undefined>();
    const simple = new Map<string, string | null>();
    const audit: AuditEntry[] = [];
    const flags: FlagOutcome[] = [];
    const simpleInUse = project.config.sync.simpleKeys ? null : await store.readSimple(evaluated.map((e) => e.rollout.flag));
    for (const e of evaluated) {
      const action = rolloutAction(e.rollout, e.outcomes);
      const { summary, override, entry } = consequence(e, action, at);
      if (override !== 'keep') {
        set.set(e.rollout.flag, override);
        audit.push(entry!);
        if (action.kind === 'kill' && (simpleInUse === null || simpleInUse.has(e.rollout.flag))) {
          simple.set(e.rollout.flag, simpleKeyAfterOverride(live.flags.get(e.rollout.flag)!, e.rollout.control));
        }
      }
      flags.push(outcomeOf(e, action, summary, action.kind === 'kill' ? options.owners?.().get(e.rollout.flag) : undefined));
    }
    const unavailable = evaluated.reduce((n, e) => n + e.unavailable, 0);
    if (set.size === 0 || options.dryRun) return { environment, store: store.label, flags, revision: null, unavailable };
    const result = await store.writeOverrides({ expectedRevision: live.meta?.revision ?? 0, set, audit, ...(simple.size > 0 ? { simple } : {}) });
    if (result.status === 'applied') return { environment, store: store.label, flags, revision: result.revision, unavailable };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
  }
  throw new UsageError(`${environment} kept changing while flagops guard ran (other writers got in first ${WRITE_ATTEMPTS} times); nothing was written. Run it again.`);
}

function rolloutsOf(live: LiveState, now: number): GuardedRollout[] {
  const out: GuardedRollout[] = [];
  for (const [key, json] of live.flags) {
    const override = live.overrides.get(key);
    if (isKill(override)) continue;
    let flag: CompiledFlag;
    try {
      flag = JSON.parse(json) as CompiledFlag;
    } catch {
      continue;
    }
    if (typeof flag !== 'object' || flag === null || typeof flag.offVariant !== 'string') continue;
    const hold = isHold(override) ? Date.parse(override.hold) : undefined;
    const rollout = guardedRollout({ ...flag, key }, Number.isNaN(hold) ? undefined : hold, now);
    if (rollout) out.push(rollout);
  }
  return out.sort((a, b) => (a.flag < b.flag ? -1 : 1));
}

const iso = (ms: number) => new Date(ms).toISOString();
const metricsOf = (guards: ReadonlyArray<{ metric: string }>) => [...new Set(guards.map((g) => g.metric))].join(', ');

/** The override a decision leaves (`keep`: unchanged), its audit entry, and the words for it. */
function consequence(e: Evaluated, action: RolloutAction, at: string): { summary: string; override: StoredOverride | undefined | 'keep'; entry?: AuditEntry } {
  const { rollout } = e;
  const base = { actor: ACTOR, at, flag: rollout.flag, guards: e.records };
  switch (action.kind) {
    case 'kill': {
      const reasons = e.records.filter((r) => r.decision === 'breach').map((r) => r.why);
      const reason = `guard breached: ${reasons.join('; ')}`.slice(0, 500);
      return {
        summary: `KILLED: serves ${rollout.control} to everyone: ${reasons.join('; ')}`,
        override: { variant: rollout.control, reason, actor: ACTOR, at },
        entry: { kind: 'kill', ...base, variant: rollout.control, reason },
      };
    }
    case 'hold': {
      const waiting = metricsOf(action.waiting);
      const stage = rollout.timeline.find((s) => s.at === action.at)!;
      const why = e.records.filter((r) => action.waiting.some((g) => g.metric === r.metric) && r.decision !== 'pass').map((r) => r.why);
      const reason = (why.length > 0 ? why.join('; ') : `stage ${stage.index + 1} waits for its guards to pass (${waiting})`).slice(0, 500);
      const moved = rollout.hold !== undefined && rollout.gate && rollout.gate.at !== action.at;
      return {
        summary: moved
          ? `stage ${rollout.gate!.index + 1} began (its guards passed); stage ${stage.index + 1} (${stage.percentage}%, from ${iso(action.at)}) now waits for its guards (${waiting})`
          : `held: stage ${stage.index + 1} (${stage.percentage}%, from ${iso(action.at)}) begins only once its guards pass (${waiting})`,
        override: { hold: iso(action.at), guard: waiting, reason, actor: ACTOR, at },
        entry: { kind: moved ? 'release' : 'hold', ...base, hold: iso(action.at), reason },
      };
    }
    case 'release':
      return {
        summary: rollout.gate ? `stage ${rollout.gate.index + 1} began: its guards passed` : 'the hold is lifted: no stage ahead waits for a guard',
        override: undefined,
        entry: { kind: 'release', ...base, reason: rollout.gate ? `stage ${rollout.gate.index + 1}: guards passed` : 'no guarded stage ahead' },
      };
    case 'none': {
      const gate = rollout.gate;
      const summary = gate ? `stage ${gate.index + 1} (${gate.percentage}%, from ${iso(gate.at)}): ${action.why}` : action.why;
      return { summary, override: 'keep' };
    }
  }
}

function outcomeOf(e: Evaluated, action: RolloutAction, summary: string, owner: string | undefined): FlagOutcome {
  const { rollout } = e;
  const { gate } = rollout;
  const current = rollout.timeline[rollout.current];
  return {
    flag: rollout.flag,
    variant: rollout.variant,
    control: rollout.control,
    stage: rollout.current + 1,
    percentage: current?.percentage ?? 0,
    ...(gate ? { next: { stage: gate.index + 1, at: iso(gate.at), percentage: gate.percentage, due: gate.due } } : {}),
    guards: e.records,
    action: action.kind,
    summary,
    ...(owner ? { owner } : {}),
  };
}

function formatText(results: EnvironmentGuard[], dryRun: boolean): string {
  const lines: string[] = [];
  for (const r of results) {
    const written = r.revision !== null ? `, written as revision ${r.revision}` : dryRun ? ', dry run: nothing written' : '';
    lines.push(`${r.environment} (${r.store}): ${r.flags.length === 0 ? 'no guarded rollout' : `${r.flags.length} guarded rollout${r.flags.length === 1 ? '' : 's'}`}${written}`);
    for (const f of r.flags) {
      lines.push(`  ${f.flag}: stage ${f.stage} (${f.percentage}%): ${f.summary}`);
      for (const g of f.guards) lines.push(`    ${g.decision.padEnd(6)} ${g.why}`);
    }
    if (r.unavailable > 0) lines.push(`  ${r.unavailable} guard${r.unavailable === 1 ? '' : 's'} could not read the metrics source: they hold, never pass`);
  }
  return `${lines.join('\n')}\n`;
}

/** Owners from the checkout's flag files, for the issue a breach opens; none when they cannot be read. */
function ownersOf(io: Io, config: string | undefined): Map<string, string> {
  try {
    return new Map(runValidation(io.cwd, { config }).flags.map((f) => [f.key, f.definition.owner]));
  } catch {
    return new Map();
  }
}

export async function runGuard(args: ParsedArgs, io: Io): Promise<number> {
  const format = String(args.values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
  const interval = Number(args.values.interval);
  if (!Number.isFinite(interval) || interval < 1) throw new UsageError(`--interval must be a number of seconds, at least 1; not "${String(args.values.interval)}".`);
  if (args.values.env === undefined && !args.values['all-envs']) args.values['all-envs'] = true;
  const project = loadProject(io.cwd, args.values.config as string | undefined);
  if (project.diagnostics.some((d) => d.severity === 'error')) throw brokenConfig(project.diagnostics);
  const environments = chosenEnvironments(args, project);
  const source = metricsSource(project.config.metrics, args, io);
  const dryRun = args.values['dry-run'] === true;
  const once = async (): Promise<number> => {
    // Reading every flag file costs a second in a large repository: only a kill needs the owners.
    let known: Map<string, string> | undefined;
    const owners = () => (known ??= ownersOf(io, args.values.config as string | undefined));
    const results: EnvironmentGuard[] = [];
    for (const environment of environments) {
      const store = await openEnvironmentStore(project, environment, args, io);
      try {
        results.push(await guardEnvironment(project, environment, store, source, { dryRun, owners }));
      } finally {
        await store.close();
      }
    }
    io.stdout(format === 'json' ? `${JSON.stringify({ tool: toolInfo(), command: 'guard', at: new Date().toISOString(), metrics: source.label, environments: results })}\n` : formatText(results, dryRun));
    const killed = results.some((r) => r.flags.some((f) => f.action === 'kill'));
    const unavailable = results.some((r) => r.unavailable > 0);
    return killed || unavailable ? EXIT.findings : EXIT.ok;
  };
  if (!args.values.watch) return once();
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopped) {
      try {
        await once();
      } catch (error) {
        // A store or source away for one round is tried again the next; the message says why.
        io.stderr(`flagops: guard: ${(error as Error).message}\n`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return EXIT.ok;
}
