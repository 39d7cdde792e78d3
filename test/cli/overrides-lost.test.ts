import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

function project() {
  const repo = new GitRepo({ 'flags/checkout.yaml': flagFile(), 'flags/search.yaml': flagFile() });
  repo.commit();
  return repo;
}

describe('kill switches the store lost', () => {
  it('are named by status, plan and sync when the audit still records them, until they are set again or undone', async () => {
    const repo = project();
    const env = ['--env', 'production', '--redis', redis.url];
    expect(flagops(['sync', ...env], repo.root).code).toBe(0);
    expect(flagops(['kill', 'checkout', ...env, '--reason', 'INC-7', '--actor', 'oncall'], repo.root).code).toBe(0);
    expect(flagops(['kill', 'search', ...env, '--reason', 'brief', '--actor', 'oncall'], repo.root).code).toBe(0);
    expect(flagops(['unkill', 'search', ...env], repo.root).code).toBe(0);
    // Evicted, deleted by hand, or restored from an older backup: the override is gone, the audit is not.
    await redis.client().del('flagops:production:_overrides');

    const status = flagops(['status', ...env], repo.root);
    expect(status.stdout).toMatch(
      /OVERRIDE LOST: checkout was killed \(serving off\) by oncall at \S+: INC-7, and no unkill was recorded, but the store no longer holds the override: it serves its flag file again\. If the kill still stands: flagops kill checkout --env production --variant off --reason "…"/,
    );
    expect(status.stdout).not.toMatch(/OVERRIDE LOST: search/);
    const json = JSON.parse(flagops(['status', ...env, '--format', 'json'], repo.root).stdout);
    expect(json.environments[0].lostOverrides).toEqual([{ flag: 'checkout', variant: 'off', actor: 'oncall', at: expect.any(String), reason: 'INC-7' }]);

    expect(flagops(['plan', ...env], repo.root).stdout).toMatch(/OVERRIDE LOST: checkout was killed/);
    const sync = flagops(['sync', ...env, '--format', 'json'], repo.root);
    expect(JSON.parse(sync.stdout).environments[0].lostOverrides).toMatchObject([{ flag: 'checkout' }]);

    expect(flagops(['kill', 'checkout', ...env, '--reason', 'INC-7 still open'], repo.root).code).toBe(0);
    expect(flagops(['status', ...env], repo.root).stdout).not.toMatch(/OVERRIDE LOST/);
  });

  it('cannot be restored from a store that lost everything: sync says the store was empty', async () => {
    await redis.client().flushall();
    const repo = project();
    const env = ['--env', 'production', '--redis', redis.url];
    expect(flagops(['sync', ...env], repo.root).code).toBe(0);
    expect(flagops(['kill', 'checkout', ...env, '--reason', 'INC-8'], repo.root).code).toBe(0);
    await redis.restart(); // without persistence: everything is gone, the audit too
    const sync = flagops(['sync', ...env], repo.root);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('live:    empty (never synced, or the store lost its data; a sync restores flags, not kill switches)');
    expect(flagops(['status', ...env], repo.root).stdout).not.toContain('OVERRIDE:');
  });
});
