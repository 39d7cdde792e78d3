import { type Cluster, Redis } from 'ioredis';
import type { StoredState } from '../core/serving/evaluate/snapshot.js';
import { createRedisClient, readChangedState, readLiveState, redisKeys, requireHashTag, unavailable } from '../store/redis-store.js';
import { parseRedisUrl, redactRedisUrl } from '../store/redis-url.js';
import { CORRUPT_REVISION, revisionOf } from '../store/store.js';
import { type FlagSource, type SourceSink, type UsageBatch, usageFields } from './source.js';

export interface RedisSourceOptions {
  /** A Redis URL (redis://, rediss://, redis+cluster://, redis+sentinel://) … */
  url?: string;
  /** … or a client of the application's own (the source duplicates it for pub/sub and never closes it). */
  redis?: Redis | Cluster;
  prefix: string;
  pollIntervalMs: number;
  timeoutMs: number;
  /** Listen on `<prefix>:_changes` (default); without it, changes arrive by polling only. */
  subscribe: boolean;
}

/**
 * Reads one environment from Redis: the whole state in one MULTI (so a snapshot never mixes two
 * syncs), just the changed flags for a change message of the next revision, and the whole state
 * again on every reconnect, whenever the polled `_meta` revision differs from the one held
 * (pub/sub drops messages while a connection is down), and on the first good poll after a failed
 * one (a server that hung without closing the connection causes no reconnect).
 */
export class RedisSource implements FlagSource {
  readonly label: string;
  private readonly keys: ReturnType<typeof redisKeys>;
  private readonly command: Redis | Cluster;
  private readonly subscriber: Redis | Cluster | undefined;
  private readonly ownsCommand: boolean;
  private sink?: SourceSink;
  private revision = -1;
  /** The last state read: a change message is applied on top of it. */
  private held?: StoredState;
  private loading = false;
  private again = false;
  /** A read or poll failed since the last state was read: the client was told the store is away. */
  private failed = false;
  private closed = false;
  private poller?: NodeJS.Timeout;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ioredis types listeners as (...args: any[]) => void
  private listeners: Record<string, (...args: any[]) => void> = {};

  constructor(private readonly options: RedisSourceOptions) {
    this.keys = redisKeys(options.prefix);
    if (options.redis) {
      this.command = options.redis;
      this.ownsCommand = false;
      this.label = `the application's Redis client (prefix ${options.prefix})`;
    } else {
      const endpoint = parseRedisUrl(options.url ?? '');
      requireHashTag(endpoint, options.prefix);
      this.command = createRedisClient(endpoint, { timeoutMs: options.timeoutMs, reconnect: true });
      this.ownsCommand = true;
      this.label = `${redactRedisUrl(options.url ?? '')} (prefix ${options.prefix})`;
    }
    // A subscribed connection can run no other command: pub/sub gets its own. Its 'ready' handler
    // subscribes (and handles a failure); ioredis's own resubscription would leave a rejected promise
    // unhandled if the connection closed before the reply, which stops a process run with strict rejections.
    this.subscriber = options.subscribe ? pubSubConnection(this.command) : undefined;
  }

  start(sink: SourceSink): void {
    this.sink = sink;
    const down = (error?: Error) => this.down(error ?? new Error('Connection is closed'));
    let lastError: Error | undefined;
    // Named, so that close() can take them off a client that belongs to the application.
    this.listeners = {
      error: (error: Error) => {
        lastError = error;
      },
      close: () => down(lastError),
      ready: () => this.reload(),
    };
    for (const [event, listener] of Object.entries(this.listeners)) this.command.on(event, listener);
    this.subscriber?.on('error', () => {});
    const subscriber = this.subscriber;
    // A resubscribed channel may have missed messages while it was down: read everything again.
    subscriber?.on('ready', () => {
      subscriber.subscribe(this.keys.changes).catch(() => {});
      this.reload();
    });
    subscriber?.on('message', (_channel: string, message: string) => this.onMessage(message));
    // Connection failures arrive as 'close' and 'error' events; the retry strategy reconnects.
    if (this.command.status === 'wait') this.command.connect().catch(() => {});
    else if (this.command.status === 'ready') this.reload();
    if (subscriber?.status === 'wait') subscriber.connect().catch(() => {});
    this.poller = setInterval(() => this.poll(), this.options.pollIntervalMs);
    this.poller.unref();
  }

