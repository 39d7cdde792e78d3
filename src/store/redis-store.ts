import { type ChainableCommander, Cluster, Redis } from 'ioredis';
import { parseRedisUrl, type RedisEndpoint, redactRedisUrl } from './redis-url.js';
import { StoreConfigError } from './store-config-error.js';
import {
  type AuditEntry,
  CORRUPT_REVISION,
  nextRevision,
  revisionMatches,
  revisionOf,
  revisionProblem,
  type FlagStore,
  type FlagUsage,
  type LiveState,
  type OverridesWrite,
  singleOverride,
  type StoredOverride,
  type OverrideWrite,
  parseUsage,
  type StoreMeta,
  StoreUnavailable,
  type SyncWrite,
  type WriteResult,
} from './store.js';

/** The keys of one environment (see docs/redis-layout.md). */
export function redisKeys(prefix: string) {
  return {
    flags: `${prefix}:_flags`,
    meta: `${prefix}:_meta`,
    overrides: `${prefix}:_overrides`,
    audit: `${prefix}:_audit`,
    changes: `${prefix}:_changes`,
    usage: `${prefix}:_usage`,
    simple: (key: string) => `${prefix}:${key}`,
  };
}

/**
 * One environment's flags, meta and overrides in one MULTI: a reader never sees half a sync.
 * Shared by the CLI's store and the SDK's source.
 */
export async function readLiveState(redis: Redis | Cluster, keys: ReturnType<typeof redisKeys>): Promise<LiveState> {
  const [flags, meta, overrides] = await inOneTransaction(redis.multi().hgetall(keys.flags).hgetall(keys.meta).hgetall(keys.overrides));
  return {
    meta: parseMeta((meta ?? {}) as Record<string, string>),
    flags: new Map(Object.entries((flags ?? {}) as Record<string, string>)),
    overrides: parseOverrides((overrides ?? {}) as Record<string, string>),
  };
}

/**
 * Only the named flags (null: removed), with meta and overrides, in one MULTI: what a reader that
 * holds the previous revision needs after a change message, without reading every flag again.
 */
export async function readChangedState(
  redis: Redis | Cluster,
  keys: ReturnType<typeof redisKeys>,
  changed: readonly string[],
): Promise<{ meta: StoreMeta | null; flags: Map<string, string | null>; overrides: Map<string, StoredOverride> }> {
  const tx = redis.multi();
  if (changed.length > 0) tx.hmget(keys.flags, ...changed);
  tx.hgetall(keys.meta).hgetall(keys.overrides);
  const results = await inOneTransaction(tx);
  const values = (changed.length > 0 ? results.shift() : []) as Array<string | null>;
  const [meta, overrides] = results as Array<Record<string, string>>;
  return {
    meta: parseMeta(meta ?? {}),
    flags: new Map(changed.map((key, i) => [key, values[i] ?? null])),
    overrides: parseOverrides(overrides ?? {}),
  };
}

async function inOneTransaction(tx: ChainableCommander): Promise<unknown[]> {
  const results = await tx.exec();
  if (!results) throw new Error('the snapshot transaction was aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function parseOverrides(hash: Record<string, string>): Map<string, StoredOverride> {
  return new Map(
    Object.entries(hash).flatMap(([key, json]) => {
      try {
        return [[key, JSON.parse(json) as StoredOverride] as const];
      } catch {
        return [];
      }
    }),
  );
}

/** A Cluster runs a transaction only within one slot: every key of an environment must share one. */
export function requireHashTag(endpoint: RedisEndpoint, prefix: string): void {
  if (endpoint.mode === 'cluster' && !/\{[^}]+\}/.test(prefix)) {
    throw new StoreConfigError(
      `In a Redis Cluster the prefix must hold a hash tag, so that all keys of an environment share one slot; "${prefix}" has none.`,
      `Set prefix: "{${prefix}}" for the environment in flagops.config.yaml (and the SDK's prefix option).`,
    );
  }
}

