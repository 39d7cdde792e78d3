import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerWriter, ofrepAnswer } from '../../src/serve/ofrep.js';
import { createFlagClient, type FlagClient } from '../../src/sdk/index.js';
import { FileStore } from '../../src/store/file-store.js';
import { flagops } from '../helpers/cli.js';
import { until } from '../helpers/wait.js';
import { exampleProject } from '../helpers/example-project.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';

describe('the OFREP answers written as text', () => {
  const repo = exampleProject();
  let client: FlagClient;
  beforeAll(async () => {
    expect(flagops(['sync', '--env', 'production'], repo.root, { env: { FLAGOPS_NOW: '2026-11-27' } }).code).toBe(0);
    // A kill, so that override metadata is written too.
    expect(flagops(['kill', 'dark-mode', '--env', 'production', '--reason', 'test'], repo.root).code).toBe(0);
    client = createFlagClient({ file: join(repo.root, '.flagops/store/production.json') });
    await client.ready();
  });
  afterAll(() => client?.close());

  it('are the same JSON as the answer objects, for every flag, 500 contexts and an unknown key', () => {
    const writer = new AnswerWriter(client);
    const keys = [...client.keys()].sort();
    const reasons = new Map<string, number>();
    const count = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    for (let i = 0; i < 500; i++) {
      const groups = i % 5 === 0 ? ['employees'] : [];
      const context = { userId: `u-${i * 13}`, plan: ['free', 'pro', 'enterprise'][i % 3], groups, appVersion: `2.${i % 9}.1`, accountId: `a-${i % 11}` };
      for (const key of [...keys, 'no-such-flag']) {
        const expected = ofrepAnswer(key, client.evaluate(key, context), client.describe(key), client.revision);
        const written = writer.one(key, context);
        expect(written.status).toBe(expected.status);
        expect(JSON.parse(written.body.toString())).toEqual(expected.body);
        count(expected.status === 200 ? (expected.body as { reason: string }).reason : 'ERROR');
      }
      const all = writer.all(context);
      const bodies = keys.map((key) => ofrepAnswer(key, client.evaluate(key, context), client.describe(key), client.revision).body);
      expect(JSON.parse(all.body().toString())).toEqual({ flags: bodies });
      for (const body of bodies) count((body as { reason: string }).reason);
    }
    // What the evaluation metric reads: every answer served, by reason.
    expect(writer.served()).toEqual(reasons);
    expect(JSON.parse(writer.one('dark-mode', { userId: 'u-1' }).body.toString())).toMatchObject({ value: false, reason: 'DISABLED', metadata: { override: true } });
  });

  it('tag a bulk answer by its content: the same on two servers, another whenever the answer differs', async () => {
    const other = createFlagClient({ file: join(repo.root, '.flagops/store/production.json') });
    await other.ready();
    try {
      const here = new AnswerWriter(client);
      const there = new AnswerWriter(other);
      const tags = new Map<string, string>();
      for (let i = 0; i < 300; i++) {
        const context = { userId: `u-${i}`, plan: ['free', 'enterprise'][i % 2], groups: i % 7 === 0 ? ['employees'] : [] };
        const a = here.all(context);
        expect(there.all(context).etag).toBe(a.etag);
        const text = a.body().toString();
        // One tag per distinct answer, and one answer per tag.
        if (tags.has(a.etag)) expect(tags.get(a.etag)).toBe(text);
        tags.set(a.etag, text);
      }
      const texts = new Set(tags.values());
      expect(texts.size).toBe(tags.size);
      expect(texts.size).toBeGreaterThan(4);
      const before = here.all({ userId: 'u-1' }).etag;
      const servedBefore = [...here.served().values()].reduce((a, b) => a + b, 0);
      expect(flagops(['kill', 'new-checkout', '--env', 'production', '--reason', 'test'], repo.root).code).toBe(0);
      await until(() => client.revision === other.revision && client.evaluate('new-checkout', { userId: 'u-1' }).reason === 'DISABLED');
      expect(here.all({ userId: 'u-1' }).etag).not.toBe(before);
      // The counts of the revision gone by are kept.
      expect([...here.served().values()].reduce((a, b) => a + b, 0)).toBe(servedBefore + client.keys().length);
    } finally {
      await other.close();
    }
  });
});

