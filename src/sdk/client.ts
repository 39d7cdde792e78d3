import { EventEmitter } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import { evaluateFlag, fitsDefault } from '../core/serving/evaluate/evaluate.js';
import { type BrokenFlag, type Clock, isBroken, type PreparedFlag } from '../core/serving/evaluate/prepare.js';
import type { EvaluationContext, EvaluationResult, Resolution } from '../core/serving/evaluate/result.js';
import { buildSnapshot, type Snapshot, type StoredState } from '../core/serving/evaluate/snapshot.js';
import type { JsonValue } from '../core/definition/model.js';
import { FlagopsError } from '../errors.js';
import { maskRedisPasswords } from '../store/redis-url.js';
import { readStateFile, writeStateFile } from './backup-file.js';
import { FileSource } from './file-source.js';
import { RedisSource } from './redis-source.js';
import type { FlagSource } from './source.js';
import { type MeasurementOptions, Measurements } from './measurements.js';
import { UsageRecorder } from './usage.js';

export interface FlagClientOptions {
  /** Redis URL: redis://, rediss:// (TLS), redis+cluster://, redis+sentinel://. Default: FLAGOPS_REDIS_URL. */
  url?: string;
  /** Or an ioredis client (Redis or Cluster) of the application's own (not closed by close()). */
  redis?: RedisClient;
  /** Or the embedded file store written by `flagops sync` without Redis (.flagops/store/<env>.json). */
  file?: string;
  /** The environment; the Redis prefix is then `flagops:<env>`. */
  env?: string;
  /** The Redis key prefix, when the environment sets its own (e.g. `{flagops:prod}` in a Cluster). */
  prefix?: string;
  /** A state file (file store format) to serve while the store cannot be reached at start. */
  bootstrap?: string;
  /** Where to keep a copy of the last state read; also read at start, like `bootstrap`, when that is not given. */
  backup?: string;
  /** How often `_meta` is polled as a safety net for lost change messages (default 5,000 ms; files: 1,000 ms). */
  pollIntervalMs?: number;
  /** Apply change messages from `<prefix>:_changes` (default true); false relies on polling alone. */
  subscribe?: boolean;
  /** How long ready() waits for the store (default 5,000 ms); also the Redis connect and command timeout. */
  timeoutMs?: number;
  /** Count evaluations per flag and variant and flush them to `<prefix>:_usage` (default off). */
  usage?: boolean | { flushIntervalMs?: number };
  /** The clock rollout stages are evaluated against (default Date.now). */
  now?: () => number;
  /**
   * Count evaluations and the outcomes track() reports by flag, variant and environment, for
   * guarded rollouts (default off): true for metricsText() only, or the application's prom-client
   * registry, OpenTelemetry meter or logger to report through.
   */
  measurements?: boolean | MeasurementOptions;
}

/**
 * An ioredis `Redis` or `Cluster`, described by the methods the SDK calls rather than by ioredis's
 * own types: a service that never imports ioredis then compiles with `skipLibCheck: false`
 * (ioredis's declarations import `redis-errors`, which has none, an error under `strict`).
 */
export interface RedisClient {
  status: string;
  duplicate(...args: never[]): unknown;
  multi(...args: never[]): unknown;
  subscribe(...args: never[]): unknown;
  on(...args: never[]): unknown;
}

/** What describe() tells about a flag being served. */
export interface FlagDescription {
  type: string;
  variants: Readonly<Record<string, JsonValue>>;
  offVariant: string;
  expires?: string;
  /** The flag file's `metadata`. */
  metadata?: Readonly<Record<string, string | number | boolean>>;
}

export type ClientState = 'starting' | 'ready' | 'stale' | 'closed';

/**
 * What `ready()` found: flags from the store; flags from the bootstrap or backup file while the
 * store could not be reached (evaluations say STALE); or none yet, with why (evaluations return
 * their defaults with PROVIDER_NOT_READY until the store answers, which the client keeps trying).
 */
export type ReadyResult =
  | { ready: true; source: 'store' | 'file'; revision: number }
  | { ready: false; revision: 0; error: FlagopsError };

export interface ChangeEvent {
  revision: number;
  commit: string;
  /** The flags whose stored definition or override changed. */
  changed: string[];
}

