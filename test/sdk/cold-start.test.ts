import { afterAll, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from '../../src/index.js';
import { freePort, type RedisServer, startRedisOn } from '../helpers/redis-server.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { until } from '../helpers/wait.js';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('a service that starts before Redis', () => {
  it('serves defaults, then the store as soon as Redis is up, without a restart', async () => {
    const port = await freePort();
    const client: FlagClient = createFlagClient({ url: `redis://127.0.0.1:${port}`, env: 'production', timeoutMs: 300, pollIntervalMs: 100 });
    cleanup.push(() => client.close());
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.message));
    const started = await client.ready();
    expect(started).toMatchObject({ ready: false, revision: 0 });
    expect(!started.ready && started.error.message).toMatch(/within 300 ms: Cannot reach Redis/);
    expect(client.evaluate('late', {}, false)).toMatchObject({ value: false, errorCode: 'PROVIDER_NOT_READY' });

    const redis: RedisServer = await startRedisOn(port);
    cleanup.push(() => redis.stop());
    const writer = await StoreWriter.redis(redis.url, 'flagops:production');
    cleanup.push(() => writer.close());
    await writer.sync([compiled('late')]);
    // It may load the still-empty store first; the sync's change message follows.
    await until(() => client.state === 'ready' && client.revision === 1, 5000);
    expect(client.evaluate('late', {}, false)).toMatchObject({ value: true, reason: 'STATIC' });
    expect(errors).toHaveLength(1);
    await client.ready();
  });
});