  /**
   * A message for the next revision that names its flags is applied by reading just those (plus
   * meta and overrides) in one MULTI; anything else (a gap, a message without keys, one we cannot
   * read, or another write that slipped in meanwhile) reads the whole state again.
   */
  private onMessage(message: string): void {
    let parsed: { revision?: unknown; changed?: unknown } = {};
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      // A message we cannot read still means something changed.
    }
    if (parsed.revision === this.revision || this.command.status !== 'ready') return;
    const next = parsed.revision === this.revision + 1 && Array.isArray(parsed.changed) && parsed.changed.every((k) => typeof k === 'string');
    if (next && this.held && !this.loading) this.readChanged(parsed.revision as number, parsed.changed as string[]);
    else this.reload();
  }

  private poll(): void {
    if (this.closed || this.command.status !== 'ready') return;
    this.command.hget(this.keys.meta, 'revision').then(
      (live) => {
        // A revision that is not a whole number stays what it was: no reason to read everything again.
        if (this.failed || (revisionOf(live) ?? CORRUPT_REVISION) !== this.revision) this.reload();
      },
      (error: Error) => this.down(error),
    );
  }

  private down(error: Error): void {
    if (this.closed) return;
    this.failed = true;
    this.sink?.down(unavailable(this.label, error));
  }

  reload(): void {
    if (this.closed || !this.sink) return;
    // A command on a connection that is not ready fails at once (no offline queue): the
    // connection's own 'ready' handler reads as soon as it is.
    if (this.command.status !== 'ready') return;
    if (this.loading) {
      this.again = true;
      return;
    }
    this.read(() => readLiveState(this.command, this.keys));
  }

  private readChanged(revision: number, changed: string[]): void {
    this.read(async () => {
      const part = await readChangedState(this.command, this.keys, changed);
      if (part.meta?.revision !== revision || !this.held) return undefined;
      const flags = new Map(this.held.flags);
      for (const [key, json] of part.flags) {
        if (json === null) flags.delete(key);
        else flags.set(key, json);
      }
      return { meta: part.meta, flags, overrides: part.overrides };
    });
  }

  /** One read at a time; a read that comes back undefined (it could not be applied) is followed by a whole one. */
  private read(work: () => Promise<StoredState | undefined>): void {
    this.loading = true;
    work()
      .then(
        (state) => {
          if (this.closed) return;
          if (!state) {
            this.again = true;
            return;
          }
          this.held = state;
          this.revision = state.meta?.revision ?? 0;
          this.failed = false;
          this.sink!.state(state);
        },
        (error: Error) => this.down(error),
      )
      .finally(() => {
        this.loading = false;
        if (this.again) {
          this.again = false;
          this.reload();
        }
      });
  }

  async writeUsage(batch: UsageBatch): Promise<void> {
    if (batch.size === 0 || this.command.status !== 'ready') return;
    const tx = this.command.pipeline();
    for (const [field, n] of usageFields(batch)) {
      if (field.startsWith('count:')) tx.hincrby(this.keys.usage, field, n);
      else tx.hset(this.keys.usage, field, String(n));
    }
    const results = await tx.exec();
    for (const [error] of results ?? []) if (error) throw error;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poller);
    this.subscriber?.disconnect();
    if (!this.ownsCommand) {
      for (const [event, listener] of Object.entries(this.listeners)) this.command.off(event, listener);
      return;
    }
    try {
      if (this.command.status === 'ready') await this.command.quit();
      else this.command.disconnect();
    } catch {
      this.command.disconnect();
    }
  }
}

function pubSubConnection(command: Redis | Cluster): Redis | Cluster {
  // A cluster's subscriber resubscribes with its failures handled.
  return command instanceof Redis ? command.duplicate({ autoResubscribe: false }) : command.duplicate();
}
