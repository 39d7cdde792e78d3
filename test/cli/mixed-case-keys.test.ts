/** Flag keys as migrating teams have them (newCheckout, UNLEASH_CLOUD), from YAML through the scanner and Redis to an SDK read. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { flagops, flagopsJson } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { until } from '../helpers/wait.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('mixed-case flag keys', () => {
  it('work from the flag file to the scanner, a sync, simple keys, a kill and an SDK read', async () => {
    const repo = new GitRepo({
      'flagops.config.yaml': 'sync: { simpleKeys: true }\nscan:\n  include: ["src/**/*.ts"]\n',
      'flags/checkout/newCheckout.yaml': flagFile('{ percentage: 100 }'),
      'flags/UNLEASH_CLOUD.yaml': flagFile(),
      'src/app.ts': [
        'declare const flags: { isEnabled(key: string): boolean };',
        'declare function useFlags(): Record<string, boolean>;',
        'export const a = flags.isEnabled(\'newCheckout\');',
        'export const b = flags.isEnabled(\'UNLEASH_CLOUD\');',
        'export const { unleashCloud } = useFlags();',
        'export const typo = flags.isEnabled(\'NewCheckout\');',
        '',
      ].join('\n'),
    });
    repo.commit();
    const scan = flagopsJson(['scan', '--list'], repo.root);
    expect(scan.json.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.hint ?? ''}`)).toEqual([
      'orphaned-reference 6:37 Did you mean "newCheckout"? Otherwise add a flag file for "NewCheckout" or remove this reference.',
    ]);
    // useFlags().unleashCloud is UNLEASH_CLOUD through its camelCase alias.
    const references = (scan.json as unknown as { references: Array<{ flag: string; line: number }> }).references;
    expect(references.map((r) => `${r.line} ${r.flag}`).sort()).toEqual(['3 newCheckout', '4 UNLEASH_CLOUD', '5 UNLEASH_CLOUD', '6 NewCheckout']);

    const env = ['--env', 'production', '--redis', redis.url];
    expect(flagops(['sync', ...env], repo.root).code).toBe(0);
    const admin = redis.client();
    expect(await admin.hexists('flagops:production:_flags', 'newCheckout')).toBe(1);
    expect(JSON.parse((await admin.get('flagops:production:newCheckout'))!)).toMatchObject({ enabled: true, percentage: 100 });

    const client = createFlagClient({ url: redis.url, env: 'production' });
    await client.ready();
    expect(client.isEnabled('newCheckout', { userId: 'u1' })).toBe(true);
    expect(client.isEnabled('UNLEASH_CLOUD')).toBe(true);
    expect(client.evaluate('newcheckout', {}, false)).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
    expect(flagops(['kill', 'newCheckout', ...env, '--reason', 'INC-1'], repo.root).code).toBe(0);
    await until(() => client.evaluate('newCheckout', {}, true).override === true);
    expect(client.evaluate('newCheckout', { userId: 'u1' }, true)).toMatchObject({ value: false, override: true });
    await client.close();
    expect(flagops(['eval', 'UNLEASH_CLOUD', '--env', 'production'], repo.root).stdout).toMatch(/value\s+true/);
  });
});
