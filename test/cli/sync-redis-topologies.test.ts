import { Cluster } from 'ioredis';
import { createFlagClient } from '../../src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagops, flagopsAsync } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { type RedisCluster, startRedisCluster, startRedisSentinel } from '../helpers/redis-server.js';
import { until } from '../helpers/wait.js';

let cluster: RedisCluster;
let sentinel: Awaited<ReturnType<typeof startRedisSentinel>>;

beforeAll(async () => {
  [cluster, sentinel] = await Promise.all([startRedisCluster(), startRedisSentinel()]);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
  await sentinel?.stop();
});

function repo(prefix: string) {
  const files: Record<string, string> = { 'flagops.config.yaml': `environments:\n  staging: {}\n  production: { prefix: "${prefix}" }\n` };
  for (let i = 0; i < 20; i++) files[`flags/flag-${i}.yaml`] = flagFile('{ percentage: 30 }');
  const r = new GitRepo(files);
  r.commit();
  return r;
}

describe('Redis Cluster (3 masters)', () => {
  it('syncs an environment whose prefix holds a hash tag, atomically in one slot', async () => {
    const r = repo('{flagops:production}');
    // Async: the cluster's nodes gossip while flagops runs.
    const result = await flagopsAsync(['sync', '--env', 'production', '--redis', cluster.url], r.root);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Synced: 20 added, 0 changed, 0 removed, 0 unchanged → revision 1\./);
    expect(result.code).toBe(0);

    const client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
    try {
      expect(await client.hlen('{flagops:production}:_flags')).toBe(20);
      expect(await client.hget('{flagops:production}:_meta', 'revision')).toBe('1');
    } finally {
      client.disconnect();
    }
    const again = await flagopsAsync(['sync', '--env', 'production', '--redis', cluster.url], r.root);
    expect(again.stdout).toMatch(/Up to date/);
    const killed = await flagopsAsync(['kill', 'flag-3', '--env', 'production', '--redis', cluster.url, '--reason', 'cluster test'], r.root);
    expect(killed.code).toBe(0);
  });

  it('refuses a prefix without a hash tag, which would spread an environment over slots', () => {
    const r = repo('flagops:production');
    const result = flagops(['sync', '--env', 'production', '--redis', cluster.url], r.root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/In a Redis Cluster the prefix must hold a hash tag/);
    expect(result.stderr).toMatch(/prefix: "\{flagops:production\}"/);
  });
});

describe('Redis Sentinel', () => {
  it('finds the master through the sentinel and syncs to it', async () => {
    const r = repo('flagops:production');
    const result = await flagopsAsync(['sync', '--env', 'production', '--redis', sentinel.url], r.root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await sentinel.master.client().hlen('flagops:production:_flags')).toBe(20);
  });
});

describe('the SDK on a Cluster and through Sentinel', () => {
  it('loads a hash-tagged environment from a Cluster and follows a kill within its change message', async () => {
    const r = repo('{sdk:production}');
    expect((await flagopsAsync(['sync', '--env', 'production', '--redis', cluster.url], r.root)).code).toBe(0);
    const client = createFlagClient({ url: cluster.url, prefix: '{sdk:production}', pollIntervalMs: 60_000 });
    try {
      await client.ready();
      expect(client.keys()).toHaveLength(20);
      expect(client.evaluate('flag-3', { userId: 'u' }).reason).toBe('SPLIT');
      expect((await flagopsAsync(['kill', 'flag-3', '--env', 'production', '--redis', cluster.url, '--reason', 'sdk test'], r.root)).code).toBe(0);
      await until(() => client.evaluate('flag-3').override === true);
      expect(client.evaluate('flag-3', { userId: 'u' }, true)).toMatchObject({ value: false, reason: 'DISABLED' });
    } finally {
      await client.close();
    }
    expect(() => createFlagClient({ url: cluster.url, env: 'production' })).toThrow(/the prefix must hold a hash tag/);
  });

  it('finds the master through Sentinel', async () => {
    const r = repo('sdk-sentinel:production');
    expect((await flagopsAsync(['sync', '--env', 'production', '--redis', sentinel.url], r.root)).code).toBe(0);
    const client = createFlagClient({ url: sentinel.url, prefix: 'sdk-sentinel:production' });
    try {
      await client.ready();
      expect(client.keys()).toHaveLength(20);
    } finally {
      await client.close();
    }
  });
});