/** Redis behind the FlagStore contract: snapshot reads in one MULTI, writes in one WATCH-guarded MULTI/EXEC. */
export class RedisStore implements FlagStore {
  private readonly keys: ReturnType<typeof redisKeys>;

  private constructor(
    private readonly redis: Redis | Cluster,
    readonly label: string,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  static async connect(url: string, prefix: string, options: { timeoutMs?: number } = {}): Promise<RedisStore> {
    const endpoint = parseRedisUrl(url);
    requireHashTag(endpoint, prefix);
    const label = `${redactRedisUrl(url)} (prefix ${prefix})`;
    const redis = createRedisClient(endpoint, { timeoutMs: options.timeoutMs ?? 5000 });

    let lastError: Error | undefined;
    redis.on('error', (error: Error) => {
      lastError = error;
    });
    const timeout = options.timeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    try {
      // connectTimeout covers the TCP handshake only; a server that accepts and never answers is
      // caught by this overall deadline on connect + PING.
      await Promise.race([
        (async () => {
          await redis.connect();
          await redis.ping();
        })(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${timeout} ms`), { code: 'ETIMEDOUT' })), timeout);
        }),
      ]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ETIMEDOUT') lastError = error as Error;
      redis.disconnect();
      // The 'error' event carries the cause (ECONNREFUSED, WRONGPASS); connect() only says "closed".
      throw unavailable(label, lastError ?? (error as Error));
    } finally {
      clearTimeout(timer);
    }
    return new RedisStore(redis, label, prefix);
  }

  async read(): Promise<LiveState> {
    return this.run(() => readLiveState(this.redis, this.keys));
  }

  async writeSync(write: SyncWrite): Promise<WriteResult> {
    const changed = [...write.upserts.keys(), ...write.removals];
    return this.transaction(write.expectedRevision, (tx, revision) => {
      if (write.upserts.size > 0) {
        const pairs: string[] = [];
        for (const [key, json] of write.upserts) pairs.push(key, json);
        tx.hset(this.keys.flags, pairs);
      }
      // Array arguments, never spread: a removal of 100,000 flags must not hit the call-argument limit.
      if (write.removals.length > 0) tx.call('HDEL', [this.keys.flags].concat(write.removals));
      for (const [key, json] of write.simple?.set ?? []) tx.set(this.keys.simple(key), json);
      if (write.simple?.remove.length) tx.call('DEL', write.simple.remove.map((key) => this.keys.simple(key)));
      for (const [flag, override] of write.overrides ?? []) tx.hset(this.keys.overrides, flag, JSON.stringify(override));
      const { commit, syncedAt, checksum, format, environment } = write.meta;
      tx.hset(this.keys.meta, { revision, commit, syncedAt, checksum, format, ...(environment ? { environment } : {}) });
      this.finish(tx, revision, write.audit, changeMessage(commit, changed));
    });
  }

  writeOverride(write: OverrideWrite): Promise<WriteResult> {
    return this.writeOverrides(singleOverride(write));
  }

  async writeOverrides(write: OverridesWrite): Promise<WriteResult> {
    return this.transaction(write.expectedRevision, (tx, revision) => {
      for (const [flag, override] of write.set) {
        if (override) tx.hset(this.keys.overrides, flag, JSON.stringify(override));
        else tx.hdel(this.keys.overrides, flag);
      }
      for (const [flag, simple] of write.simple ?? []) {
        if (simple === null) tx.del(this.keys.simple(flag));
        else tx.set(this.keys.simple(flag), simple);
      }
      tx.hset(this.keys.meta, 'revision', revision);
      this.finish(tx, revision, write.audit, changeMessage('', [...write.set.keys()]));
    });
  }

  private finish(tx: ChainableCommander, revision: number, audit: AuditEntry | readonly AuditEntry[], message: ReturnType<typeof changeMessage>) {
    for (const entry of Array.isArray(audit) ? audit : [audit]) tx.xadd(this.keys.audit, 'MAXLEN', '~', '10000', '*', 'entry', JSON.stringify(entry));
    tx.publish(this.keys.changes, JSON.stringify({ revision, ...message }));
  }

  /**
   * One optimistic transaction: WATCH `_meta`, check the revision the plan was made from, then queue
   * every write in MULTI/EXEC. Redis applies EXEC whole or not at all; it discards the transaction
   * when `_meta` changed since WATCH (another writer), when the client disconnects before EXEC
   * (a killed process, a cut connection), and when any queued command is refused (EXECABORT).
   */
  private async transaction(expected: number, queue: (tx: ChainableCommander, revision: number) => void): Promise<WriteResult> {
    return this.run(async () => {
      const [[watchError], [readError, live]] = (await this.redis
        .pipeline()
        .watch(this.keys.meta)
        .hget(this.keys.meta, 'revision')
        .exec()) as [[Error | null], [Error | null, string | null]];
      if (watchError || readError) throw watchError ?? readError;
      const liveRevision = revisionOf(live);
      if (!revisionMatches(liveRevision, expected)) {
        await this.redis.unwatch();
        return { status: 'conflict', liveRevision: liveRevision ?? CORRUPT_REVISION } as const;
      }
      const tx = this.redis.multi();
      queue(tx, nextRevision(expected));
      const results = await tx.exec();
      if (results === null) {
        return { status: 'conflict', liveRevision: revisionOf(await this.redis.hget(this.keys.meta, 'revision')) ?? CORRUPT_REVISION } as const;
      }
      for (const [error] of results) if (error) throw error;
      return { status: 'applied', revision: nextRevision(expected) } as const;
    });
  }

  async readAudit(count: number): Promise<AuditEntry[]> {
    const entries = await this.run(() => this.redis.xrevrange(this.keys.audit, '+', '-', 'COUNT', count));
    return entries.flatMap(([, fields]) => {
      const index = fields.indexOf('entry');
      try {
        return index >= 0 ? [JSON.parse(fields[index + 1]!) as AuditEntry] : [];
      } catch {
        return [];
      }
    });
  }

  async readSimple(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const values = await this.run(() => this.redis.mget(keys.map((key) => this.keys.simple(key))));
    return new Map(keys.flatMap((key, i) => (values[i] === null || values[i] === undefined ? [] : [[key, values[i]!]])));
  }

  async readUsage(): Promise<Map<string, FlagUsage>> {
    return parseUsage(await this.run(() => this.redis.hgetall(this.keys.usage)));
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw unavailable(this.label, error as Error);
    }
  }
}

/** Reconnect delays for long-lived readers (the SDK): quick at first, capped at 1 s, with jitter. */
export const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), 1000) + Math.floor(Math.random() * 50);

/**
 * An ioredis client for an endpoint. A CLI run fails fast and says why: no reconnects, no offline
 * queue. The SDK reconnects with backoff (`reconnect`) but still never queues: a command while
 * Redis is away fails at once, and evaluations never wait on Redis anyway.
 */
export function createRedisClient(endpoint: RedisEndpoint, options: { timeoutMs: number; reconnect?: boolean }): Redis | Cluster {
  const timeout = options.timeoutMs;
  const retry = options.reconnect ? reconnectDelay : () => null;
  const common = {
    lazyConnect: true,
    // Its INFO-based ready check warns on stderr for ACL users without INFO; PING below checks instead.
    enableReadyCheck: false,
    connectTimeout: timeout,
    commandTimeout: options.reconnect ? timeout : 120_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: retry,
  };
  if (endpoint.mode === 'standalone') return new Redis(endpoint.url, common);
  const auth = {
    ...(endpoint.username ? { username: endpoint.username } : {}),
    ...(endpoint.password ? { password: endpoint.password } : {}),
    ...(endpoint.tls ? { tls: {} } : {}),
  };
  if (endpoint.mode === 'cluster') {
    return new Cluster(endpoint.nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: retry,
      redisOptions: { ...common, ...auth },
    });
  }
  return new Redis({
    ...common,
    ...auth,
    sentinels: endpoint.sentinels,
    name: endpoint.name,
    db: endpoint.db,
    sentinelRetryStrategy: options.reconnect ? reconnectDelay : () => null,
    ...(endpoint.tls ? { enableTLSForSentinelMode: true } : {}),
  });
}

/** Past this many keys a change message says "all" (changed: null): readers reload the whole snapshot anyway. */
const CHANGE_MESSAGE_MAX_KEYS = 1000;

function changeMessage(commit: string, changed: string[]) {
  return changed.length > CHANGE_MESSAGE_MAX_KEYS ? { commit, changed: null, count: changed.length } : { commit, changed };
}

function parseMeta(hash: Record<string, string>): StoreMeta | null {
  if (Object.keys(hash).length === 0) return null;
  const revision = hash.revision === undefined ? undefined : revisionOf(hash.revision);
  return {
    revision: revision ?? CORRUPT_REVISION,
    ...(revision === undefined
      ? { problem: revisionProblem(hash.revision) }
      : {}),
    commit: hash.commit ?? '',
    syncedAt: hash.syncedAt ?? '',
    checksum: hash.checksum ?? '',
    format: Number(hash.format) || 0,
    ...(hash.environment ? { environment: hash.environment } : {}),
  };
}

/** Redis errors as messages that name the store by its redacted label and say what to do. */
export function unavailable(label: string, error: Error | undefined, depth = 0): StoreUnavailable {
  if (error instanceof StoreUnavailable) return error;
  // A Cluster that reached no node says "Failed to refresh slots cache", and EXECABORT says only that
  // a queued command was refused: the error underneath says why.
  const cause =
    (error as { lastNodeError?: Error } | undefined)?.lastNodeError ??
    (error as { previousErrors?: Error[] } | undefined)?.previousErrors?.[0];
  if (cause && cause !== error && depth < 3) return unavailable(label, cause, depth + 1);
  const message = String(error?.message ?? error ?? 'unknown error');
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return new StoreUnavailable(
      `Redis at ${label} refused the credentials (${message.split(' ')[0]}).`,
      'Check the user name and password in the Redis URL (or the variable that holds it).',
    );
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|certificate/i.test(`${code} ${message}`)) {
    return new StoreUnavailable(
      `Redis at ${label} presented a TLS certificate that was not accepted (${code || message.split('\n')[0]}).`,
      'flagops verifies certificates: trust the CA that signed it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem, or fix the host name.',
    );
  }
  if (/^NOPERM/.test(message)) {
    return new StoreUnavailable(
      `Redis at ${label} does not allow this user to do that: ${message.replace(/^NOPERM\s*/, '')}`,
      'Grant the sync user the commands and key pattern in docs/redis-layout.md#acl.',
    );
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|connect|Connection is closed|timed out/i.test(`${code} ${message}`)) {
    return new StoreUnavailable(
      `Cannot reach Redis at ${label}: ${describeNetworkError(code, message)}.`,
      'Check the host and port, that Redis runs, and that this machine may connect to it.',
    );
  }
  return new StoreUnavailable(`Redis at ${label} failed: ${message.split('\n')[0]}`, 'See the Redis server log.');
}

function describeNetworkError(code: string, message: string): string {
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (/timed? ?out|ETIMEDOUT/i.test(`${code} ${message}`)) return /after \d+ ms/.test(message) ? message : 'timed out';
  if (/ECONNRESET|Connection is closed|connection close/i.test(message)) return 'the connection was closed';
  return message.split('\n')[0] ?? 'network error';
}