describe('the OFREP answers of a store synced again from empty', () => {
  it('follow the new flags even when the revision number repeats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagops-ofrep-'));
    const path = join(dir, 'production.json');
    const client = createFlagClient({ file: path });
    try {
      await StoreWriter.of(new FileStore(path)).sync([compiled('alpha'), compiled('beta')]);
      await client.ready();
      const writer = new AnswerWriter(client);
      const keysOf = () => (JSON.parse(writer.all({}).body().toString()) as { flags: Array<{ key: string }> }).flags.map((f) => f.key);
      expect(keysOf()).toEqual(['alpha', 'beta']);
      // Another store's first sync put in its place: revision 1 again, other flags.
      const other = join(dir, 'other.json');
      await StoreWriter.of(new FileStore(other)).sync([compiled('alpha'), compiled('gamma')]);
      renameSync(other, path);
      await until(() => client.keys().includes('gamma'));
      expect(client.revision).toBe(1);
      expect(keysOf()).toEqual(['alpha', 'gamma']);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the tags a server remembers for polling clients', () => {
  it('hold for the snapshot that gave them, until a rollout stage begins, and not after a sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagops-ofrep-'));
    const path = join(dir, 'production.json');
    const START = Date.parse('2026-12-01T09:00:00Z');
    const FULL = Date.parse('2026-12-08T09:00:00Z');
    let now = START - 60_000;
    const client = createFlagClient({ file: path, now: () => now });
    const stages = { variant: 'on', stages: [{ at: '2026-12-01T09:00:00Z', percentage: 10 }, { at: '2026-12-08T09:00:00Z', percentage: 100 }] };
    const store = StoreWriter.of(new FileStore(path));
    try {
      await store.sync([compiled('plain'), compiled('rollout', stages as never)]);
      await client.ready();
      const writer = new AnswerWriter(client);
      const context = JSON.stringify({ userId: 'u-7' });
      /** A poll answered in full, whose tag the writer then knows. */
      const answered = () => {
        const answer = writer.all({ userId: 'u-7' });
        writer.remember(context, answer);
        expect(writer.knownTag(context)).toBe(answer.etag);
        return answer;
      };
      expect(writer.knownTag(context)).toBeUndefined();
      const before = answered();
      now = START - 1;
      expect(writer.knownTag(context)).toBe(before.etag);
      // A stage begins: what the answer is must be worked out again.
      now = START;
      expect(writer.knownTag(context)).toBeUndefined();
      const during = answered();
      now = FULL - 1;
      expect(writer.knownTag(context)).toBe(during.etag);
      // A clock set back past the stage's start does not find it either.
      now = START - 1;
      expect(writer.knownTag(context)).toBeUndefined();
      now = FULL + 1;
      const after = answered();
      expect(JSON.parse(after.body().toString()).flags.find((f: { key: string }) => f.key === 'rollout').value).toBe(true);
      // A sync (here: a kill) is another snapshot: nothing it has not answered is known.
      await store.override('plain', 'off');
      await until(() => client.revision === 2);
      expect(writer.knownTag(context)).toBeUndefined();
      expect(writer.all({ userId: 'u-7' }).etag).not.toBe(after.etag);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a bulk answer over prerequisites', () => {
  it('evaluates a lattice of prerequisites once per answer: each flag as its first flag decides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagops-ofrep-'));
    const path = join(dir, 'production.json');
    const client = createFlagClient({ file: path });
    // f-i requires f-(i-1) and f-(i-2): followed path by path, one answer would never end.
    const name = (i: number) => `f-${String(i).padStart(4, '0')}`;
    const flags = [compiled(name(0), { percentage: 50, variant: 'on', stickiness: 'userId' }), compiled(name(1))];
    for (let i = 2; i < 2000; i++) flags.push(compiled(name(i), { variant: 'on' }, { requires: [{ flag: name(i - 1), variant: 'on' }, { flag: name(i - 2), variant: 'on' }] }));
    try {
      await StoreWriter.of(new FileStore(path)).sync(flags);
      await client.ready();
      const writer = new AnswerWriter(client);
      const seen = new Set<boolean>();
      for (const userId of ['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6', 'u-7', 'u-8']) {
        const answer = JSON.parse(writer.all({ userId }).body().toString()) as { flags: Array<{ key: string; value: boolean }> };
        const first = answer.flags[0]!.value;
        seen.add(first);
        expect(answer.flags).toHaveLength(2000);
        expect(answer.flags.slice(2).every((f) => f.value === first)).toBe(true);
        const last = name(1999);
        expect(answer.flags.at(-1)).toEqual(ofrepAnswer(last, client.evaluate(last, { userId }), client.describe(last), client.revision).body);
      }
      expect(seen).toEqual(new Set([true, false]));
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
