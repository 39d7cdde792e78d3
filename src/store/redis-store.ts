import { createHash } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { parseRedisUrl, type RedisEndpoint, redactRedisUrl } from './redis-url.js';
import { StoreConfigError } from './target.js';
import { OVERRIDE_SCRIPT, SYNC_SCRIPT } from './redis-scripts.js';
import {
  type AuditEntry,
  type FlagStore,
  type LiveState,
  type Override,
  type OverrideWrite,
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
    simple: (key: string) => `${prefix}:${key}`,
  };
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** Redis behind the FlagStore contract: snapshot reads in one MULTI, writes as one guarded Lua script. */
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
    if (endpoint.mode === 'cluster' && !/\{[^}]+\}/.test(prefix)) {
      throw new StoreConfigError(
        `In a Redis Cluster the prefix must hold a hash tag, so that all keys of an environment share one slot; "${prefix}" has none.`,
        `Set prefix: "{${prefix}}" for the environment in flagops.config.yaml.`,
      );
    }
    const label = `${redactRedisUrl(url)} (prefix ${prefix})`;
    const redis = createClient(endpoint, options.timeoutMs ?? 5000);
    let lastError: Error | undefined;
    redis.on('error', (error: Error) => {
      lastError = error;
    });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      // The 'error' event carries the cause (ECONNREFUSED, WRONGPASS); connect() only says "closed".
      throw unavailable(label, lastError ?? (error as Error));
    }
    return new RedisStore(redis, label, prefix);
  }

  async read(): Promise<LiveState> {
    const results = await this.run(() =>
      this.redis.multi().hgetall(this.keys.flags).hgetall(this.keys.meta).hgetall(this.keys.overrides).exec(),
    );
    const [flags, meta, overrides] = (results ?? []).map(([error, value]) => {
      if (error) throw unavailable(this.label, error);
      return value as Record<string, string>;
    });
    return {
      meta: parseMeta(meta ?? {}),
      flags: new Map(Object.entries(flags ?? {})),
      overrides: new Map(
        Object.entries(overrides ?? {}).flatMap(([key, json]) => {
          try {
            return [[key, JSON.parse(json) as Override]];
          } catch {
            return [];
          }
        }),
      ),
    };
  }

  async writeSync(write: SyncWrite): Promise<WriteResult> {
    const simpleSet = [...(write.simple?.set ?? new Map<string, string>())];
    const simpleRemove = [...(write.simple?.remove ?? [])];
    const keys = [
      this.keys.flags,
      this.keys.meta,
      this.keys.overrides,
      this.keys.audit,
      ...simpleSet.map(([key]) => this.keys.simple(key)),
      ...simpleRemove.map((key) => this.keys.simple(key)),
    ];
    const args: Array<string | number> = [
      write.expectedRevision,
      this.keys.changes,
      JSON.stringify(write.audit),
      JSON.stringify(changeMessage(write.meta.commit, [...write.upserts.keys(), ...write.removals])),
      write.meta.commit,
      write.meta.syncedAt,
      write.meta.checksum,
      write.meta.format,
      write.upserts.size,
      write.removals.length,
      simpleSet.length,
      simpleRemove.length,
    ];
    for (const [key, json] of write.upserts) args.push(key, json);
    for (const key of write.removals) args.push(key);
    simpleSet.forEach(([, json], i) => args.push(5 + i, json));
    simpleRemove.forEach((_, i) => args.push(5 + simpleSet.length + i));
    return this.script(SYNC_SCRIPT, keys, args);
  }

  async writeOverride(write: OverrideWrite): Promise<WriteResult> {
    const keys = [this.keys.flags, this.keys.meta, this.keys.overrides, this.keys.audit];
    const args = [
      write.expectedRevision,
      this.keys.changes,
      JSON.stringify(write.audit),
      JSON.stringify(changeMessage('', [write.flag])),
      write.flag,
      write.override ? JSON.stringify(write.override) : '',
    ];
    return this.script(OVERRIDE_SCRIPT, keys, args);
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

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async script(script: string, keys: string[], args: Array<string | number>): Promise<WriteResult> {
    const sha = sha1(script);
    const call = async () => {
      try {
        // One array argument (ioredis flattens it): spreading 200,000 values into a call overflows the stack.
        return (await this.redis.evalsha(sha, keys.length, keys.concat(args.map(String)))) as [number, number];
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return (await this.redis.eval(script, keys.length, keys.concat(args.map(String)))) as [number, number];
      }
    };
    const [applied, revision] = await this.run(call);
    return applied === 1 ? { status: 'applied', revision } : { status: 'conflict', liveRevision: revision };
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw unavailable(this.label, error as Error);
    }
  }
}

/** A CLI run fails fast and says why: no reconnects, no offline queue. (The SDK is the one that reconnects.) */
function createClient(endpoint: RedisEndpoint, timeout: number): Redis | Cluster {
  const common = {
    lazyConnect: true,
    connectTimeout: timeout,
    commandTimeout: 120_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
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
      clusterRetryStrategy: () => null,
      redisOptions: { ...common, ...auth },
    });
  }
  return new Redis({
    ...common,
    ...auth,
    sentinels: endpoint.sentinels,
    name: endpoint.name,
    db: endpoint.db,
    sentinelRetryStrategy: () => null,
    ...(endpoint.tls ? { enableTLSForSentinelMode: true } : {}),
  });
}

/** Past this many keys a change message says "all" (changed: null): readers reload the whole snapshot anyway. */
export const CHANGE_MESSAGE_MAX_KEYS = 1000;

function changeMessage(commit: string, changed: string[]) {
  return changed.length > CHANGE_MESSAGE_MAX_KEYS ? { commit, changed: null, count: changed.length } : { commit, changed };
}

function parseMeta(hash: Record<string, string>): StoreMeta | null {
  if (hash.revision === undefined) return null;
  return {
    revision: Number(hash.revision) || 0,
    commit: hash.commit ?? '',
    syncedAt: hash.syncedAt ?? '',
    checksum: hash.checksum ?? '',
    format: Number(hash.format) || 0,
  };
}

/** Redis errors as messages that name the store by its redacted label and say what to do. */
function unavailable(label: string, error: Error | undefined): StoreUnavailable {
  if (error instanceof StoreUnavailable) return error;
  // A Cluster that reached no node says "Failed to refresh slots cache"; the node's own error says why.
  const nodeError = (error as { lastNodeError?: Error } | undefined)?.lastNodeError;
  if (nodeError) return unavailable(label, nodeError);
  const message = String(error?.message ?? error ?? 'unknown error');
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return new StoreUnavailable(
      `Redis at ${label} refused the credentials (${message.split(' ')[0]}).`,
      'Check the user name and password in the Redis URL (or the variable that holds it).',
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
  if (/timed? ?out|ETIMEDOUT/i.test(`${code} ${message}`)) return 'timed out';
  if (/ECONNRESET|Connection is closed/i.test(message)) return 'the connection was closed';
  return message.split('\n')[0] ?? 'network error';
}
