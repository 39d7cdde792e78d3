import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { flagopsAsync } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { flagYaml, segmentYaml } from '../helpers/segment-project.js';
import { until } from '../helpers/wait.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const on = (yaml: string) => yaml.replace('    serve: off\n', '    serve: on\n');
const PREFIX = 'flagops:production';

describe('segments and prerequisites through Redis to a running SDK', () => {
  it('a kill of a prerequisite turns its dependents off in a running SDK at once; unkill restores them', async () => {
    const repo = new GitRepo({
      'flagops.config.yaml': 'environments: { staging: { prefix: "kill:staging" }, production: { prefix: "kill:production" } }\n',
      'flags/payments.yaml': on(flagYaml()),
      'flags/checkout.yaml': on(flagYaml({ requires: ['payments'] })),
      'flags/express.yaml': on(flagYaml({ requires: ['checkout'] })),
    });
    repo.commit('flags');
    const sync = await flagopsAsync(['sync', '--env', 'production', '--redis', redis.url], repo.root);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    const admin = new Redis(redis.url);
    expect(await admin.hget('kill:production:_meta', 'format')).toBe('2');
    const client = createFlagClient({ url: redis.url, prefix: 'kill:production', pollIntervalMs: 60_000 });
    try {
      await client.ready();
      expect(client.isEnabled('express', { userId: 'u-1' })).toBe(true);
      const kill = await flagopsAsync(['kill', 'payments', '--env', 'production', '--redis', redis.url, '--reason', 'INC-7'], repo.root);
      expect(kill.stdout).toContain('Also off through prerequisites');
      // The change message, not the poll (a minute away), brings the kill: within the propagation time.
      await until(() => client.evaluate('express', { userId: 'u-1' }).reason === 'PREREQUISITE_FAILED', 5000);
      expect(client.evaluate('checkout', { userId: 'u-1' })).toMatchObject({ value: false, reason: 'PREREQUISITE_FAILED', prerequisite: 'payments' });
      expect(client.evaluate('express', { userId: 'u-1' })).toMatchObject({ value: false, prerequisite: 'checkout' });
      await flagopsAsync(['unkill', 'payments', '--env', 'production', '--redis', redis.url], repo.root);
      await until(() => client.isEnabled('express', { userId: 'u-1' }), 5000);
      expect(client.evaluate('checkout', { userId: 'u-1' }).reason).toBe('STATIC');
    } finally {
      await client.close();
      admin.disconnect();
    }
  });

  it('a segment change reaches every flag that uses it in one revision: no reader sees it half applied', async () => {
    const flags = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [`flags/f${i}.yaml`, flagYaml({ rules: [`{ name: beta, segments: [beta], serve: on }`] })]),
    );
    const repo = new GitRepo({
      'flagops.config.yaml': 'environments: { staging: {}, production: {} }\n',
      'segments/beta.yaml': segmentYaml(['groups: [beta-testers]']),
      ...flags,
    });
    repo.commit('flags');
    expect((await flagopsAsync(['sync', '--env', 'production', '--redis', redis.url], repo.root)).code).toBe(0);
    const client = createFlagClient({ url: redis.url, prefix: PREFIX, pollIntervalMs: 60_000 });
    const partner = { userId: 'u-9', groups: ['design-partners'] };
    const seen: Array<{ revision: number; on: boolean[] }> = [];
    const look = () => seen.push({ revision: client.revision, on: client.keys().sort().map((key) => client.isEnabled(key, partner)) });
    try {
      await client.ready();
      look();
      client.on('changed', look);
      // A second reader polls the store itself, as a reader in another language would: one MULTI of _flags and _meta.
      const reader = new Redis(redis.url);
      let polling = true;
      const torn: string[] = [];
      const poll = (async () => {
        while (polling) {
          const [[, hash], [, revision]] = (await reader.multi().hgetall(`${PREFIX}:_flags`).hget(`${PREFIX}:_meta`, 'revision').exec()) as [
            [null, Record<string, string>],
            [null, string],
          ];
          const groups = new Set(Object.values(hash).map((json) => JSON.stringify(JSON.parse(json).rules[0].all[0].groups)));
          if (groups.size > 1) torn.push(`revision ${revision}: ${[...groups].join(' / ')}`);
        }
      })();
      const before = client.revision;
      repo.write({ 'segments/beta.yaml': segmentYaml(['groups: [beta-testers, design-partners]']) });
      repo.commit('design partners join the beta');
      const sync = await flagopsAsync(['sync', '--env', 'production', '--redis', redis.url], repo.root);
      expect(sync.stdout).toContain('segment beta: + group design-partners — changes f0, f1, f2, f3, f4, f5');
      await until(() => client.revision > before);
      polling = false;
      await poll;
      reader.disconnect();
      expect(client.revision).toBe(before + 1);
      expect(torn).toEqual([]);
      // Every snapshot the client held had all six flags agree: all off before, all on after.
      for (const s of seen) expect(new Set(s.on).size, `revision ${s.revision}`).toBe(1);
      expect(seen.at(-1)!.on).toEqual([true, true, true, true, true, true]);
    } finally {
      await client.close();
    }
  });
});
