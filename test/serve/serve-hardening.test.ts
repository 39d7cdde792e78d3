import { connect } from 'node:net';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis-server.js';
import { type Served, setServeSettings, startServe } from '../helpers/serve.js';
import { validFlag, writeFile } from '../helpers/tmp.js';
import { eventually } from '../helpers/wait.js';

/** A key with # in it, as FLAGOPS_API_KEYS gives it: taken whole. */
const KEY = 'prod#7f3c9a1e5b2d#4c6f8a0b';
const LONG_KEY = `checkout-${'x'.repeat(111)}`;

describe('flagops serve against what clients send', () => {
  const repo = exampleProject();
  setServeSettings(repo.root, { limits: { headersTimeoutMs: 400, requestTimeoutMs: 800 } });
  writeFile(repo.root, `flags/${LONG_KEY}.yaml`, validFlag.replace('staging: { enabled: true, serve: on }', 'production: { enabled: true, serve: on }'));
  repo.commit('a long key, short timeouts');
  let served: Served;
  beforeAll(async () => {
    const sync = flagops(['sync', '--env', 'production'], repo.root, { env: { FLAGOPS_NOW: '2026-11-27' } });
    expect(sync.code, sync.stderr).toBe(0);
    served = await startServe(repo.root, ['--env', 'production'], { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'on' });
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
  });

  const post = (path: string, body: string, key = KEY) =>
    fetch(`${served.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-API-Key': key }, body });
  const metrics = async () => (await fetch(`${served.url}/metrics`)).text();

  it(`answers a key of ${LONG_KEY.length} characters, and OpenFeature's OFREP provider gets its value`, async () => {
    expect(LONG_KEY.length).toBe(120);
    const response = await post(`/ofrep/v1/evaluate/flags/${LONG_KEY}`, '{"context":{"targetingKey":"u-1"}}');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ key: LONG_KEY, value: true, reason: 'STATIC' });
    const provider = new OFREPProvider({ baseUrl: served.url, headers: [['X-API-Key', KEY]] });
    await OpenFeature.setProviderAndWait('long-keys', provider);
    const details = await OpenFeature.getClient('long-keys').getBooleanDetails(LONG_KEY, false, { targetingKey: 'u-1' });
    expect(details).toMatchObject({ value: true, reason: 'STATIC' });
    expect(details.errorCode).toBeUndefined();
  });

  it('answers FLAG_NOT_FOUND for any longer key, and counts what the framework refuses before a route', async () => {
    for (const length of [129, 300, 5000]) {
      const response = await post(`/ofrep/v1/evaluate/flags/${'k'.repeat(length)}`, '{}');
      expect(response.status, String(length)).toBe(404);
      expect(((await response.json()) as { errorCode: string }).errorCode).toBe('FLAG_NOT_FOUND');
    }
    const bad = await post('/ofrep/v1/evaluate/flags/%E0%A4%A', '{}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errorCode: 'GENERAL', errorDetails: 'The URL is not valid: it cannot be decoded.' });
    const text = await metrics();
    expect(text).toContain('flagops_serve_requests_total{route="/ofrep/v1/evaluate/flags/:key",status="404"} 3');
    expect(text).toContain('flagops_serve_requests_total{route="unknown",status="400"} 1');
  });

  it('takes an API key with # whole: the key opens its environment, its part before # does not', async () => {
    expect((await post('/ofrep/v1/evaluate/flags/new-checkout', '{}')).status).toBe(200);
    expect((await post('/ofrep/v1/evaluate/flags/new-checkout', '{}', 'prod')).status).toBe(401);
    expect(served.output()).not.toContain(KEY);
  });

  it('says what is wrong with a body that would poison prototypes', async () => {
    const response = await post('/ofrep/v1/evaluate/flags/new-checkout', '{"context":{"__proto__":{"admin":true}}}');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errorCode: string; errorDetails: string };
    expect(body.errorCode).toBe('INVALID_CONTEXT');
    expect(body.errorDetails).toContain('"__proto__"');
    expect(body.errorDetails).toContain('prototype poisoning');
    expect(body.errorDetails).not.toContain('not valid JSON');
  });

  /** A raw connection that sends `first` and then nothing: resolves with what it received once the server closes it. */
  const stall = (first: string) =>
    new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(served.url);
      const socket = connect(Number(port), hostname, () => socket.write(first));
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      // Far beyond the configured timeouts: a server without them keeps the connection open.
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the server kept a stalled connection open for 8 s'));
      }, 8000);
    });

  it('closes a connection whose headers do not come in time (slowloris), and answers 408 to a body that does not', async () => {
    expect(await stall('POST /ofrep/v1/evaluate/flags HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ')).not.toContain('200 OK');
    const slowBody = await stall(`POST /ofrep/v1/evaluate/flags HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"con`);
    expect(slowBody).toMatch(/^HTTP\/1\.1 408/);
    // The server answers others meanwhile and after.
    expect((await fetch(`${served.url}/healthz`)).status).toBe(200);
  });
});

describe('flagops serve while its store cannot be read', () => {
  let redis: RedisServer | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('says why in its log (the password never) and in /readyz, and keeps trying', async () => {
    const secret = 'c0rrect-h0rse-battery';
    redis = await startRedis(['--requirepass', secret]);
    const repo = exampleProject();
    const keys = { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'on' };
    const wrong = `redis://:wr0ng-${secret}@127.0.0.1:${redis.port}`;
    const refused = await startServe(repo.root, ['--env', 'production', '--redis', wrong], keys);
    try {
      expect(await eventually(() => refused.output().includes('cannot read the flags yet: retrying'), 10_000)).toBe(true);
      const line = refused.output().split('\n').find((l) => l.includes('cannot read the flags yet'))!;
      expect(JSON.parse(line)).toMatchObject({ level: 'error', environment: 'production', from: `Redis redis://:***@127.0.0.1:${redis.port} (flagops:production)` });
      expect(line).toContain('refused the credentials');
      const ready = await fetch(`${refused.url}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { environments: { production: { state: string; problem: string } } };
      expect(body.environments.production.state).toBe('starting');
      expect(body.environments.production.problem).toContain('refused the credentials');
      expect(refused.output() + JSON.stringify(body)).not.toContain(secret);
    } finally {
      expect(await refused.stop()).toBe(0);
    }
    // Nobody at that port: the same, with the reason; and ready once the flags are synced there.
    const port = await freePort();
    const away = await startServe(repo.root, ['--env', 'production', '--redis', `redis://127.0.0.1:${port}`], keys);
    try {
      expect(await eventually(() => /cannot read the flags yet: retrying.*Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ .*connection refused/.test(away.output()), 10_000)).toBe(true);
      expect((await fetch(`${away.url}/readyz`)).status).toBe(503);
    } finally {
      expect(await away.stop()).toBe(0);
    }
  }, 60_000);
});