export interface FlagClientEvents {
  /** The first snapshot from the store, and again when the store is back after being away. */
  ready: [{ revision: number; source: 'store' | 'bootstrap' }];
  changed: [ChangeEvent];
  /** The store is away: evaluations go on from the last known good snapshot (reason STALE). */
  stale: [{ error: Error }];
  error: [Error];
}

const NO_CONTEXT: EvaluationContext = Object.freeze({});

/**
 * Evaluates flags from memory. Every evaluation is synchronous, reads no network, and never
 * throws: an unknown flag, a store that never answered, a flag that cannot be read or a wrong type
 * give the caller's default and say why in evaluate()'s reason and error code.
 */
export class FlagClient {
  private snapshot: Snapshot | undefined;
  private flags: ReadonlyMap<string, PreparedFlag | BrokenFlag> = new Map();
  private stale = false;
  private fromStore = false;
  private status: ClientState = 'starting';
  private readonly events = new EventEmitter();
  private readonly clock: Clock;
  private readonly usage?: UsageRecorder;
  private readonly measured?: Measurements;
  private flusher?: NodeJS.Timeout;
  private backupTimer?: NodeJS.Timeout;
  private lastError?: Error;
  /** The `_meta` problem last reported, so it is said once. */
  private metaProblem?: string;
  private readonly waiters = new Set<() => void>();
  /** Counts the snapshots taken: a store emptied and synced again can repeat a revision number with other flags. */
  private generation = 0;

  /** @internal use createFlagClient */
  constructor(
    private readonly source: FlagSource,
    private readonly options: FlagClientOptions,
  ) {
    this.clock = options.now ?? Date.now;
    this.events.setMaxListeners(0);
    if (options.measurements) this.measured = new Measurements(options.measurements === true ? {} : options.measurements, options.env ?? 'default');
    if (options.usage) {
      this.usage = new UsageRecorder();
      const every = typeof options.usage === 'object' ? (options.usage.flushIntervalMs ?? 10_000) : 10_000;
      this.flusher = setInterval(() => void this.flushUsage(), every);
      this.flusher.unref();
    }
    const start = options.bootstrap ?? options.backup;
    if (start) this.loadBootstrap(start, options.bootstrap !== undefined);
    source.start({ state: (state) => this.accept(state), down: (error) => this.down(error) });
  }

  /** The revision being served (0 before any; -1 while the store's `_meta.revision` is not a whole number). */
  get revision(): number {
    return this.snapshot?.revision ?? 0;
  }

  get state(): ClientState {
    return this.status;
  }

  /** Whether a boolean flag is on for this context; `fallback` when it is unknown, not boolean, or anything fails. */
  isEnabled(key: string, context?: EvaluationContext, fallback = false): boolean {
    const value = this.resolve(key, context)?.value;
    return typeof value === 'boolean' ? value : fallback;
  }

  /** The variant name served to this context, or undefined when the flag is unknown or cannot be evaluated. */
  getVariant(key: string, context?: EvaluationContext): string | undefined {
    return this.resolve(key, context)?.variant;
  }

  /**
   * The value served to this context, or `fallback` when unknown, of another JSON type than
   * `fallback` (a null fallback stands for any object or list), or failing.
   */
  getValue<T extends JsonValue>(key: string, context: EvaluationContext | undefined, fallback: T): T {
    const r = this.resolve(key, context);
    return r !== undefined && fitsDefault(r.value, fallback) ? (r.value as T) : fallback;
  }

  /** The hot path of the three calls above: the prepared flag's shared result, or undefined. */
  private resolve(key: string, context: EvaluationContext | undefined): Resolution | undefined {
    const flag = this.flags.get(key);
    if (flag === undefined || isBroken(flag)) return undefined;
    try {
      const r = flag.evaluate(context ?? NO_CONTEXT, this.clock);
      if (this.usage !== undefined) this.usage.record(key, r.variant);
      if (this.measured !== undefined) this.measured.evaluated(key, r.variant, r, r.reason);
      return r;
    } catch {
      return undefined;
    }
  }

  /**
   * @internal For readers that write each outcome once and reuse it (flagops serve): the flag as this
   * snapshot prepared it, whose evaluate() returns one frozen Resolution per outcome; undefined for a
   * flag that is unknown or cannot be read (evaluate() says why). Such readers record no usage, and
   * say STALE themselves while `servingStale`.
   */
  prepared(key: string): PreparedFlag | undefined {
    const flag = this.flags.get(key);
    return flag === undefined || isBroken(flag) ? undefined : flag;
  }

