import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { startServe } from '../helpers/serve.js';
import { eventually as waitFor } from '../helpers/wait.js';

const KEY = 'prod-7f3c9a1e5b2d4c6f8a0b';

describe('flagops serve on Redis', () => {
  let server: RedisServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps serving the last known good while Redis is down (readyz: stale), is fresh when it is back, and takes a kill and an unkill at once', async () => {
    server = await startRedis();
    const url = `redis://127.0.0.1:${server.port}`;
    const repo = exampleProject();
    const env = { FLAGOPS_NOW: '2026-11-27' };
    expect(flagops(['sync', '--env', 'production', '--redis', url], repo.root, { env }).code).toBe(0);
    const served = await startServe(repo.root, ['--env', 'production', '--redis', url], { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'off' });
    const evaluate = async (key: string) => {
      const response = await fetch(`${served.url}/ofrep/v1/evaluate/flags/${key}`, {
        method: 'POST',
        headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ context: { targetingKey: 'u-77' } }),
      });
      return { status: response.status, body: (await response.json()) as { value: unknown; reason: string; metadata: { revision: number } } };
    };
    const readyz = async () => (await (await fetch(`${served.url}/readyz`)).json()) as { ready: boolean; environments: { production: { state: string; revision: number } } };
    try {
      expect(await waitFor(async () => (await readyz()).ready, 10_000)).toBe(true);
      expect((await evaluate('payments-enabled')).body).toMatchObject({ value: true, reason: 'STATIC', metadata: { revision: 1 } });
      // A kill switch reaches the server through the change message, without a request reading Redis.
      expect(flagops(['kill', 'payments-enabled', '--env', 'production', '--redis', url, '--reason', 'incident 42'], repo.root, { env }).code).toBe(0);
      expect(await waitFor(async () => (await evaluate('payments-enabled')).body.value === false, 5_000)).toBe(true);
      // new-checkout requires payments-enabled: the kill takes it down too.
      expect((await evaluate('new-checkout')).body).toMatchObject({ value: false, reason: 'PREREQUISITE_FAILED' });

      const redis = new Redis({ port: server.port, lazyConnect: true });
      await redis.connect();
      await redis.save();
      redis.disconnect();
      await server.kill();
      expect(await waitFor(async () => (await readyz()).environments.production.state === 'stale', 15_000)).toBe(true);
      expect((await readyz()).ready).toBe(true);
      expect(await evaluate('payments-enabled')).toMatchObject({ status: 200, body: { value: false, reason: 'STALE' } });
      expect((await (await fetch(`${served.url}/metrics`)).text())).toContain('flagops_serve_store_state{environment="production",state="stale"} 1');

      // Away a while: the revision served stays as old as it is.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await server.restart();
      expect(await waitFor(async () => (await readyz()).environments.production.state === 'ready', 15_000)).toBe(true);
      // Back at the same revision: the age is still that of the revision, not of the reconnection.
      const age = Number(/flagops_serve_snapshot_age_seconds\{environment="production"\} ([\d.]+)/.exec(await (await fetch(`${served.url}/metrics`)).text())?.[1]);
      expect(age).toBeGreaterThanOrEqual(1.5);
      expect(((await readyz()).environments.production as unknown as { ageSeconds: number }).ageSeconds).toBeGreaterThanOrEqual(1.5);
      expect((await evaluate('payments-enabled')).body).toMatchObject({ value: false, reason: 'DISABLED' });
      expect(flagops(['unkill', 'payments-enabled', '--env', 'production', '--redis', url], repo.root, { env }).code).toBe(0);
      expect(await waitFor(async () => (await evaluate('payments-enabled')).body.value === true, 5_000)).toBe(true);
      expect(served.output()).not.toContain(KEY);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 60_000);
});
