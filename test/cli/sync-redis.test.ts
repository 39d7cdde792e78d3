import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagops, flagopsAsync } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis-server.js';

const CANARY = 'canary-Pa55word-7731';
let redis: RedisServer;
let secured: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
  secured = await startRedis(['--requirepass', CANARY]);
});
afterAll(async () => {
  await redis?.stop();
  await secured?.stop();
});

let repos = 0;
/** A repository whose environments use their own key prefixes, so tests sharing a server never meet. */
function repoWithFlags(count = 3, prefixes = true) {
  const id = ++repos;
  const repo = new GitRepo(Object.fromEntries(Array.from({ length: count }, (_, i) => [`flags/f${i}.yaml`, flagFile('{ percentage: 10 }')])));
  if (prefixes) {
    repo.write({ 'flagops.config.yaml': `environments:\n  staging: { prefix: "t${id}:staging" }\n  production: { prefix: "t${id}:production" }\n` });
  }
  repo.commit();
  return { repo, staging: `t${id}:staging`, production: `t${id}:production` };
}

const noCanary = (result: { stdout: string; stderr: string }) => {
  expect(result.stdout).not.toContain(CANARY);
  expect(result.stderr).not.toContain(CANARY);
};

describe('flagops sync to Redis', () => {
  it('writes the layout of docs/redis-layout.md, atomically and once', async () => {
    const { repo } = repoWithFlags(3, false);
    const head = repo.git('rev-parse', 'HEAD');
    const subscriber = redis.client();
    const messages: string[] = [];
    await subscriber.subscribe('flagops:production:_changes');
    subscriber.on('message', (_, message) => messages.push(message));

    const result = flagops(['sync', '--env', 'production', '--redis', redis.url], repo.root);
    expect(result.stdout).toContain(`production (${redis.url} (prefix flagops:production))`);
    expect(result.code).toBe(0);

    const client = redis.client();
    expect(Object.keys(await client.hgetall('flagops:production:_flags')).sort()).toEqual(['f0', 'f1', 'f2']);
    expect(JSON.parse((await client.hget('flagops:production:_flags', 'f0'))!)).toMatchObject({ key: 'f0', serve: { percentage: 10 } });
    expect(await client.hgetall('flagops:production:_meta')).toMatchObject({ revision: '1', commit: head, format: '1' });
    const [[, fields]] = (await client.xrevrange('flagops:production:_audit', '+', '-', 'COUNT', 1)) as [[string, string[]]];
    expect(JSON.parse(fields[1]!)).toMatchObject({ kind: 'sync', commit: head, added: ['f0', 'f1', 'f2'] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messages.map((m) => JSON.parse(m))).toEqual([{ revision: 1, commit: head, changed: ['f0', 'f1', 'f2'] }]);

    const again = flagops(['sync', '--env', 'production', '--redis', redis.url], repo.root);
    expect(again.stdout).toMatch(/Up to date: nothing written/);
    expect(await client.hget('flagops:production:_meta', 'revision')).toBe('1');
  });

  it('finds the URL in FLAGOPS_REDIS_URL or in the variable the configuration names', async () => {
    const { repo } = repoWithFlags(1, false);
    repo.write({ 'flagops.config.yaml': 'environments:\n  staging: { prefix: "env:staging" }\n  production:\n    prefix: "{prod}"\n    redis: { urlEnv: PROD_REDIS_URL }\n' });
    repo.commit();
    const viaEnv = flagops(['sync', '--env', 'staging'], repo.root, { env: { FLAGOPS_REDIS_URL: redis.url } });
    expect(viaEnv.stdout).toContain('(prefix env:staging)');
    const viaConfig = flagops(['sync', '--env', 'production'], repo.root, { env: { PROD_REDIS_URL: redis.url } });
    expect(viaConfig.stdout).toContain('(prefix {prod})');
    expect(await redis.client().hget('{prod}:_meta', 'revision')).toBe('1');

    const unset = flagops(['sync', '--env', 'production'], repo.root);
    expect(unset).toMatchObject({
      code: 2,
      stderr:
        'flagops: Environment "production" reads its Redis URL from PROD_REDIS_URL, which is not set.\n' +
        'Set PROD_REDIS_URL (e.g. from a CI secret), or pass --redis.\n',
    });
  });

  it('never shows the password, whether the credentials are right or wrong', async () => {
    const { repo, production } = repoWithFlags(1);
    const good = flagops(['sync', '--env', 'production', '--redis', `redis://:${CANARY}@127.0.0.1:${secured.port}`], repo.root);
    expect(good.stdout).toContain(`redis://:***@127.0.0.1:${secured.port} (prefix ${production})`);
    expect(good.code).toBe(0);
    noCanary(good);

    const json = flagops(['plan', '--env', 'production', '--format', 'json', '--redis', `redis://:${CANARY}@127.0.0.1:${secured.port}`], repo.root);
    noCanary(json);

    const wrong = flagops(['sync', '--env', 'production', '--redis', `redis://:${CANARY}x@127.0.0.1:${secured.port}`], repo.root);
    expect(wrong.stderr).toMatch(/^flagops: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(prefix t\d+:production\) refused the credentials \(WRONGPASS\)\./);
    expect(wrong.code).toBe(2);
    noCanary(wrong);

    const none = flagops(['sync', '--env', 'production', '--redis', `redis://127.0.0.1:${secured.port}`], repo.root);
    expect(none.stderr).toMatch(/refused the credentials \(NOAUTH\)/);
    expect(none.code).toBe(2);
  });

  it('says so, with exit 2 and no stack trace, when Redis is not there', async () => {
    const { repo } = repoWithFlags(1, false);
    const port = await freePort();
    const result = flagops(['sync', '--env', 'production', '--redis', `redis://:${CANARY}@127.0.0.1:${port}`], repo.root);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        `flagops: Cannot reach Redis at redis://:***@127.0.0.1:${port} (prefix flagops:production): connection refused.\n` +
        'Check the host and port, that Redis runs, and that this machine may connect to it.\n',
    });
    const badUrl = flagops(['sync', '--env', 'production', '--redis', `http://user:${CANARY}@host`], repo.root);
    expect(badUrl.stderr).toMatch(/^flagops: The Redis URL must start with redis:\/\/ or rediss:\/\/, not http:\/\/\./);
    noCanary(badUrl);
  });

  it('works with least-privilege ACL users, and a reader cannot sync', async () => {
    const admin = redis.client();
    const prefix = 'flagops:acl';
    await admin.call(
      'ACL', 'SETUSER', 'flagops-sync', 'on', '>sync-secret', 'resetkeys', `~${prefix}:*`, 'resetchannels', `&${prefix}:_changes`,
      '-@all', '+ping', '+hgetall', '+hget', '+mget', '+multi', '+exec', '+watch', '+unwatch', '+xrevrange', '+hset', '+hdel', '+xadd', '+publish', '+set', '+del',
    );
    await admin.call(
      'ACL', 'SETUSER', 'flagops-reader', 'on', '>reader-secret', 'resetkeys', `%R~${prefix}:*`, 'resetchannels', `&${prefix}:_changes`,
      '-@all', '+ping', '+hgetall', '+hget', '+get', '+multi', '+exec', '+subscribe', '+unsubscribe',
    );
    const { repo } = repoWithFlags(2, false);
    repo.write({ 'flagops.config.yaml': `environments:\n  staging: {}\n  production:\n    prefix: "${prefix}"\n` }).commit();

    const asReader = flagops(['sync', '--env', 'production', '--redis', `redis://flagops-reader:reader-secret@127.0.0.1:${redis.port}`], repo.root);
    expect(asReader.stderr).toMatch(/does not allow this user to do that/);
    expect(asReader.code).toBe(2);
    expect(await admin.exists(`${prefix}:_flags`)).toBe(0);

    const asSync = flagops(['sync', '--env', 'production', '--redis', `redis://flagops-sync:sync-secret@127.0.0.1:${redis.port}`], repo.root);
    expect(asSync.code).toBe(0);
    expect(await admin.hlen(`${prefix}:_flags`)).toBe(2);

    // A reader set up before the recipe granted XREVRANGE still plans; it only cannot check the kill switches.
    const plan = flagops(['plan', '--env', 'production', '--redis', `redis://flagops-reader:reader-secret@127.0.0.1:${redis.port}`], repo.root);
    expect(plan.stdout).toMatch(/Up to date/);
    expect(plan.stdout).toMatch(/note: kill switches not checked against the audit: .*does not allow this user/);
  });

  it('kills and restores a flag at once, for every reader, and keeps the kill through a sync', async () => {
    const { repo, staging } = repoWithFlags(2);
    const url = redis.url;
    const env = ['--env', 'staging', '--redis', url];
    flagops(['sync', ...env], repo.root);
    const killed = flagops(['kill', 'f1', ...env, '--reason', 'errors in checkout', '--actor', 'oncall'], repo.root);
    expect(killed.stdout).toBe('Killed f1 in staging: everyone gets off (revision 2).\nUndo with: flagops unkill f1 --env staging\n');
    const client = redis.client();
    expect(JSON.parse((await client.hget(`${staging}:_overrides`, 'f1'))!)).toMatchObject({ variant: 'off', reason: 'errors in checkout', actor: 'oncall' });

    repo.write({ 'flags/f0.yaml': flagFile('{ percentage: 20 }') }).commit();
    expect(flagops(['sync', ...env], repo.root).stdout).toContain('override: f1 serves off (errors in checkout, by oncall); a sync keeps it');
    expect(await client.hexists(`${staging}:_overrides`, 'f1')).toBe(1);

    const status = flagops(['status', ...env], repo.root);
    expect(status.stdout).toMatch(/OVERRIDE: f1 serves off since .*, by oncall: errors in checkout/);
    expect(flagops(['unkill', 'f1', ...env], repo.root).code).toBe(0);
    expect(await client.hexists(`${staging}:_overrides`, 'f1')).toBe(0);
    expect(flagops(['kill', 'nope', ...env, '--reason', 'x'], repo.root)).toMatchObject({ code: 2, stderr: expect.stringMatching(/There is no flag "nope" in staging/) });
    expect(flagops(['kill', 'f0', ...env], repo.root)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Say why: --reason/) });
  });

  it('reports drift when a flag is changed behind its back', async () => {
    const { repo, production } = repoWithFlags(1);
    const env = ['--env', 'production', '--redis', redis.url];
    flagops(['sync', ...env], repo.root);
    await redis.client().hset(`${production}:_flags`, 'f0', '{"tampered":true}');
    const status = flagops(['status', ...env, '--format', 'json'], repo.root);
    expect(JSON.parse(status.stdout).environments[0]).toMatchObject({ drift: true, pending: 1 });
    const plan = flagops(['plan', ...env], repo.root);
    expect(plan.stdout).toContain('~ f0  replaces a value that is not a flagops flag (written outside flagops)');
  });
});