  /** @internal The client's clock, for readers that evaluate many flags at one instant. */
  now(): number {
    return this.clock();
  }

  /** @internal The instants at which some flag's answers may change by themselves (rollout stages), sorted. */
  stageTimes(): number[] {
    const times = new Set<number>();
    for (const flag of this.flags.values()) if (!isBroken(flag)) for (const at of flag.changesAt ?? []) times.add(at);
    return [...times].sort((a, b) => a - b);
  }

  /** @internal Changes with every snapshot taken, even one whose revision number repeats an earlier one. */
  get snapshotGeneration(): number {
    return this.generation;
  }

  /** @internal Why the store cannot be read now (its URL's password masked), while it cannot; for readiness reports. */
  get problem(): string | undefined {
    return this.lastError && maskRedisPasswords(this.lastError.message);
  }

  /** @internal Whether evaluations now say STALE: the store is away, or the flags came from a bootstrap file. */
  get servingStale(): boolean {
    return this.stale;
  }

  /** The full answer: value, variant, reason, error code and message, matched rule. */
  evaluate(key: string, context?: EvaluationContext): EvaluationResult;
  evaluate<T extends JsonValue>(key: string, context: EvaluationContext | undefined, fallback: T): EvaluationResult<T>;
  evaluate<T extends JsonValue>(key: string, context?: EvaluationContext, fallback?: T): EvaluationResult<T | undefined> {
    const result = evaluateFlag(this.snapshot, key, context, fallback as T, this.clock, this.stale);
    if (this.usage !== undefined && result.variant !== undefined && result.errorCode === undefined) this.usage.record(key, result.variant);
    if (this.measured !== undefined && result.variant !== undefined && result.errorCode === undefined) {
      this.measured.evaluatedByName(key, result.variant, result.reason);
    }
    return result;
  }

  /**
   * Reports an outcome for a user (an error, a conversion; with a value, a latency in seconds):
   * counted for the variant this flag serves that user now, so a guard can compare the variant
   * with the control. Without `measurements` on, or for a flag that is unknown, it does nothing.
   */
  track(key: string, event: string, context?: EvaluationContext, value?: number): void {
    if (this.measured === undefined) return;
    const flag = this.flags.get(key);
    if (flag === undefined || isBroken(flag)) return;
    try {
      this.measured.outcome(key, flag.evaluate(context ?? NO_CONTEXT, this.clock).variant, event, value);
    } catch {
      // A context that makes a rule throw reports nothing: track never throws.
    }
  }

  /** track() for every flag in a guarded rollout: an outcome that names no flag (OpenFeature's tracking API). */
  trackGuarded(event: string, context?: EvaluationContext, value?: number): void {
    if (this.measured === undefined) return;
    for (const [key, flag] of this.flags) if (!isBroken(flag) && flag.guarded) this.track(key, event, context, value);
  }

  /** What measurements counted, as Prometheus text (for a /metrics route without prom-client); empty when off. */
  metricsText(): string {
    return this.measured?.text() ?? '';
  }

  /** The keys of the flags being served. */
  keys(): string[] {
    return [...this.flags.keys()];
  }

  /** Details of one flag as served (for OpenFeature metadata and tooling), or undefined. */
  describe(key: string): FlagDescription | undefined {
    const flag = this.flags.get(key);
    if (!flag || isBroken(flag)) return undefined;
    return {
      type: flag.type,
      variants: flag.variants,
      offVariant: flag.offVariant,
      ...(flag.expires ? { expires: flag.expires } : {}),
      ...(flag.metadata ? { metadata: flag.metadata } : {}),
    };
  }

