import { join } from 'node:path';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from '../../src/sdk/index.js';
import { flagops } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';
import { type Served, setServeSettings, startServe } from '../helpers/serve.js';
import { tmpProject, writeFile } from '../helpers/tmp.js';
import { eventually } from '../helpers/wait.js';

const PROD = 'prod-7f3c9a1e5b2d4c6f8a0b';
const STAGING = 'stag-1a2b3c4d5e6f7a8b9c0d';
const KEYS = { FLAGOPS_API_KEYS: `production=${PROD},staging=${STAGING}`, FLAGOPS_SERVE_LOG: 'on' };

describe('flagops serve (OFREP)', () => {
  const repo = exampleProject();
  setServeSettings(repo.root, { cors: { production: ['https://app.example.com'] }, limits: { bodyBytes: 4096, contextDepth: 3 } });
  repo.commit('serve settings');
  let served: Served;
  let sdk: FlagClient;

  beforeAll(async () => {
    const sync = flagops(['sync', '--all-envs'], repo.root, { env: { FLAGOPS_NOW: '2026-11-27' } });
    expect(sync.code, sync.stderr).toBe(0);
    served = await startServe(repo.root, [], KEYS);
    sdk = createFlagClient({ file: join(repo.root, '.flagops/store/production.json') });
    await sdk.ready();
  }, 60_000);

  afterAll(async () => {
    await sdk?.close();
    await served?.stop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = { 'X-API-Key': PROD }) =>
    fetch(`${served.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('answers the Node OFREP provider as the SDK does, for every example flag and 100 contexts', async () => {
    const provider = new OFREPProvider({ baseUrl: served.url, headers: [['X-API-Key', PROD]] });
    await OpenFeature.setProviderAndWait('ofrep-test', provider);
    const client = OpenFeature.getClient('ofrep-test');
    const plans = ['free', 'pro', 'enterprise'];
    let compared = 0;
    // 100 contexts here; npm run test:stress compares 10,000 over HTTP.
    for (let i = 0; i < 100; i++) {
      const context = { targetingKey: `u-${i}`, plan: plans[i % 3]!, groups: i % 7 === 0 ? ['employees'] : [], appVersion: `2.${i % 10}.0`, accountId: `acct-${i % 40}` };
      for (const key of sdk.keys()) {
        const expected = sdk.evaluate(key, { ...context, userId: context.targetingKey });
        const sample = expected.value;
        const details =
          typeof sample === 'boolean'
            ? await client.getBooleanDetails(key, !sample, context)
            : typeof sample === 'string'
              ? await client.getStringDetails(key, '', context)
              : typeof sample === 'number'
                ? await client.getNumberDetails(key, -1, context)
                : await client.getObjectDetails(key, {}, context);
        const got = { key, value: details.value, variant: details.variant, reason: details.reason };
        expect(got).toEqual({ key, value: sample, variant: expected.variant, reason: expected.reason });
        compared++;
      }
    }
    expect(compared).toBe(100 * 12);
    // A string flag asked for as a boolean: the provider refuses the value (OFREP leaves types to the client).
    const mismatch = await client.getBooleanDetails('search-backend', false, { targetingKey: 'u-1' });
    expect(mismatch).toMatchObject({ value: false, errorCode: 'TYPE_MISMATCH' });
    await OpenFeature.clearProviders();
  });

  it('answers a bulk evaluation with every flag and an ETag, and 304 while the answer is the same', async () => {
    const first = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u-1042' } }, { Authorization: `Bearer ${PROD}` });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const body = (await first.json()) as { flags: Array<{ key: string; value: unknown; variant: string; reason: string }> };
    expect(body.flags.map((f) => f.key)).toEqual([...sdk.keys()].sort());
    expect(body.flags.find((f) => f.key === 'new-checkout')).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    const again = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u-1042' } }, { Authorization: `Bearer ${PROD}`, 'If-None-Match': etag });
    expect(again.status).toBe(304);
    // The server now knows this context's tag: the next poll is answered without evaluating a flag.
    const evaluations = async () => {
      const text = await (await fetch(`${served.url}/metrics`)).text();
      return [...text.matchAll(/^flagops_serve_evaluations_total\{environment="production",[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    const counted = await evaluations();
    const polled = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u-1042' } }, { 'X-API-Key': PROD, 'If-None-Match': etag });
    expect(polled.status).toBe(304);
    expect(polled.headers.get('etag')).toBe(etag);
    expect(await evaluations()).toBe(counted);
    expect(counted).toBeGreaterThan(0);
    const other = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u-1' } }, { 'X-API-Key': PROD, 'If-None-Match': etag });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
    const staging = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u-1042' } }, { 'X-API-Key': STAGING });
    expect(((await staging.json()) as typeof body).flags.find((f) => f.key === 'holiday-banner')).toMatchObject({ value: true });
  });

  it.each([
    ['no key', {}, 401, /An API key is required/],
    ['a wrong key', { 'X-API-Key': 'not-a-key-of-this-server' }, 401, /not valid/],
    ['a bearer token that is no key', { Authorization: 'Bearer nope' }, 401, /not valid/],
    ['a key missing its last character', { 'X-API-Key': PROD.slice(0, -1) }, 401, /not valid/],
    ['a key with one character more', { 'X-API-Key': `${PROD}0` }, 401, /not valid/],
    ['a key of 300 characters that starts with the key', { 'X-API-Key': PROD.padEnd(300, '0') }, 401, /not valid/],
  ])('refuses %s with 401', async (_what, headers, status, message) => {
    const response = await post('/ofrep/v1/evaluate/flags/new-checkout', {}, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { errorDetails: string }).errorDetails).toMatch(message);
  });

  it('refuses what it cannot evaluate with OFREP\'s error shapes', async () => {
    const cases: Array<[string, unknown, number, Record<string, unknown>]> = [
      ['/ofrep/v1/evaluate/flags/nope', { context: {} }, 404, { key: 'nope', errorCode: 'FLAG_NOT_FOUND' }],
      ['/ofrep/v1/evaluate/flags/new-checkout', '{"context": {', 400, { key: 'new-checkout', errorCode: 'PARSE_ERROR' }],
      ['/ofrep/v1/evaluate/flags/new-checkout', { context: ['u-1'] }, 400, { key: 'new-checkout', errorCode: 'INVALID_CONTEXT', errorDetails: '"context" must be a JSON object of attributes.' }],
      ['/ofrep/v1/evaluate/flags/new-checkout', { context: { targetingKey: 42 } }, 400, { errorCode: 'INVALID_CONTEXT', errorDetails: '"targetingKey" must be a string.' }],
      ['/ofrep/v1/evaluate/flags/new-checkout', { context: { a: { b: { c: { d: 1 } } } } }, 400, { errorCode: 'INVALID_CONTEXT', errorDetails: 'The context is nested deeper than 3 levels.' }],
      ['/ofrep/v1/evaluate/flags/new-checkout', { context: { blob: 'x'.repeat(5000) } }, 413, { errorDetails: 'The request body is larger than 4096 bytes.' }],
      ['/ofrep/v1/evaluate/flags', { context: 'u-1' }, 400, { errorCode: 'INVALID_CONTEXT' }],
    ];
    for (const [path, body, status, shape] of cases) {
      const response = await post(path, body);
      expect(response.status, `${path} ${JSON.stringify(body).slice(0, 40)}`).toBe(status);
      expect(await response.json()).toMatchObject(shape);
    }
  });

  it('lets browsers of the allowed origins in, per environment', async () => {
    const preflight = await fetch(`${served.url}/ofrep/v1/evaluate/flags`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-api-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-API-Key');
    const stranger = await fetch(`${served.url}/ofrep/v1/evaluate/flags`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await post('/ofrep/v1/evaluate/flags', {}, { 'X-API-Key': PROD, Origin: 'https://app.example.com' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag');
    // Staging allows no browser at all; production not this origin.
    const otherEnv = await post('/ofrep/v1/evaluate/flags', {}, { 'X-API-Key': STAGING, Origin: 'https://app.example.com' });
    expect(otherEnv.status).toBe(403);
    const otherOrigin = await post('/ofrep/v1/evaluate/flags', {}, { 'X-API-Key': PROD, Origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(403);
    expect(await otherOrigin.json()).toEqual({ errorDetails: 'Origin https://evil.example may not call environment "production" (serve.cors in the configuration).' });
  });

  it('says it is ready with each environment\'s revision, counts in Prometheus metrics, and never logs a key', async () => {
    expect(await (await fetch(`${served.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${served.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, environments: { production: { state: 'ready', revision: 1 }, staging: { state: 'ready', revision: 1 } } });
    const metrics = await (await fetch(`${served.url}/metrics`)).text();
    expect(metrics).toMatch(/flagops_serve_evaluations_total\{environment="production",reason="TARGETING_MATCH"\} [1-9]/);
    expect(metrics).toMatch(/flagops_serve_requests_total\{route="\/ofrep\/v1\/evaluate\/flags\/:key",status="401"\} 6/);
    expect(metrics).toContain('flagops_serve_snapshot_revision{environment="production"} 1');
    expect(metrics).toContain('flagops_serve_store_state{environment="staging",state="ready"} 1');
    expect(metrics).toContain('flagops_serve_request_duration_seconds_bucket{le="0.0005",route="/ofrep/v1/evaluate/flags"}');
    expect(metrics).toContain('flagops_serve_request_duration_seconds_count{route="/healthz"} 1');
    // Refused before any handler ran: counted under the route all the same.
    expect(metrics).toMatch(/flagops_serve_requests_total\{route="\/ofrep\/v1\/evaluate\/flags\/:key",status="413"\} 1/);
    const nowhere = await fetch(`${served.url}/ofrep/v2/nope?x=1`);
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toEqual({ errorDetails: 'There is no GET /ofrep/v2/nope: see /ofrep/v1/.' });
    expect(await (await fetch(`${served.url}/metrics`)).text()).toContain('flagops_serve_requests_total{route="unknown",status="404"} 1');
    const logs = served.output();
    expect(logs).not.toContain(PROD);
    expect(logs).not.toContain(STAGING);
    // One line per request, in one shape, with every other line the server writes.
    // Whole lines only: the last one may still be on its way.
    const complete = (text: string) => text.slice(0, text.lastIndexOf('\n')).split('\n').filter(Boolean);
    const lines = complete(logs).map((line) => JSON.parse(line) as { level: unknown; time: unknown; msg: unknown });
    for (const line of lines) {
      expect(['info', 'warn', 'error']).toContain(line.level);
      expect(typeof line.time).toBe('number');
      expect(typeof line.msg).toBe('string');
    }
    // One request, one line: a path nothing else asks for is logged exactly once.
    const probe = `/probe-${Date.now()}`;
    expect((await fetch(`${served.url}${probe}`)).status).toBe(404);
    const parsed = () => complete(served.output()).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(await eventually(() => parsed().some((l) => l.url === probe), 5000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const mine = parsed().filter((l) => l.url === probe);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ level: 'info', msg: 'request', method: 'GET', route: 'unknown', status: 404 });
  });

  it('serves only the environments asked for: a key of another is refused with 403', async () => {
    const only = await startServe(repo.root, ['--env', 'production'], KEYS);
    try {
      const response = await fetch(`${only.url}/ofrep/v1/evaluate/flags/new-checkout`, { method: 'POST', headers: { 'X-API-Key': STAGING, 'Content-Type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ errorDetails: 'This key is for environment "staging", which this server does not serve.' });
    } finally {
      expect(await only.stop()).toBe(0);
    }
  });

  it('will not start without keys, with a short key or keys for an unknown environment, and never prints a key', () => {
    const none = flagops(['serve', '--port', '0'], repo.root);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('flagops serve needs API keys');
    const short = flagops(['serve', '--port', '0'], repo.root, { env: { FLAGOPS_API_KEYS: 'production=short-s3cret' } });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('the key of entry 1 (production) has fewer than 16 characters');
    expect(short.stderr).not.toContain('short-s3cret');
    writeFile(repo.root, 'keys.txt', `# rotated 2026-11-01\nproduction=${PROD}\nqa=${STAGING}\n`);
    const unknown = flagops(['serve', '--port', '0', '--api-keys-file', 'keys.txt'], repo.root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('keys.txt: entry 2 does not start with a served environment and "=": each entry is <environment>=<key>, the environment one of staging, production.');
    expect(unknown.stderr).not.toContain(STAGING);
    const misspelt = tmpProject({ 'flagops.config.yaml': 'environments:\n  production: {}\nserve:\n  cors:\n    prodution: [https://app.example.com]\n' });
    const cors = flagops(['serve', '--port', '0'], misspelt, { env: KEYS });
    expect(cors.code).toBe(2);
    expect(cors.stderr).toContain('flagops.config.yaml:5:5 serve.cors names environment "prodution", which is not under environments.');
    expect(cors.stderr).toContain('Use one of production, or declare "prodution" under environments.');
    expect(cors.stderr).not.toMatch(/\n\s+at /);
  });
});
