import type { Server } from 'node:http';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { createFlagClient, type FlagClient } from 'flagops';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/express/app.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { referencePosition as position } from '../helpers/bucket-reference.js';

let redis: RedisServer;
let writer: StoreWriter;
let flags: FlagClient;
let server: Server;
let base: string;

beforeAll(async () => {
  redis = await startRedis();
  writer = await StoreWriter.redis(redis.url, 'flagops:production');
  await writer.sync([
    compiled('payments-enabled', { variant: 'on' }, { type: 'kill-switch' }),
    compiled('new-checkout', { percentage: 0, variant: 'on', stickiness: 'userId' }, {
      rules: [{ name: 'testers', users: ['u-1042'], serve: { variant: 'on' } }],
    }),
    compiled('pricing-page-test', { split: [['control', 50], ['compact', 25], ['annual-first', 25]], stickiness: 'anonymousId' }, {
      type: 'experiment',
      variants: { control: 'classic', compact: 'compact-grid', 'annual-first': 'annual-first' },
      offVariant: 'control',
      rules: [{ name: 'existing-customers-see-control', when: [{ attribute: 'plan', op: 'not_in', values: ['free', 'trial'] }], serve: { variant: 'control' } }],
    }),
  ]);
  flags = createFlagClient({ url: redis.url, env: 'production', pollIntervalMs: 200 });
  const app = await createApp(flags);
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await OpenFeature.close();
  await flags?.close();
  await writer?.close();
  await redis?.stop();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the Express example over real HTTP', () => {
  it('evaluates with the user set once per request in the transaction context', async () => {
    expect(await get('/checkout', { 'x-user-id': 'u-1042' })).toEqual({ status: 200, body: { steps: ['one-page'], reason: 'TARGETING_MATCH', variant: 'on' } });
    expect(await get('/checkout', { 'x-user-id': 'u-9' })).toEqual({ status: 200, body: { steps: ['cart', 'address', 'payment'], reason: 'SPLIT', variant: 'off' } });
  });

  it('keeps concurrent requests apart', async () => {
    const users = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'u-1042' : `u-${i}`));
    const answers = await Promise.all(users.map((user) => get('/checkout', { 'x-user-id': user })));
    expect(answers.map((a) => a.body.steps)).toEqual(users.map((user) => (user === 'u-1042' ? ['one-page'] : ['cart', 'address', 'payment'])));
  });

  it('serves experiment variants by the stickiness attribute and rules by plan, with the rule in flag metadata', async () => {
    expect((await get('/pricing', { 'x-user-id': 'u-1', 'x-plan': 'pro' })).body).toEqual({
      layout: 'classic',
      variant: 'control',
      reason: 'TARGETING_MATCH',
      rule: 'existing-customers-see-control',
    });
    for (let i = 0; i < 30; i++) {
      const anonymousId = `anon-${i}`;
      const p = position('pricing-page-test', anonymousId);
      const expected = p < 50 ? 'control' : p < 75 ? 'compact' : 'annual-first';
      expect((await get('/pricing', { 'x-anonymous-id': anonymousId })).body).toMatchObject({ variant: expected, reason: 'SPLIT' });
    }
  });

  it('follows a kill switch within milliseconds, announced as CONFIGURATION_CHANGED', async () => {
    const changed = new Promise<string[]>((resolve) => {
      OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) =>
        resolve((details as { flagsChanged?: string[] } | undefined)?.flagsChanged ?? []),
      );
    });
    await writer.override('payments-enabled', 'off');
    expect(await changed).toEqual(['payments-enabled']);
    expect(await get('/checkout', { 'x-user-id': 'u-1042' })).toEqual({ status: 503, body: { steps: [], message: 'Payments are paused.' } });
    await writer.override('payments-enabled', undefined);
  });
});