  /**
   * Resolves once flags are loaded from the store, or, when the store cannot be reached within
   * `timeoutMs`, with the bootstrap or backup file's flags, or with none and why. It never rejects:
   * a service starts whatever the store does (check `ready` to fail fast if it must), the client
   * keeps trying, and evaluations return defaults (PROVIDER_NOT_READY) until it has flags.
   */
  ready(timeoutMs = this.options.timeoutMs ?? 5000): Promise<ReadyResult> {
    const now = (): ReadyResult | undefined =>
      this.fromStore ? { ready: true, source: 'store', revision: this.revision } : undefined;
    const found = now();
    if (found) return Promise.resolve(found);
    if (this.status === 'closed') return Promise.resolve({ ready: false, revision: 0, error: new FlagopsError('The flag client is closed.') });
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(now()!);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        if (this.snapshot) return resolve({ ready: true, source: 'file', revision: this.revision });
        const cause = this.lastError ? `: ${maskRedisPasswords(this.lastError.message)}` : '';
        resolve({
          ready: false,
          revision: 0,
          error: new FlagopsError(
            `No flags could be loaded from ${this.source.label} within ${timeoutMs} ms${cause}`,
            'Evaluations return their defaults (PROVIDER_NOT_READY) until the store answers; pass bootstrap: or backup: to start from a file.',
          ),
        });
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  on<E extends keyof FlagClientEvents>(event: E, listener: (...args: FlagClientEvents[E]) => void): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<E extends keyof FlagClientEvents>(event: E, listener: (...args: FlagClientEvents[E]) => void): this {
    this.events.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Stops reading the store (flushing usage counts first); evaluations go on from the last snapshot. */
  async close(): Promise<void> {
    if (this.status === 'closed') return;
    this.status = 'closed';
    clearInterval(this.flusher);
    if (this.backupTimer) {
      clearTimeout(this.backupTimer);
      this.writeBackup();
    }
    await this.flushUsage();
    await this.source.close();
    this.stale = true;
  }

  /** Writes the usage counted so far (also done every flush interval and on close). */
  async flushUsage(): Promise<void> {
    if (!this.usage || !this.source.writeUsage) return;
    const batch = this.usage.take(this.clock());
    try {
      await this.source.writeUsage(batch);
    } catch (error) {
      this.usage.restore(batch);
      this.emitError(error as Error);
    }
  }

  private loadBootstrap(path: string, required: boolean): void {
    try {
      this.snapshot = buildSnapshot(readStateFile(path));
      this.generation++;
      this.flags = this.snapshot.flags;
      this.stale = true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!required && code === 'ENOENT') return;
      this.emitError(new FlagopsError(`The bootstrap file ${path} could not be used: ${code ?? (error as Error).message}.`));
    }
  }

  private accept(state: StoredState): void {
    if (this.status === 'closed') return;
    if (state.meta === null && (this.snapshot?.revision ?? 0) > 0) {
      // An empty store (a Redis restarted without persistence, a flushed database) is not a decision
      // to turn every flag off: keep serving what was last known good until a sync writes flags again.
      this.down(new FlagopsError(`${this.source.label} holds no flags (never synced, or emptied); serving revision ${this.revision} until a sync writes them.`));
      return;
    }
    const previous = this.fromStore ? this.snapshot : undefined;
    let next: Snapshot;
    try {
      next = buildSnapshot(state, this.snapshot);
    } catch (error) {
      this.down(error as Error);
      return;
    }
    const changed = previous ? changedKeys(previous, next) : [];
    if (previous && next.revision >= 0 && next.revision < previous.revision) this.reportReset(previous, next);
    const problem = state.meta?.problem;
    if (problem !== undefined && problem !== this.metaProblem) {
      this.emitError(
        new FlagopsError(
          `${this.source.label}: ${problem}; its flags are served as they are.`,
          'Someone wrote _meta outside flagops: flagops sync --force rewrites it.',
        ),
      );
    }
    this.metaProblem = problem;
    // The file store is read again every poll: a read that finds what is held keeps the snapshot, so
    // readers that cache per snapshot (flagops serve's answers and poll tags) keep their caches.
    const same = previous !== undefined && changed.length === 0 && sameMeta(previous, next);
    if (!same) {
      this.snapshot = next;
      this.generation++;
      this.flags = next.flags;
      // New outcome objects from here on: the old ones' counts are kept by name.
      this.measured?.fold();
    }
    const wasServing = this.fromStore && !this.stale;
    this.fromStore = true;
    this.stale = false;
    this.status = 'ready';
    this.lastError = undefined;
    if (!wasServing) {
      for (const done of [...this.waiters]) done();
      this.emit('ready', { revision: next.revision, source: 'store' });
    }
    if (changed.length > 0) this.emit('changed', { revision: next.revision, commit: next.commit, changed });
    if (this.options.backup && (changed.length > 0 || !previous)) this.scheduleBackup();
  }

  /**
   * Revisions only grow, so a lower one means the store was emptied and synced again (a Redis
   * restarted without persistence): the flags come back from git, kill switches do not. Say so.
   */
  private reportReset(before: Snapshot, after: Snapshot): void {
    const lost = [...before.overrides].filter(([key]) => !after.overrides.has(key) && after.flags.has(key));
    if (lost.length === 0) return;
    const list = lost.map(([key, variant]) => `${key} (was ${variant})`).join(', ');
    this.emitError(
      new FlagopsError(
        `${this.source.label} was reset (revision ${before.revision} → ${after.revision}); the kill switches it held are gone, so these flags serve their flag files again: ${list}.`,
        'If a kill still stands, set it again with flagops kill.',
      ),
    );
  }

  /** Reports an outage once, when it starts (a reconnecting client fails every few hundred ms). */
  private down(error: Error): void {
    if (this.status === 'closed') return;
    const known = this.lastError !== undefined;
    this.lastError = error;
    if (this.fromStore && !this.stale) {
      this.stale = true;
      this.status = 'stale';
      this.emit('stale', { error });
      this.emitError(error);
    } else if (!known) {
      this.emitError(error);
    }
  }

  private scheduleBackup(): void {
    if (this.backupTimer) return;
    this.backupTimer = setTimeout(() => {
      this.backupTimer = undefined;
      this.writeBackup();
    }, 100);
    this.backupTimer.unref();
  }

  private writeBackup(): void {
    const snapshot = this.snapshot;
    if (!snapshot || !this.options.backup) return;
    try {
      writeStateFile(this.options.backup, {
        meta: { revision: snapshot.revision, commit: snapshot.commit, syncedAt: snapshot.syncedAt, format: 1 },
        flags: snapshot.sources,
        overrides: new Map<string, { variant: string } | { hold: string }>([
          ...[...snapshot.overrides].map(([key, variant]) => [key, { variant }] as const),
          ...[...snapshot.holds].map(([key, hold]) => [key, { hold }] as const),
        ]),
      });
    } catch (error) {
      this.emitError(new FlagopsError(`The backup file ${this.options.backup} could not be written: ${(error as Error).message}`));
    }
  }

  private emit<E extends keyof FlagClientEvents>(event: E, ...args: FlagClientEvents[E]): void {
    try {
      this.events.emit(event, ...args);
    } catch {
      // A listener that throws must not break the client.
    }
  }

  /** 'error' only reaches listeners: without one, Node would throw it. */
  private emitError(error: Error): void {
    if (this.events.listenerCount('error') > 0) this.emit('error', error);
  }
}

const sameMeta = (a: Snapshot, b: Snapshot) => a.revision === b.revision && a.commit === b.commit && a.syncedAt === b.syncedAt;

function changedKeys(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [key, json] of after.sources) {
    const overridden = before.overrides.get(key) !== after.overrides.get(key) || before.holds.get(key) !== after.holds.get(key);
    if (before.sources.get(key) !== json || overridden) changed.push(key);
  }
  for (const key of before.sources.keys()) if (!after.sources.has(key)) changed.push(key);
  return changed;
}

