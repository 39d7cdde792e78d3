import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { flagops } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('a store whose _meta.revision is not a whole number', () => {
  it('is named by status, refused by sync, repaired by sync --force, and never stops the kill switch', async () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile(), 'flags/b.yaml': flagFile() });
    repo.commit();
    const env = ['--env', 'production', '--redis', redis.url];
    expect(flagops(['sync', ...env], repo.root).code).toBe(0);
    const admin = redis.client();
    await admin.hset('flagops:production:_meta', 'revision', 'abc');

    const status = flagops(['status', ...env], repo.root);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('CORRUPT: _meta.revision is "abc", not a whole number. flagops sync --env production --force rewrites _meta (and kill still works).');

    const sync = flagops(['sync', ...env], repo.root);
    expect(sync.code).toBe(1);
    expect(sync.stdout).toContain('Refused: the store\'s _meta is corrupt: _meta.revision is "abc", not a whole number.');
    expect(sync.stdout).not.toMatch(/NaN/);

    const kill = flagops(['kill', 'a', ...env, '--reason', 'INC-9'], repo.root);
    expect(kill.stderr).toBe('');
    expect(kill.code).toBe(0);
    expect(kill.stdout).toContain('Killed a in production: everyone gets off (revision 1; _meta.revision was "abc", not a whole number, and is a number again).');
    expect(await admin.hexists('flagops:production:_overrides', 'a')).toBe(1);

    await admin.hset('flagops:production:_meta', 'revision', '7.5');
    const forced = flagops(['sync', ...env, '--force'], repo.root);
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(await admin.hget('flagops:production:_meta', 'revision')).toBe('1');
    expect(flagops(['status', ...env], repo.root).stdout).not.toContain('CORRUPT');
  });

  it('is served by the SDK, said once, and not re-read on every poll', async () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    await redis.client().flushall();
    expect(flagops(['sync', '--env', 'production', '--redis', redis.url], repo.root).code).toBe(0);
    const admin = redis.client();
    await admin.hset('flagops:production:_meta', 'revision', 'abc');
    const client = createFlagClient({ url: redis.url, env: 'production', pollIntervalMs: 20 });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.message));
    await client.ready();
    expect(client.isEnabled('a')).toBe(true);
    const reads = async () => Number(/cmdstat_hgetall:calls=(\d+)/.exec(String(await admin.info('commandstats')))?.[1] ?? 0);
    const before = await reads();
    await new Promise((resolve) => setTimeout(resolve, 600));
    // About 30 polls went by: a client that re-read everything on each would show about 90 more HGETALLs.
    expect((await reads()) - before).toBeLessThan(10);
    expect(errors).toEqual([expect.stringContaining('_meta.revision is "abc", not a whole number')]);
    await client.close();
  });
});

describe('a store written in a newer format', () => {
  it('is never overwritten by this flagops, forced or not, nor changed by its kill; status says so', async () => {
    await redis.client().flushall();
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    const env = ['--env', 'production', '--redis', redis.url];
    expect(flagops(['sync', ...env], repo.root).code).toBe(0);
    const admin = redis.client();
    await admin.hset('flagops:production:_meta', 'format', '999');
    repo.write({ 'flags/a.yaml': flagFile('off') }).commit();
    for (const force of [[], ['--force']]) {
      const sync = flagops(['sync', ...env, ...force], repo.root);
      expect(sync.code).toBe(1);
      expect(sync.stdout).toContain('Refused: the store holds format 999, written by a newer flagops; this one writes format 3 and would break what the newer one wrote.');
    }
    const kill = flagops(['kill', 'a', ...env, '--reason', 'x'], repo.root);
    expect(kill.code).toBe(2);
    expect(kill.stderr).toContain('holds format 999, written by a newer flagops; this one knows format 3 and changes nothing there.');
    expect(await admin.hgetall('flagops:production:_meta')).toMatchObject({ format: '999', revision: '1' });
    expect(flagops(['status', ...env], repo.root).stdout).toContain('FORMAT 999: written by a newer flagops (this one knows 3); sync and kill with the newer one');
  });
});

describe('malformed flags in the store', () => {
  it('never stop the kill switch, and status names them with what is wrong', async () => {
    await redis.client().flushall();
    const layout = 'variants: { classic: 1, compact: 2 }\noffVariant: classic\n';
    const repo = new GitRepo({ 'flags/a.yaml': flagFile(), 'flags/b.yaml': flagFile('compact', layout), 'flags/c.yaml': flagFile() });
    repo.commit();
    const env = ['--env', 'production', '--redis', redis.url];
    expect(flagops(['sync', ...env], repo.root).code).toBe(0);
    const admin = redis.client();
    await admin.hset('flagops:production:_flags', { a: '{not json', b: '{}', c: 'null' });

    const status = flagops(['status', ...env], repo.root);
    expect(status.stdout).toContain('MALFORMED: a: not valid JSON');
    expect(status.stdout).toContain('MALFORMED: b: "variants" is missing or empty');
    expect(status.stdout).toContain('MALFORMED: c: the stored value is not an object');

    for (const key of ['a', 'b', 'c']) {
      const kill = flagops(['kill', key, ...env, '--reason', 'INC-11'], repo.root);
      expect(kill.stderr, key).not.toMatch(/internal error|bug in flagops/);
      expect(kill.code, kill.stderr).toBe(0);
      expect(kill.stderr).toContain(`warning: the stored ${key} cannot be read`);
    }
    // Without a readable stored flag, the off variant comes from the flag file in this checkout.
    const overrides = await admin.hgetall('flagops:production:_overrides');
    expect(Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, JSON.parse(v).variant]))).toEqual({ a: 'off', b: 'classic', c: 'off' });
    // A sync repairs the flags; the kills stand.
    const sync = flagops(['sync', ...env], repo.root);
    expect(sync.code, sync.stdout).toBe(0);
    expect(flagops(['status', ...env], repo.root).stdout).not.toContain('MALFORMED');
  });
});
