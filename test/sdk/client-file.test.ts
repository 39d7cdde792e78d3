import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { FileStore } from '../../src/store/file-store.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { until } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'flagops-sdk-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the flag client on the file store', () => {
  it('reads what a sync wrote and follows the next sync and a kill', async () => {
    const path = join(dir, 'production.json');
    const writer = StoreWriter.of(new FileStore(path));
    await writer.sync([compiled('banner')]);
    const client = createFlagClient({ file: path, pollIntervalMs: 5000 });
    await client.ready();
    expect(client.isEnabled('banner')).toBe(true);
    const changed: string[][] = [];
    client.on('changed', (event) => changed.push(event.changed));
    await writer.sync([{ ...compiled('banner'), enabled: false }, compiled('added')]);
    await until(() => client.revision === 2);
    expect(client.isEnabled('banner', {}, true)).toBe(false);
    expect(changed).toEqual([['banner', 'added']]);
    await writer.override('added', 'off');
    await until(() => client.revision === 3);
    expect(client.evaluate('added')).toMatchObject({ value: false, reason: 'DISABLED', override: true });
    await client.close();
  });

  it('keeps its snapshot while the file it reads every poll holds the same flags, and takes a new one on a sync', async () => {
    const path = join(dir, 'unchanged.json');
    const writer = StoreWriter.of(new FileStore(path));
    await writer.sync([compiled('parent'), compiled('child', { variant: 'on' }, { requires: [{ flag: 'parent', variant: 'on' }] })]);
    const client = createFlagClient({ file: path, pollIntervalMs: 10 });
    await client.ready();
    const generation = client.snapshotGeneration;
    // Twenty polls or so, each reading the file again.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(client.snapshotGeneration).toBe(generation);
    expect(client.evaluate('child', { userId: 'u-1' })).toMatchObject({ value: true, reason: 'STATIC' });
    await writer.override('parent', 'off');
    await until(() => client.revision === 2);
    expect(client.snapshotGeneration).toBe(generation + 1);
    expect(client.evaluate('child', { userId: 'u-1' })).toMatchObject({ value: false, reason: 'PREREQUISITE_FAILED' });
    await client.close();
  });

  it('says when the store file does not exist, and starts serving once a sync writes it', async () => {
    const path = join(dir, 'later', 'production.json');
    const client = createFlagClient({ file: path, pollIntervalMs: 50, timeoutMs: 200 });
    const started = await client.ready();
    expect(started.ready).toBe(false);
    expect(!started.ready && started.error.message).toMatch(/No flags could be loaded from file .*later\/production\.json within 200 ms: No flag store file at/);
    expect(client.evaluate('banner', {}, false)).toMatchObject({ errorCode: 'PROVIDER_NOT_READY' });
    await StoreWriter.of(new FileStore(path)).sync([compiled('banner')]);
    await until(() => client.state === 'ready');
    expect(client.isEnabled('banner')).toBe(true);
    await client.close();
  });

  it('never throws for a key that is not a string: every call gives its default, evaluate says FLAG_NOT_FOUND', async () => {
    const path = join(dir, 'odd-keys.json');
    await StoreWriter.of(new FileStore(path)).sync([compiled('banner')]);
    const client = createFlagClient({ file: path });
    await client.ready();
    for (const key of [Symbol('banner'), 42, null, undefined, { toString: () => 'banner' }] as unknown as string[]) {
      expect(client.isEnabled(key, {}, true)).toBe(true);
      expect(client.getVariant(key)).toBeUndefined();
      expect(client.getValue(key, {}, 'd')).toBe('d');
      expect(client.describe(key)).toBeUndefined();
      expect(client.evaluate(key, {}, false)).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    }
    await client.close();
  });

  it('says what is missing when no store is given', () => {
    expect(() => createFlagClient({ env: 'production' })).toThrow(/needs a store: url \(or FLAGOPS_REDIS_URL\), redis \(an ioredis client\) or file/);
    expect(() => createFlagClient({ url: 'redis://localhost:1' })).toThrow(/needs env/);
    expect(() => createFlagClient({ url: 'redis://localhost:1', file: 'x', env: 'p' })).toThrow(/one of url, redis or file/);
    expect(() => createFlagClient({ url: 'http://localhost', env: 'p' })).toThrow(/must start with redis:\/\/ or rediss:\/\//);
  });
});