/** A client reading one environment from Redis or the file store. Throws only for options that cannot work. */
export function createFlagClient(options: FlagClientOptions = {}): FlagClient {
  const given = [options.url, options.redis, options.file].filter((x) => x !== undefined).length;
  if (given > 1) throw new FlagopsError('Pass one of url, redis or file to createFlagClient, not several.');
  const url = given === 0 ? process.env.FLAGOPS_REDIS_URL : options.url;
  if (options.file !== undefined) {
    return new FlagClient(new FileSource(options.file, options.pollIntervalMs ?? 1000), options);
  }
  if (url === undefined && options.redis === undefined) {
    throw new FlagopsError(
      'createFlagClient needs a store: url (or FLAGOPS_REDIS_URL), redis (an ioredis client) or file.',
      'For example createFlagClient({ url: process.env.REDIS_URL, env: "production" }).',
    );
  }
  if (options.prefix === undefined && options.env === undefined) {
    throw new FlagopsError('createFlagClient needs env (the environment to read) or prefix (its Redis key prefix).');
  }
  const prefix = options.prefix ?? `flagops:${options.env}`;
  const source = new RedisSource({
    ...(url !== undefined ? { url } : {}),
    // The structural RedisClient is ioredis's Redis or Cluster by contract (see its comment).
    ...(options.redis ? { redis: options.redis as unknown as Redis | Cluster } : {}),
    prefix,
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    timeoutMs: options.timeoutMs ?? 5000,
    subscribe: options.subscribe ?? true,
  });
  return new FlagClient(source, options);
}
