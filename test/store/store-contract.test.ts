import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/file-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { FlagStore, SyncWrite } from '../../src/store/store.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

let redis: RedisServer;
const folder = mkdtempSync(join(tmpdir(), 'flagops-store-'));
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(folder, { recursive: true, force: true });
});

let counter = 0;
/** Each factory opens a store on a place; two opens of one place are two clients of one store. */
const factories: Array<[string, (place: number) => Promise<FlagStore>, (place: number, revision: string) => Promise<void>]> = [
  [
    'file store',
    async (place) => new FileStore(join(folder, `env-${place}.json`)),
    async (place, revision) => {
      const path = join(folder, `env-${place}.json`);
      const state = JSON.parse(readFileSync(path, 'utf8'));
      state.meta.revision = revision;
      writeFileSync(path, JSON.stringify(state));
    },
  ],
  ['redis store', async (place) => RedisStore.connect(redis.url, `test-${place}`), async (place, revision) => void (await redis.client().hset(`test-${place}:_meta`, 'revision', revision))],
];

const write = (expectedRevision: number, upserts: Record<string, string>, removals: string[] = []): SyncWrite => ({
  expectedRevision,
  upserts: new Map(Object.entries(upserts)),
  removals,
  meta: { commit: `c${expectedRevision + 1}`, syncedAt: '2026-11-22T00:00:00.000Z', checksum: 'sum', format: 1 },
  audit: { kind: 'sync', actor: 'test', at: '2026-11-22T00:00:00.000Z', added: Object.keys(upserts) },
});

describe.each(factories)('%s', (_, openAt, corruptAt) => {
  const open = () => openAt(++counter);

  it('says when the revision was written outside flagops, refuses writes planned against any number, and lets one that expects the corruption repair it', async () => {
    const place = ++counter;
    const store = await openAt(place);
    await store.writeSync(write(0, { a: '1' }));
    await corruptAt(place, 'abc');
    const live = await store.read();
    expect(live.meta).toMatchObject({ revision: -1, problem: '_meta.revision is "abc", not a whole number' });
    expect(await store.writeSync(write(1, { a: '2' }))).toEqual({ status: 'conflict', liveRevision: -1 });
    const at = '2026-11-22T01:00:00.000Z';
    const override = { variant: 'off', reason: 'incident', actor: 'oncall', at };
    expect(await store.writeOverride({ expectedRevision: -1, flag: 'a', override, audit: { kind: 'kill', actor: 'oncall', at, flag: 'a' } })).toEqual({
      status: 'applied',
      revision: 1,
    });
    expect((await store.read()).meta).toMatchObject({ revision: 1 });
    expect((await store.read()).meta).not.toHaveProperty('problem');
    await store.close();
  });
  it('starts empty', async () => {
    const store = await open();
    expect(await store.read()).toEqual({ meta: null, flags: new Map(), overrides: new Map() });
    await store.close();
  });

  it('applies a write and returns what it wrote, byte for byte', async () => {
    const store = await open();
    const json = JSON.stringify({ key: 'a', enabled: true, note: 'ünïcødé ☕' });
    expect(await store.writeSync(write(0, { a: json, b: '{"key":"b"}' }))).toEqual({ status: 'applied', revision: 1 });
    const live = await store.read();
    expect(live.flags).toEqual(new Map([['a', json], ['b', '{"key":"b"}']]));
    expect(live.meta).toEqual({ revision: 1, commit: 'c1', syncedAt: '2026-11-22T00:00:00.000Z', checksum: 'sum', format: 1 });
    await store.close();
  });

  it('changes and removes only what it is told to', async () => {
    const store = await open();
    await store.writeSync(write(0, { a: '1', b: '2', c: '3' }));
    expect(await store.writeSync(write(1, { b: '22' }, ['c']))).toEqual({ status: 'applied', revision: 2 });
    expect((await store.read()).flags).toEqual(new Map([['a', '1'], ['b', '22']]));
    await store.close();
  });

  it('refuses a write planned against another revision, and changes nothing', async () => {
    const store = await open();
    await store.writeSync(write(0, { a: '1' }));
    expect(await store.writeSync(write(0, { a: 'stale' }))).toEqual({ status: 'conflict', liveRevision: 1 });
    expect((await store.read()).flags.get('a')).toBe('1');
    await store.close();
  });

  it('lets exactly one of two racing writers through', async () => {
    const place = ++counter;
    const [one, two] = [await openAt(place), await openAt(place)];
    const results = await Promise.all([one.writeSync(write(0, { a: '"one"' })), two.writeSync(write(0, { a: '"two"' }))]);
    expect(results.map((r) => r.status).sort()).toEqual(['applied', 'conflict']);
    const winner = results[0]!.status === 'applied' ? '"one"' : '"two"';
    expect((await one.read()).flags.get('a')).toBe(winner);
    await one.close();
    await two.close();
  });

  it('writes and removes 150,000 flags in one write (no argument-count limits)', async () => {
    const store = await open();
    const many = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`k${i}`, `{"i":${i}}`]));
    expect(await store.writeSync(write(0, many))).toEqual({ status: 'applied', revision: 1 });
    expect((await store.read()).flags.size).toBe(150_000);
    expect(await store.writeSync(write(1, {}, Object.keys(many)))).toEqual({ status: 'applied', revision: 2 });
    expect((await store.read()).flags.size).toBe(0);
    await store.close();
  }, 120_000);

  it('keeps overrides apart from flags, and audits every write newest first', async () => {
    const store = await open();
    await store.writeSync(write(0, { a: '1' }));
    const override = { variant: 'off', reason: 'incident 42', actor: 'oncall', at: '2026-11-22T01:00:00.000Z' };
    const at = '2026-11-22T01:00:00.000Z';
    expect(
      await store.writeOverride({ expectedRevision: 1, flag: 'a', override, audit: { kind: 'kill', actor: 'oncall', at, flag: 'a' } }),
    ).toEqual({ status: 'applied', revision: 2 });
    expect((await store.read()).overrides).toEqual(new Map([['a', override]]));
    await store.writeSync(write(2, { a: '2' }));
    expect((await store.read()).overrides.get('a')).toEqual(override);
    await store.writeOverride({ expectedRevision: 3, flag: 'a', override: undefined, audit: { kind: 'unkill', actor: 'oncall', at, flag: 'a' } });
    expect((await store.read()).overrides.size).toBe(0);
    expect((await store.readAudit(10)).map((e) => e.kind)).toEqual(['unkill', 'sync', 'kill', 'sync']);
    await store.close();
  });
});
