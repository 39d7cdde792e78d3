import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const repoWith = (...keys: string[]) => {
  const repo = new GitRepo(Object.fromEntries(keys.map((key) => [`flags/${key}.yaml`, flagFile()])));
  repo.commit();
  return repo;
};

describe('flagops status and SDK usage counts', () => {
  it('lists the live flags no SDK evaluated (Redis)', async () => {
    const repo = repoWith('busy', 'idle', 'rare');
    expect(flagops(['sync', '--env', 'production', '--redis', redis.url], repo.root).code).toBe(0);
    const before = JSON.parse(flagops(['status', '--env', 'production', '--redis', redis.url, '-f', 'json'], repo.root).stdout);
    expect(before.environments[0].notEvaluated).toBeNull();
    expect(flagops(['status', '--env', 'production', '--redis', redis.url], repo.root).stdout).toContain('usage: no SDK has reported any');

    const client = createFlagClient({ url: redis.url, env: 'production', usage: true });
    await client.ready();
    for (let i = 0; i < 10; i++) client.isEnabled('busy', { userId: `u${i}` });
    await client.close();

    const status = JSON.parse(flagops(['status', '--env', 'production', '--redis', redis.url, '-f', 'json'], repo.root).stdout);
    expect(status.environments[0]).toMatchObject({ idleDays: 7, notEvaluated: [{ flag: 'idle', lastEvaluated: null }, { flag: 'rare', lastEvaluated: null }] });
    const later = JSON.parse(flagops(['status', '--env', 'production', '--redis', redis.url, '--now', '+30d', '-f', 'json'], repo.root).stdout);
    expect(later.environments[0].notEvaluated.map((n: { flag: string }) => n.flag)).toEqual(['busy', 'idle', 'rare']);
    const text = flagops(['status', '--env', 'production', '--redis', redis.url], repo.root).stdout;
    expect(text).toContain('NOT EVALUATED for 7 days (from SDK usage counts):\n    idle  never\n    rare  never');
  });

  it('counts usage next to the file store too', async () => {
    const repo = repoWith('busy', 'idle');
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
    for (let round = 0; round < 2; round++) {
      const client = createFlagClient({ file: join(repo.root, '.flagops/store/production.json'), usage: true });
      await client.ready();
      client.isEnabled('busy');
      await client.close();
    }
    const usage = JSON.parse(readFileSync(join(repo.root, '.flagops/store/production.json.usage.json'), 'utf8'));
    expect(usage['count:busy:on']).toBe('2');
    const status = JSON.parse(flagops(['status', '--env', 'production', '-f', 'json', '--idle-days', '1'], repo.root).stdout);
    expect(status.environments[0].notEvaluated).toEqual([{ flag: 'idle', lastEvaluated: null }]);
    expect(flagops(['status', '--env', 'production', '--idle-days', 'x'], repo.root).code).toBe(2);
  });
});