describe('simple per-flag keys (sync.simpleKeys)', () => {
  it('writes one GET-able key per flag it can express, warns about the others, and keeps them in step', async () => {
    const { repo, production } = repoWithFlags(2);
    repo.write({
      'flagops.config.yaml': `sync: { simpleKeys: true }\nenvironments:\n  staging: {}\n  production: { prefix: "${production}" }\n`,
      'flags/staged.yaml': flagFile('{ rollout: { stages: [{ at: 2026-11-20T00:00:00Z, percentage: 5 }] } }'),
    });
    repo.commit();
    const env = ['--env', 'production', '--redis', redis.url];
    const first = flagops(['sync', ...env], repo.root);
    expect(first.stdout).toContain('  simple keys: 2 to write, 0 to delete\n  warning: staged has no simple key: its rollout changes with time (stages)\n');
    const client = redis.client();
    expect(JSON.parse((await client.get(`${production}:f0`))!)).toEqual({
      enabled: true,
      percentage: 10,
      allowed_users: [],
      allowed_groups: [],
      variants: {},
    });
    expect(await client.exists(`${production}:staged`)).toBe(0);

    expect(flagops(['sync', ...env], repo.root).stdout).toMatch(/Up to date: nothing written/);
    repo.remove('flags/f1.yaml').write({ 'flags/f0.yaml': flagFile('off') }).commit();
    // One of three flags is a third: more than the 25% a sync may remove unless told to.
    expect(flagops(['sync', ...env, '--allow-delete'], repo.root).code).toBe(0);
    expect(JSON.parse((await client.get(`${production}:f0`))!)).toMatchObject({ enabled: true, percentage: 0 });
    expect(await client.exists(`${production}:f1`)).toBe(0);
  });
});

