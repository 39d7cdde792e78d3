import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from '../../src/index.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis-server.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { until } from '../helpers/wait.js';

let redis: RedisServer;
let prefixes = 0;
const clients: FlagClient[] = [];
const writers: StoreWriter[] = [];
const dir = mkdtempSync(join(tmpdir(), 'flagops-sdk-'));

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const w of writers.splice(0)) await w.close();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(options: Parameters<typeof createFlagClient>[0] = {}) {
  const prefix = `sdk${++prefixes}:production`;
  const writer = await StoreWriter.redis(redis.url, prefix);
  writers.push(writer);
  const make = (more: Parameters<typeof createFlagClient>[0] = {}) => {
    const client = createFlagClient({ url: redis.url, prefix, pollIntervalMs: 200, timeoutMs: 2000, ...options, ...more });
    clients.push(client);
    return client;
  };
  return { prefix, writer, make };
}

describe('the flag client on Redis', () => {
  it('loads a snapshot, evaluates from memory and applies a sync as soon as its message arrives', async () => {
    const { writer, make } = await setup();
    await writer.sync([compiled('checkout'), compiled('search', { percentage: 50, variant: 'on', stickiness: 'userId' })]);
    const client = make();
    await client.ready();
    expect(client.state).toBe('ready');
    expect(client.isEnabled('checkout')).toBe(true);
    expect(client.evaluate('checkout', {}, false)).toEqual({ value: true, variant: 'on', reason: 'STATIC' });
    expect(client.evaluate('search', { userId: 'u1' }).reason).toBe('SPLIT');
    expect(client.evaluate('missing', {}, 'd')).toMatchObject({ value: 'd', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });

    const changes: Array<{ revision: number; changed: string[] }> = [];
    client.on('changed', (event) => changes.push(event));
    const revision = await writer.sync([{ ...compiled('checkout'), enabled: false }, compiled('search', { percentage: 50, variant: 'on', stickiness: 'userId' })]);
    await until(() => client.revision === revision);
    expect(client.isEnabled('checkout', {}, true)).toBe(false);
    expect(changes).toEqual([{ revision, commit: 'c0ffee', changed: ['checkout'] }]);
  });

  it('works on an ioredis client of the application, and leaves it open on close', async () => {
    const { prefix, writer } = await setup();
    await writer.sync([compiled('shared')]);
    const own = new Redis(redis.port, '127.0.0.1');
    try {
      const client = createFlagClient({ redis: own, prefix });
      await client.ready();
      expect(client.isEnabled('shared')).toBe(true);
      const revision = await writer.sync([{ ...compiled('shared'), enabled: false }]);
      await until(() => client.revision === revision);
      const listeners = own.listenerCount('ready') + own.listenerCount('close') + own.listenerCount('error');
      await client.close();
      expect(await own.ping()).toBe('PONG');
      expect(own.listenerCount('ready') + own.listenerCount('close') + own.listenerCount('error')).toBe(listeners - 3);
    } finally {
      own.disconnect();
    }
  });

  it('honours a kill override at once and drops it on unkill', async () => {
    const { writer, make } = await setup();
    await writer.sync([compiled('payments')]);
    const client = make();
    await client.ready();
    const killed = await writer.override('payments', 'off');
    await until(() => client.revision === killed);
    expect(client.evaluate('payments', { userId: 'u' }, true)).toEqual({ value: false, variant: 'off', reason: 'DISABLED', override: true });
    const restored = await writer.override('payments', undefined);
    await until(() => client.revision === restored);
    expect(client.evaluate('payments', {}, false)).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('notices a change whose message was lost by polling _meta', async () => {
    const { prefix, writer, make } = await setup();
    await writer.sync([compiled('quiet')]);
    const client = make({ pollIntervalMs: 100 });
    await client.ready();
    const raw = redis.client();
    // What a sync does, minus the PUBLISH: as if the message was lost during a reconnect.
    await raw.multi().hset(`${prefix}:_flags`, 'quiet', JSON.stringify({ ...compiled('quiet'), enabled: false })).hincrby(`${prefix}:_meta`, 'revision', 1).exec();
    await until(() => !client.isEnabled('quiet'), 3000);
    expect(client.revision).toBe(2);
  });

  it('applies a change message by reading only its flags, and reads everything after a gap', async () => {
    const { prefix, writer, make } = await setup();
    await writer.sync([compiled('a'), compiled('b'), compiled('c')]);
    const client = make({ pollIntervalMs: 60_000 });
    await client.ready();
    const monitor = await redis.client().monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(args.join(' ').toLowerCase()));
    const removed = await writer.sync([compiled('a'), { ...compiled('b'), enabled: false }]);
    await until(() => client.revision === removed);
    monitor.disconnect();
    expect(commands).toContain(`hmget ${prefix}:_flags b c`);
    expect(commands.filter((c) => c === `hgetall ${prefix}:_flags`)).toHaveLength(1); // the writer's own read before its sync
    expect(client.keys().sort()).toEqual(['a', 'b']);
    expect(client.isEnabled('b', {}, true)).toBe(false);
    expect(client.evaluate('c')).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });

    // A write whose message is lost, then a sync whose message names only its own flag: the gap
    // in revisions makes the client read the whole state, so the lost change arrives too.
    const raw = redis.client();
    await raw.multi().hset(`${prefix}:_flags`, 'a', JSON.stringify({ ...compiled('a'), enabled: false })).hincrby(`${prefix}:_meta`, 'revision', 1).exec();
    const next = await writer.sync([{ ...compiled('a'), enabled: false }, compiled('b')]);
    await until(() => client.revision === next);
    expect(client.isEnabled('a', {}, true)).toBe(false);
    expect(client.isEnabled('b')).toBe(true);
  });

  it('follows syncs by polling alone with subscribe: false (no pub/sub rights needed)', async () => {
    const { writer, make } = await setup();
    await writer.sync([compiled('polled')]);
    const client = make({ subscribe: false, pollIntervalMs: 50 });
    await client.ready();
    const revision = await writer.sync([{ ...compiled('polled'), enabled: false }]);
    await until(() => client.revision === revision, 3000);
    expect(client.isEnabled('polled', {}, true)).toBe(false);
  });

  it('serves the default with PARSE_ERROR for a flag written by hand that cannot be read, and the rest as before', async () => {
    const { prefix, writer, make } = await setup();
    await writer.sync([compiled('good'), compiled('other')]);
    const client = make();
    await client.ready();
    const raw = redis.client();
    await raw.hset(`${prefix}:_flags`, 'broken', '{"variants": {"on": true}, "offVariant": "nope"');
    await raw.hset(`${prefix}:_flags`, 'other', JSON.stringify({ ...compiled('other'), serve: { variant: 'maybe' } }));
    await raw.hincrby(`${prefix}:_meta`, 'revision', 1);
    await raw.publish(`${prefix}:_changes`, JSON.stringify({ revision: 2, changed: ['broken', 'other'] }));
    await until(() => client.revision === 2);
    expect(client.evaluate('broken', {}, false)).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(client.evaluate('other', {}, false)).toMatchObject({ value: false, errorCode: 'PARSE_ERROR', message: expect.stringContaining('"maybe"') });
    expect(client.isEnabled('broken', {}, true)).toBe(true);
    expect(client.evaluate('good', {}, false)).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('never serves a snapshot that mixes two syncs, through 1,000 syncs in quick succession', async () => {
    const { writer, make } = await setup();
    const keys = Array.from({ length: 20 }, (_, i) => `flag-${i}`);
    const at = (revision: number) =>
      keys.map((key) => compiled(key, { variant: 'v' }, { variants: { v: revision, off: -1 }, offVariant: 'off' }));
    await writer.sync(at(1));
    const client = make();
    await client.ready();
    let running = true;
    let checks = 0;
    const seen = new Set<number>();
    const mixed: string[] = [];
    const evaluate = () => {
      if (!running) return;
      const values = keys.map((key) => client.getValue<number>(key, { userId: 'u' }, 0));
      seen.add(values[0]!);
      if (new Set(values).size !== 1) mixed.push(values.join(','));
      checks++;
      setImmediate(evaluate);
    };
    evaluate();
    for (let i = 2; i <= 1001; i++) await writer.sync(at(i));
    await until(() => client.getValue<number>('flag-0', {}, 0) === 1001);
    running = false;
    expect(mixed).toEqual([]);
    expect(client.revision).toBe(1001);
    expect(seen.size).toBeGreaterThan(2);
    expect(checks).toBeGreaterThan(100);
  });

  it('counts usage per flag and variant and flushes it to <prefix>:_usage', async () => {
    const { prefix, writer, make } = await setup();
    await writer.sync([compiled('used'), compiled('split', { percentage: 50, variant: 'on', stickiness: 'userId' }), compiled('idle')]);
    const client = make({ usage: { flushIntervalMs: 60_000 } });
    await client.ready();
    for (let i = 0; i < 1000; i++) client.isEnabled('split', { userId: `u${i}` });
    client.isEnabled('used');
    client.getValue('used', {}, false);
    const before = Date.now();
    await client.flushUsage();
    client.evaluate('used');
    await client.close();
    const usage = await redis.client().hgetall(`${prefix}:_usage`);
    expect(Number(usage['count:split:on']) + Number(usage['count:split:off'])).toBe(1000);
    expect(Number(usage['count:split:on'])).toBeGreaterThan(400);
    expect(usage['count:used:on']).toBe('3');
    expect(Number(usage['last:used'])).toBeGreaterThanOrEqual(before);
    expect(usage['last:idle']).toBeUndefined();
  });
});

describe('when Redis goes away', () => {
  it('keeps serving the last known good values (reason STALE) and recovers within 2 s of Redis returning', async () => {
    const own = await startRedis();
    try {
      const writer = await StoreWriter.redis(own.url, 'flagops:production');
      await writer.sync([compiled('a'), compiled('b', { percentage: 30, variant: 'on', stickiness: 'userId' })]);
      await writer.close();
      await own.client().save();
      const client = createFlagClient({ url: own.url, env: 'production', pollIntervalMs: 100, timeoutMs: 1000 });
      clients.push(client);
      await client.ready();
      const expected = Array.from({ length: 2000 }, (_, i) => client.isEnabled('b', { userId: `u${i}` }));
      const events: string[] = [];
      client.on('stale', () => events.push('stale'));
      client.on('ready', () => events.push('ready'));
      client.on('error', () => {});

      await own.kill();
      await until(() => client.state === 'stale');
      let thrown = 0;
      let wrong = 0;
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 2000; i++) {
          try {
            if (client.isEnabled('b', { userId: `u${i}` }) !== expected[i]) wrong++;
          } catch {
            thrown++;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect({ thrown, wrong }).toEqual({ thrown: 0, wrong: 0 });
      expect(client.evaluate('a', {}, false)).toMatchObject({ value: true, reason: 'STALE' });

      await own.restart();
      const back = Date.now();
      await until(() => client.state === 'ready', 2000);
      const recoveredMs = Date.now() - back;
      expect(recoveredMs).toBeLessThan(2000);
      expect(events).toEqual(['stale', 'ready']);
      expect(client.evaluate('a', {}, false)).toMatchObject({ value: true, reason: 'STATIC' });
    } finally {
      await own.stop();
    }
  });

  it('keeps the last known good flags when Redis comes back empty', async () => {
    const own = await startRedis();
    try {
      const writer = await StoreWriter.redis(own.url, 'flagops:production');
      await writer.sync([compiled('kept')]);
      await writer.close();
      const client = createFlagClient({ url: own.url, env: 'production', pollIntervalMs: 100 });
      clients.push(client);
      await client.ready();
      await own.restart();
      await until(() => client.state === 'stale', 3000);
      expect(client.evaluate('kept', {}, false)).toMatchObject({ value: true, reason: 'STALE' });
    } finally {
      await own.stop();
    }
  });

  it('starts with Redis down: defaults with PROVIDER_NOT_READY, or the bootstrap file, until Redis is up', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const cold = createFlagClient({ url, env: 'production', timeoutMs: 300 });
    clients.push(cold);
    const started = await cold.ready();
    expect(started.ready).toBe(false);
    expect(!started.ready && started.error.message).toMatch(/No flags could be loaded from redis:\/\/127\.0\.0\.1:\d+ \(prefix flagops:production\) within 300 ms/);
    expect(cold.isEnabled('a', {}, true)).toBe(true);
    expect(cold.evaluate('a', {}, false)).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' });

    const { writeStateFile } = await import('../../src/sdk/backup-file.js');
    const bootstrap = join(dir, 'bootstrap.json');
    writeStateFile(bootstrap, {
      meta: { revision: 4, commit: 'boot', syncedAt: '', format: 1 },
      flags: new Map([['a', JSON.stringify(compiled('a'))]]),
      overrides: new Map(),
    });
    const warm = createFlagClient({ url, env: 'production', timeoutMs: 300, bootstrap });
    clients.push(warm);
    expect(warm.evaluate('a', {}, false)).toMatchObject({ value: true, reason: 'STALE' });
    expect(await warm.ready()).toEqual({ ready: true, source: 'file', revision: 4 });
  });

  it('writes a backup of the last state and starts from it the next time', async () => {
    const { writer, make } = await setup();
    await writer.sync([compiled('backed')]);
    const backup = join(dir, 'backup.json');
    const first = make({ backup });
    await first.ready();
    await first.close();
    const port = await freePort();
    const next = createFlagClient({ url: `redis://127.0.0.1:${port}`, env: 'production', backup, timeoutMs: 200 });
    clients.push(next);
    await next.ready();
    expect(next.evaluate('backed', {}, false)).toMatchObject({ value: true, reason: 'STALE' });
  });

  it('names a refused password without printing it', async () => {
    const canary = 'canary-Sdk-Pa55-991';
    const secured = await startRedis(['--requirepass', 'the-real-one']);
    try {
      const errors: string[] = [];
      const client = createFlagClient({ url: `redis://:${canary}@127.0.0.1:${secured.port}`, env: 'production', timeoutMs: 500 });
      clients.push(client);
      client.on('error', (error) => errors.push(error.message));
      const result = await client.ready();
      const failure = result.ready ? undefined : result.error.message;
      expect(failure).toMatch(/refused the credentials/);
      expect(failure).not.toContain(canary);
      expect(errors.join('\n')).not.toContain(canary);
      expect(failure).toContain('redis://:***@127.0.0.1');
    } finally {
      await secured.stop();
    }
  });
});
