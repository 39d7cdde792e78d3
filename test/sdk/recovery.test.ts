import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from '../../src/index.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { startStallProxy } from '../helpers/stall-proxy.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { until } from '../helpers/wait.js';

let redis: RedisServer;
let prefixes = 0;
const clients: FlagClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});
afterAll(async () => {
  await redis?.stop();
});

/** One synced environment; the writer is closed again so only the client talks to Redis. */
async function synced(): Promise<string> {
  const prefix = `rec${++prefixes}:production`;
  const writer = await StoreWriter.redis(redis.url, prefix);
  await writer.sync([compiled('checkout')]);
  await writer.close();
  return prefix;
}

function watch(client: FlagClient) {
  const events: string[] = [];
  client.on('ready', () => events.push('ready'));
  client.on('stale', () => events.push('stale'));
  client.on('error', () => {});
  return events;
}

describe('a client whose Redis hangs without closing the connection', () => {
  it('goes stale while the server is stopped (SIGSTOP) and is ready again once it runs (SIGCONT), with no sync in between', async () => {
    const prefix = await synced();
    const client = createFlagClient({ url: redis.url, prefix, pollIntervalMs: 100, timeoutMs: 300 });
    clients.push(client);
    const events = watch(client);
    await client.ready();
    const revision = client.revision;
    process.kill(redis.process.pid!, 'SIGSTOP');
    try {
      await until(() => client.state === 'stale', 5000);
      expect(client.evaluate('checkout', {}, false)).toMatchObject({ value: true, reason: 'STALE' });
    } finally {
      process.kill(redis.process.pid!, 'SIGCONT');
    }
    await until(() => client.state === 'ready', 5000);
    expect(client.revision).toBe(revision);
    expect(client.evaluate('checkout', {}, false)).toEqual({ value: true, variant: 'on', reason: 'STATIC' });
    expect(events).toEqual(['ready', 'stale', 'ready']);
  });

  it('recovers the same way behind a proxy that stalls every byte but keeps the sockets open', async () => {
    const prefix = await synced();
    const proxy = await startStallProxy(redis.port);
    try {
      const client = createFlagClient({ url: proxy.url, prefix, pollIntervalMs: 100, timeoutMs: 300 });
      clients.push(client);
      const events = watch(client);
      await client.ready();
      proxy.stall();
      await until(() => client.state === 'stale', 5000);
      proxy.resume();
      await until(() => client.state === 'ready', 5000);
      expect(client.evaluate('checkout', {}, false).reason).toBe('STATIC');
      expect(events).toEqual(['ready', 'stale', 'ready']);

      // And a sync that happened while it hung is picked up once it is back.
      proxy.stall();
      await until(() => client.state === 'stale', 5000);
      const writer = await StoreWriter.redis(redis.url, prefix);
      const next = await writer.sync([{ ...compiled('checkout'), enabled: false }]);
      await writer.close();
      proxy.resume();
      await until(() => client.state === 'ready' && client.revision === next, 5000);
      expect(client.isEnabled('checkout', {}, true)).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});

describe('a healthy start', () => {
  it('emits no error event, started one after another or many at once', async () => {
    const prefix = await synced();
    const errors: string[] = [];
    const start = async () => {
      const client = createFlagClient({ url: redis.url, prefix, timeoutMs: 5000 });
      client.on('error', (error) => errors.push(error.message));
      await client.ready();
      expect(client.isEnabled('checkout')).toBe(true);
      await client.close();
    };
    for (let i = 0; i < 40; i++) await start();
    await Promise.all(Array.from({ length: 100 }, start));
    expect(errors).toEqual([]);
  });
});

describe('a store that restarts empty and is synced again', () => {
  it('serves the flags again and says which kill switches the reset took with it', async () => {
    const server = await startRedis();
    try {
      const writer = await StoreWriter.redis(server.url, 'flagops:production');
      await writer.sync([compiled('checkout'), compiled('search')]);
      await writer.override('checkout', 'off');
      await writer.close();
      const client = createFlagClient({ url: server.url, env: 'production', pollIntervalMs: 100, timeoutMs: 500 });
      clients.push(client);
      const errors: string[] = [];
      client.on('error', (error) => errors.push(error.message));
      await client.ready();
      expect(client.evaluate('checkout', {}, true)).toMatchObject({ value: false, override: true });

      await server.restart(); // no SAVE: it comes back empty
      await until(() => client.state === 'stale', 5000);
      expect(client.isEnabled('checkout', {}, true)).toBe(false);
      const again = await StoreWriter.redis(server.url, 'flagops:production');
      await again.sync([compiled('checkout'), compiled('search')]);
      await again.close();
      await until(() => client.state === 'ready' && client.revision === 1, 5000);
      expect(client.isEnabled('checkout')).toBe(true);
      expect(errors.filter((m) => /was reset/.test(m))).toEqual([
        `${server.url} (prefix flagops:production) was reset (revision 2 → 1); the kill switches it held are gone, so these flags serve their flag files again: checkout (was off).`,
      ]);
    } finally {
      await server.stop();
    }
  });
});

describe('a client closed while its pub/sub connection resubscribes', () => {
  it('leaves no rejected promise unhandled: the one subscription in flight is its own, and handled', async () => {
    const server = await startRedis();
    const proxy = await startStallProxy(server.port);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    let subscriber: Redis | undefined;
    // The application's own client: the source duplicates it for pub/sub, which lets the test see that connection.
    class AppRedis extends Redis {
      override duplicate(override?: Partial<RedisOptions>): Redis {
        const copy = super.duplicate(override);
        subscriber ??= copy;
        return copy;
      }
    }
    const app = new AppRedis(proxy.port, '127.0.0.1', {
      lazyConnect: true,
      // No hand-shake command either: the connection is ready as soon as it connects, with nothing answered.
      enableReadyCheck: false,
      disableClientInfo: true,
      protocol: 2,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    app.on('error', () => {});
    try {
      const writer = await StoreWriter.redis(server.url, 'flagops:production');
      await writer.sync([compiled('checkout')]);
      await writer.close();
      const client = createFlagClient({ redis: app, env: 'production', pollIntervalMs: 100, timeoutMs: 500 });
      client.on('error', () => {});
      await client.ready();
      await until(() => subscriber?.status === 'ready', 5000);
      // The connections drop; they come back through a proxy that holds every byte, so SUBSCRIBE gets no reply.
      await server.kill();
      await until(() => subscriber?.status !== 'ready', 5000);
      proxy.stall();
      await server.restart();
      await until(() => subscriber?.status === 'ready', 5000);
      await client.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      app.disconnect();
      await proxy.close();
      await server.stop();
    }
  });
});