describe('connection timeouts', () => {
  it('gives up on a server that accepts and never answers, after --redis-timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const { repo } = repoWithFlags(1, false);
    const result = await flagopsAsync(['sync', '--env', 'production', '--redis', `redis://:${CANARY}@127.0.0.1:${port}`, '--redis-timeout', '300'], repo.root);
    for (const socket of sockets) socket.destroy();
    silent.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^flagops: Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(prefix flagops:production\): timed out after 300 ms\./);
    noCanary(result);
  });
});

describe('a Redis URL whose password holds an unencoded @', () => {
  it('is refused before connecting, with how to fix it, and no part of the password is shown', () => {
    const { repo } = repoWithFlags(1);
    for (const command of [['sync', '--env', 'staging'], ['status', '--env', 'staging'], ['kill', 'f0', '--env', 'staging', '--reason', 'x']]) {
      const result = flagops([...command, '--redis', `redis://u3:${CANARY}@9f8e7d@127.0.0.1:${redis.port}`], repo.root);
      expect(result.code, command[0]).toBe(2);
      expect(result.stderr).toContain('The Redis URL has more than one @ before its host: a user name or password with an @ in it must be percent-encoded (@ as %40).');
      noCanary(result);
      expect(result.stdout + result.stderr).not.toContain('9f8e7d');
    }
  });
});
