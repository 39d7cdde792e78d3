import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagops, flagopsJson, where } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { tmpProject, validFlag } from '../helpers/tmp.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('environments that would write one store', () => {
  it.each([
    ['the same prefix', 'staging: { prefix: "flagops:production" }\n  production: {}', 'flagops.config.yaml:2:22 error environments-overlap', /Environments "staging" and "production" both use the Redis prefix "flagops:production"/],
    ['a prefix inside another', 'staging: { prefix: "{acme}:prod:eu" }\n  production: { prefix: "{acme}:prod" }', 'flagops.config.yaml:2:22 error environments-overlap', /The prefix of "staging" \(\{acme\}:prod:eu\) lies inside the prefix of "production" \(\{acme\}:prod\)/],
    ['the same file store', 'staging: { file: shared.json }\n  production: { file: ./shared.json }', 'flagops.config.yaml:3:23 error environments-overlap', /both use the file store shared\.json/],
  ])('are refused in the configuration: %s', (_name, environments, at, message) => {
    const root = tmpProject({ 'flagops.config.yaml': `environments:\n  ${environments}\n`, 'flags/a.yaml': validFlag });
    const result = flagopsJson(['validate'], root);
    expect(result.code).toBe(2);
    expect(result.json.diagnostics.map(where)).toEqual([at]);
    expect(result.json.diagnostics[0]!.message).toMatch(message);
  });

  it('cannot overwrite each other through a store that records its environment', async () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    const url = ['--redis', redis.url];
    expect(flagops(['sync', '--env', 'production', ...url], repo.root).code).toBe(0);
    expect(await redis.client().hget('flagops:production:_meta', 'environment')).toBe('production');
    // A configuration that points staging at production's keys by another route (a second URL to one
    // Redis is invisible to the config check): the store says whose it is.
    const stagingOnly = 'description: A flag for a test.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-10\nenvironments:\n  staging: { enabled: true, serve: off }\n';
    repo.write({ 'flagops.config.yaml': 'environments:\n  staging: { prefix: "flagops:production" }\n', 'flags/a.yaml': stagingOnly }).commit();
    const staging = flagops(['sync', '--env', 'staging', ...url], repo.root);
    expect(staging.code).toBe(1);
    expect(staging.stdout).toContain('Refused: this store holds environment "production", not "staging": two environments point at one store.');
    expect(flagops(['kill', 'a', '--env', 'staging', '--reason', 'x', ...url], repo.root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('holds environment "production", not "staging"; nothing was changed.'),
    });
    expect(JSON.parse((await redis.client().hget('flagops:production:_flags', 'a'))!)).toMatchObject({ serve: { variant: 'on' } });
  });
});
