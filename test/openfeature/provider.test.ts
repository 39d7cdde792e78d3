import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/file-store.js';
import { createFlagClient } from '../../src/index.js';
import { FlagopsProvider } from '../../src/openfeature/index.js';
import { freePort, startRedis } from '../helpers/redis-server.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { until } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'flagops-of-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await OpenFeature.close();
});

let files = 0;
async function fileWithFlags() {
  const path = join(dir, `store-${++files}.json`);
  const writer = StoreWriter.of(new FileStore(path));
  await writer.sync([
    compiled('bool'),
    compiled('text', { variant: 'b' }, { variants: { a: 'alpha', b: 'beta' }, offVariant: 'a', expires: '2026-12-31' }),
    compiled('num', { variant: 'hi' }, { variants: { lo: 1, hi: 100 }, offVariant: 'lo' }),
    compiled('obj', { variant: 'v2' }, { variants: { v1: { limit: 10 }, v2: { limit: 50, burst: true } }, offVariant: 'v1' }),
    compiled('pct', { percentage: 50, variant: 'on', stickiness: 'userId' }, { rules: [{ name: 'staff', groups: ['employees'], serve: { variant: 'on' } }] }),
    compiled('dep', { variant: 'on' }, { requires: [{ flag: 'text', variant: 'a' }] }),
  ]);
  return { path, writer };
}

describe('FlagopsProvider', () => {
  it('resolves boolean, string, number and object flags with variants, reasons and metadata', async () => {
    const { path } = await fileWithFlags();
    await OpenFeature.setProviderAndWait(new FlagopsProvider({ file: path }));
    const client = OpenFeature.getClient();
    expect(await client.getBooleanDetails('bool', false)).toMatchObject({ value: true, variant: 'on', reason: 'STATIC', flagMetadata: { revision: 1, type: 'release' } });
    expect(await client.getStringDetails('text', 'x')).toMatchObject({ value: 'beta', variant: 'b', flagMetadata: { expires: '2026-12-31' } });
    expect(await client.getNumberValue('num', 0)).toBe(100);
    expect(await client.getObjectValue('obj', {})).toEqual({ limit: 50, burst: true });
    expect(await client.getBooleanDetails('pct', false, { targetingKey: 'u1', groups: ['employees'] })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      flagMetadata: { rule: 'staff' },
    });
    expect(await client.getBooleanDetails('dep', true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'PREREQUISITE_FAILED',
      flagMetadata: { prerequisite: 'text' },
    });
    const split = await client.getBooleanDetails('pct', false, { targetingKey: 'u1' });
    expect(split.reason).toBe('SPLIT');
    const direct = createFlagClient({ file: path });
    await direct.ready();
    expect(split.value).toBe(direct.isEnabled('pct', { userId: 'u1' }));
    await direct.close();
  });

  it('reports OpenFeature error codes with the caller default', async () => {
    const { path } = await fileWithFlags();
    await OpenFeature.setProviderAndWait(new FlagopsProvider({ file: path }));
    const client = OpenFeature.getClient();
    expect(await client.getBooleanDetails('nope', true)).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(await client.getNumberDetails('text', 7)).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    expect(await client.getBooleanDetails('pct', false)).toMatchObject({ value: false, reason: 'DEFAULT', flagMetadata: { message: expect.stringContaining('userId') } });
  });

  it('goes to ERROR when the store cannot be reached at start, and says PROVIDER_NOT_READY', async () => {
    const port = await freePort();
    const provider = new FlagopsProvider({ url: `redis://127.0.0.1:${port}`, env: 'production', timeoutMs: 300 });
    await expect(OpenFeature.setProviderAndWait(provider)).rejects.toThrow(/No flags could be loaded/);
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await client.getBooleanDetails('bool', true)).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' });
  });

  it('emits STALE when Redis goes away and READY when it is back', async () => {
    const redis = await startRedis();
    try {
      const writer = await StoreWriter.redis(redis.url, 'flagops:production');
      await writer.sync([compiled('bool')]);
      await writer.close();
      await redis.client().save();
      const events: string[] = [];
      const seen = (event: string) => () => events.push(event);
      await OpenFeature.setProviderAndWait(new FlagopsProvider({ url: redis.url, env: 'production', pollIntervalMs: 100 }));
      const client = OpenFeature.getClient();
      client.addHandler(ProviderEvents.Stale, seen('stale'));
      client.addHandler(ProviderEvents.Ready, seen('ready'));
      await redis.kill();
      await until(() => events.includes('stale'));
      expect(client.providerStatus).toBe(ProviderStatus.STALE);
      expect(await client.getBooleanDetails('bool', false)).toMatchObject({ value: true, reason: 'STALE' });
      await redis.restart();
      // OpenFeature runs a READY handler at once when the provider is ready as it is added: wait for one after STALE.
      await until(() => events.lastIndexOf('ready') > events.indexOf('stale'));
      expect(await client.getBooleanDetails('bool', false)).toMatchObject({ value: true, reason: 'STATIC' });
    } finally {
      await redis.stop();
    }
  });
});
