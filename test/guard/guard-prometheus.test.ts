import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagops, flagopsAsync, repoRoot } from '../helpers/cli.js';
import { hasPrometheus, type PrometheusServer, startPrometheus } from '../helpers/prometheus.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis-server.js';
import { tmpProject } from '../helpers/tmp.js';

const available = hasPrometheus();
if (!available && process.env.FLAGOPS_REQUIRE_PROMETHEUS) throw new Error('prometheus is not on PATH, and FLAGOPS_REQUIRE_PROMETHEUS says these tests must run');
if (!available) console.warn('guard tests skipped: Debian\'s prometheus is not installed (.ci/run installs it)');

const iso = (offsetMinutes: number) => new Date(Date.now() + offsetMinutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

const flagFile = (stages: string, guards = 'guards: [error-rate]\n') =>
  `description: Guarded.\nowner: "@octo-user"\ntype: release\ncreated: 2026-12-01\nexpires: 2027-01-05\n${guards}environments:\n  production:\n    enabled: true\n    serve:\n      rollout:\n        stages:\n${stages}`;

const stage = (minutes: number, percentage: number, extra = '') => `          - { at: ${iso(minutes)}, percentage: ${percentage}${extra} }\n`;

interface Service {
  port: number;
  child: ChildProcess;
  served(flag: string): Promise<{ on: number; revision: number }>;
  inject(flag: string, every: number): Promise<void>;
}

async function startService(redisUrl: string, flags: string[]): Promise<Service> {
  const child = spawn(process.execPath, [`${repoRoot}test/fixtures/guard/service.mjs`], {
    env: { PATH: process.env.PATH, REDIS_URL: redisUrl, FLAGS: flags.join(','), FLAGOPS_SDK: `${repoRoot}dist/index.js` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve((JSON.parse(String(chunk)) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the service exited (${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    child,
    served: async (flag) => (await fetch(`${base}/served?flag=${flag}`)).json() as Promise<{ on: number; revision: number }>,
    inject: async (flag, every) => void (await fetch(`${base}/inject?flag=${flag}&every=${every}`)),
  };
}

interface GuardJson {
  environments: Array<{
    revision: number | null;
    unavailable: number;
    flags: Array<{ flag: string; action: string; stage: number; summary: string; guards: Array<{ decision: string; why: string }> }>;
  }>;
}

describe.skipIf(!available)('flagops guard against a real Prometheus scraping a real service', () => {
  let redis: RedisServer;
  let prometheus: PrometheusServer;
  let service: Service;
  const dir = tmpProject();
  const env = () => ({ FLAGOPS_REDIS_URL: redis.url, ...(prometheus ? { FLAGOPS_METRICS_URL: prometheus.url } : {}) });
  const guard = async (...args: string[]) => {
    const r = await flagopsAsync(['guard', '--env', 'production', '--format', 'json', ...args], dir, env());
    return { ...r, json: r.stdout ? (JSON.parse(r.stdout) as GuardJson) : undefined };
  };
  const flagOf = (json: GuardJson | undefined, key: string) => json?.environments[0]?.flags.find((f) => f.flag === key);

  beforeAll(async () => {
    redis = await startRedis();
    mkdirSync(join(dir, 'flags'));
    writeFileSync(
      join(dir, 'flagops.config.yaml'),
      [
        'environments: { production: {} }',
        'metrics:',
        '  error-rate:',
        '    description: error rate',
        `    query: 'sum(increase(flagops_outcomes_total{flag="$flag",variant="$variant",environment="$environment",event="error"}[$window])) / sum(increase(flagops_evaluations_total{flag="$flag",variant="$variant",environment="$environment"}[$window]))'`,
        '    maxIncrease: 1%',
        '    window: 10s',
        '    minSamples: 200',
        '',
      ].join('\n'),
    );
    // healthy: at 10%, its 50% and 100% stages due; breaking: at 50% for a day; quiet: no service reads it.
    writeFileSync(join(dir, 'flags/healthy.yaml'), flagFile(stage(-60, 10) + stage(-50, 50) + stage(-40, 100)));
    writeFileSync(join(dir, 'flags/breaking.yaml'), flagFile(stage(-60, 50) + stage(24 * 60, 100)));
    writeFileSync(join(dir, 'flags/quiet.yaml'), flagFile(stage(-60, 10) + stage(-50, 50)));
    const sync = flagops(['sync', '--env', 'production', '--allow-dirty'], dir, { env: env() });
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    service = await startService(redis.url, ['healthy', 'breaking']);
    prometheus = await startPrometheus([`127.0.0.1:${service.port}`]);
  }, 60_000);

  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await prometheus?.stop();
    await redis?.stop();
  });

  it('the sync held every guarded stage it had not begun, so the service serves the first stage only', async () => {
    const status = flagops(['status', '--env', 'production'], dir, { env: env() });
    expect(status.stdout).toMatch(/HOLD: healthy: the rollout stage from \S+ waits for its guards \(error-rate\)/);
    expect(status.stdout).toMatch(/HOLD: breaking: the rollout stage from/);
    // Stage 2 of healthy (50%) is past its date, held: the service still serves about 10%.
    expect((await service.served('healthy')).on).toBeLessThan(20);
  });

  it('a healthy rollout advances through every stage once its guards pass, and no further', async () => {
    const deadline = Date.now() + 60_000;
    let stages: number[] = [];
    while (Date.now() < deadline) {
      const r = await guard();
      const f = flagOf(r.json, 'healthy');
      if (f) stages.push(f.stage);
      if (!f) break; // at 100%, no stage is left to gate: it is no longer a guarded rollout
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    stages = [...new Set(stages)];
    expect(stages).toEqual([1, 2]);
    expect((await service.served('healthy')).on).toBe(100);
    const status = flagops(['status', '--env', 'production', '--format', 'json'], dir, { env: env() });
    const audit = JSON.parse(status.stdout) as { environments: Array<{ recent: Array<{ kind: string; flag?: string }> }> };
    expect(audit.environments[0]!.recent.filter((e) => e.flag === 'healthy').map((e) => e.kind)).toEqual(['release', 'release']);
  }, 90_000);

  it('too few samples hold: a rollout no service reads never passes', async () => {
    const r = await guard('--dry-run');
    const quiet = flagOf(r.json, 'quiet')!;
    expect(quiet.action).toBe('none');
    expect(quiet.guards.every((g) => g.decision === 'hold')).toBe(true);
    expect(quiet.guards[0]!.why).toMatch(/no samples|fewer than 200/);
  });

  it('a regression injected for the new variant only is killed, and the running service serves off within a second', async () => {
    await service.inject('breaking', 5);
    const deadline = Date.now() + 60_000;
    let decidedAt = 0;
    let killed;
    while (Date.now() < deadline) {
      const r = await guard();
      killed = flagOf(r.json, 'breaking');
      if (killed?.action === 'kill') {
        decidedAt = Date.now();
        expect(r.code).toBe(1);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(killed?.action).toBe('kill');
    expect(killed!.summary).toMatch(/KILLED: serves off to everyone: error rate within \+1% of control over 10s: the increase over control is \+\d/);
    let on = 100;
    while (Date.now() - decidedAt < 1000 && on > 0) on = (await service.served('breaking')).on;
    expect(on).toBe(0);
    const status = JSON.parse(flagops(['status', '--env', 'production', '--format', 'json'], dir, { env: env() }).stdout) as {
      environments: Array<{
        overrides: Array<{ flag: string; variant: string; actor: string; reason: string }>;
        recent: Array<{ kind: string; flag?: string; guards?: Array<{ metric: string; query: string; decision: string }> }>;
      }>;
    };
    const override = status.environments[0]!.overrides.find((o) => o.flag === 'breaking')!;
    expect(override).toMatchObject({ variant: 'off', actor: 'flagops guard' });
    expect(override.reason).toMatch(/^guard breached: error rate/);
    const entry = status.environments[0]!.recent.find((e) => e.kind === 'kill' && e.flag === 'breaking')!;
    const breach = entry.guards!.find((g) => g.decision === 'breach');
    expect(breach).toMatchObject({ metric: 'error-rate', query: expect.stringContaining('flag="breaking",variant="on",environment="production"') });
  }, 90_000);

  it('a metrics source that is down holds every guard, says so, and changes nothing', async () => {
    const before = (await service.served('quiet')).revision;
    const closed = await freePort();
    const r = await flagopsAsync(['guard', '--env', 'production', '--metrics-url', `http://127.0.0.1:${closed}`], dir, env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/could not read the metrics source: they hold, never pass/);
    expect(r.stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+ did not answer \(ECONNREFUSED\)/);
    expect((await service.served('quiet')).revision).toBe(before);
  });

  it('a hostile or malformed query answer is refused: the guard holds and says why', async () => {
    const answers = [
      ['text/html', '<html>login</html>', /not JSON/],
      ['application/json', JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.1'] }, { metric: {}, value: [1, '0.2'] }] } }), /2 series, not one/],
      ['application/json', JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'lots'] }] } }), /not a number/],
      ['application/json', JSON.stringify({ status: 'error', error: 'parse error at char 3' }), /the query failed: parse error/],
      ['application/json', `{"status":"success","data":{"resultType":"vector","result":[{"value":[1,"${'9'.repeat(2_000_000)}"]}]}}`, /more than 1048576 bytes/],
    ] as const;
    for (const [type, body, why] of answers) {
      const server: Server = createServer((_, res) => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const r = await flagopsAsync(['guard', '--env', 'production', '--dry-run', '--format', 'json', '--metrics-url', url], dir, env());
        const json = JSON.parse(r.stdout) as GuardJson;
        const quiet = flagOf(json, 'quiet')!;
        expect(quiet.guards[0]!.decision).toBe('hold');
        expect(quiet.guards[0]!.why).toMatch(why);
        expect(r.code).toBe(1);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});
