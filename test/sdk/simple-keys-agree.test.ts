/**
 * Simple per-flag keys against the SDK, as a service in another language would meet them: flagops
 * syncs the repository's example flags and a set of generated ones to a real Redis with
 * `sync.simpleKeys: true` (the CLI, as a user runs it), kills and restores some, and an independent
 * reader that follows docs/redis-layout.md's recipe to the letter must agree with the SDK for every
 * user of a 5,000-id population (groups included) wherever a simple key exists.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { flagops, repoRoot } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

type Context = { userId?: string; groups?: string[] | string };

/** docs/redis-layout.md#simple-per-flag-keys, step by step, knowing nothing of flagops' code. */
function simpleReader(raw: string, key: string, context: Context): boolean {
  const flag = JSON.parse(raw) as { enabled: boolean; percentage: number; allowed_users: string[]; allowed_groups: string[] };
  if (!flag.enabled) return false;
  const user = context.userId;
  if (user !== undefined && flag.allowed_users.includes(user)) return true;
  const groups = typeof context.groups === 'string' ? [context.groups] : (context.groups ?? []);
  if (groups.some((group) => flag.allowed_groups.includes(group))) return true;
  if (flag.percentage === 100) return true;
  if (user === undefined || user === '') return false;
  const bucket = BigInt(`0x${createHash('md5').update(`${key}:${user}`, 'utf8').digest('hex')}`) % 100n;
  return Number(bucket) < flag.percentage;
}

/** 5,000 users, some in groups (as a list, or one string); plus visitors with groups and no id. */
function population(): Context[] {
  const people: Context[] = [];
  for (let i = 0; i < 5_000; i++) {
    const groups = i % 7 === 0 ? ['staff', 'beta'] : i % 5 === 0 ? ['beta'] : i % 11 === 0 ? 'staff' : undefined;
    people.push({ userId: `user-${i}`, ...(groups ? { groups } : {}) });
  }
  for (let i = 0; i < 50; i++) people.push({ groups: i % 2 ? ['beta'] : [] });
  people.push({ userId: '' });
  return people;
}

/** A small deterministic generator (mulberry32): the same flags on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Flag files of every shape the simple recipe meets: the exact ones and the look-alikes. */
function generatedFlags(count: number): Record<string, string> {
  const next = random(20261127);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const whole = () => Math.floor(next() * 101);
  const serves = [
    () => 'on',
    () => 'off',
    () => `{ percentage: ${whole()} }`,
    () => `{ percentage: ${(Math.floor(next() * 10_000) / 100).toFixed(2)} }`,
    () => {
      const on = whole();
      return `{ split: { on: ${on}, off: ${100 - on} } }`;
    },
    () => {
      const on = whole();
      return `{ split: { off: ${100 - on}, on: ${on} } }`;
    },
    () => '{ split: { on: 12.5, off: 87.5 } }',
    () => `{ percentage: ${whole()}, stickiness: accountId }`,
    () => `{ rollout: { stages: [{ at: "2026-01-01T00:00:00Z", percentage: ${whole()} }] } }`,
  ];
  const rules = [
    () => `{ users: [user-${Math.floor(next() * 20_000)}, user-${Math.floor(next() * 20_000)}], serve: on }`,
    () => '{ groups: [beta], serve: on }',
    () => '{ groups: [staff], serve: off }',
    () => `{ groups: [staff], serve: { percentage: ${whole()} } }`,
    () => '{ name: pro, when: [{ attribute: plan, op: eq, value: pro }], serve: on }',
  ];
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const key = `gen-${String(i).padStart(3, '0')}`;
    const strings = next() < 0.1;
    const serve = strings ? `{ split: { a: 50, b: 30, c: 20 } }` : pick(serves)();
    const ruleList = strings || next() < 0.5 ? [] : Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(rules)());
    const enabled = next() < 0.9;
    files[`flags/generated/${key}.yaml`] = [
      'description: A generated flag.',
      'owner: "@acme/test"',
      'type: ops',
      'created: 2026-11-20',
      ...(strings ? ['variants: { a: alpha, b: beta, c: gamma }', 'offVariant: a'] : []),
      ...(next() < 0.08 ? ['salt: another-salt'] : []),
      'environments:',
      '  production:',
      `    enabled: ${enabled}`,
      ...(ruleList.length ? ['    rules:', ...ruleList.map((r) => `      - ${r}`)] : []),
      `    serve: ${serve}`,
      '',
    ].join('\n');
  }
  return files;
}

function exampleFlags(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.yaml')) files[relative(repoRoot, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(join(repoRoot, 'flags'));
  walk(join(repoRoot, 'segments'));
  return files;
}

const config = `paths: { flags: flags }
environments:
  staging: {}
  production: {}
types:
  release: { requireExpires: true, maxLifetimeDays: 40 }
  experiment: { requireExpires: true, maxLifetimeDays: 40 }
sync: { simpleKeys: true }
`;

async function disagreements(env: string, people: Context[]) {
  const client = createFlagClient({ url: redis.url, env, timeoutMs: 5000 });
  await client.ready();
  const reader = redis.client();
  const keys = client.keys().sort();
  const values = await reader.mget(keys.map((key) => `flagops:${env}:${key}`));
  const simple = new Map(keys.flatMap((key, i) => (values[i] ? [[key, values[i]!] as const] : [])));
  const wrong: string[] = [];
  for (const [key, raw] of simple) {
    let count = 0;
    for (const person of people) if (client.isEnabled(key, person) !== simpleReader(raw, key, person)) count++;
    if (count > 0) wrong.push(`${env}/${key}: ${count} of ${people.length} disagree (${raw})`);
  }
  await client.close();
  return { wrong, simple };
}

describe('simple per-flag keys', () => {
  it('agree with the SDK for every user wherever they exist, through syncs, kills and restores', { timeout: 60_000 }, async () => {
    const repo = new GitRepo({ 'flagops.config.yaml': config, ...exampleFlags(), ...generatedFlags(150) });
    repo.commit('flags');
    const sync = flagops(['sync', '--all-envs', '--redis', redis.url], repo.root);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    const people = population();

    const first = await disagreements('production', people);
    expect(first.wrong).toEqual([]);
    // The simple shape exists for a good share of the flags, and is absent where it cannot be exact.
    expect(first.simple.size).toBeGreaterThan(40);
    const staging = await disagreements('staging', people);
    expect(staging.wrong).toEqual([]);

    // Kill switches reach simple readers in the same transaction, and a later sync keeps them.
    const live = [...first.simple.entries()].filter(([key, raw]) => key.startsWith('gen-') && JSON.parse(raw).enabled);
    const [off, on, restored] = live.map(([key]) => key);
    const run = (...args: string[]) => {
      const r = flagops([...args, '--env', 'production', '--redis', redis.url], repo.root);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    };
    run('kill', off!, '--reason', 'incident');
    run('kill', on!, '--reason', 'force it on', '--variant', 'on');
    run('kill', restored!, '--reason', 'brief');
    run('unkill', restored!);
    const killed = await disagreements('production', people);
    expect(killed.wrong).toEqual([]);
    expect(JSON.parse(killed.simple.get(off!)!)).toMatchObject({ enabled: false });
    expect(JSON.parse(killed.simple.get(on!)!)).toMatchObject({ enabled: true, percentage: 100 });
    expect(killed.simple.get(restored!)).toBe(first.simple.get(restored!));

    run('sync');
    const afterSync = await disagreements('production', people);
    expect(afterSync.wrong).toEqual([]);
    expect(afterSync.simple).toEqual(killed.simple);
  });
});
