import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cliPath, flagops } from '../helpers/cli.js';
import { freePort } from '../helpers/redis-server.js';
import { GitRepo } from '../helpers/git-repo.js';

const config = [
  'environments: { production: {} }',
  'metrics:',
  '  error-rate:',
  '    description: error rate',
  `    query: 'sum(rate(errors{flag="$flag",variant="$variant"}[$window]))'`,
  '    maxIncrease: 0.5%',
  '',
].join('\n');

const guarded = (stage2: string) =>
  `description: d\nowner: "@octo-user"\ntype: release\ncreated: 2026-12-01\nexpires: 2027-01-05\nguards: [error-rate]\nenvironments:\n  production:\n    enabled: true\n    serve:\n      rollout:\n        stages:\n          - { at: 2026-12-01T00:00:00Z, percentage: 10 }\n          - { at: ${stage2}, percentage: 50 }\n`;

describe('guarded rollouts from the command line', () => {
  it('say the guards in words in plan and diff, hold what they gate, and show the hold in status and eval', () => {
    const repo = new GitRepo({ 'flagops.config.yaml': config, 'flags/new-checkout.yaml': guarded('2026-12-02T00:00:00Z'), '.gitignore': '.flagops/\n' });
    repo.commit('a guarded rollout');
    const env = { FLAGOPS_NOW: '2026-12-07T12:00:00Z' };
    const plan = flagops(['plan', '--env', 'production'], repo.root, { env });
    expect(plan.stdout).toContain('50% from 2026-12-02 00:00Z only if error rate stays within +0.5% of control over 10m');
    expect(flagops(['sync', '--env', 'production'], repo.root, { env }).code).toBe(0);
    const status = flagops(['status', '--env', 'production'], repo.root, { env });
    expect(status.stdout).toContain('HOLD: new-checkout: the rollout stage from 2026-12-02T00:00:00.000Z waits for its guards (error-rate)');
    // The stage's date has passed, and it is held: a user between 10 and 50 in the bucket gets "on"
    // from the files alone (stage 2) and "off" from the store (held at stage 1).
    type Eval = { variant: string; positions?: Record<string, number> };
    const evalOf = (context: string, ...more: string[]) =>
      JSON.parse(flagops(['eval', 'new-checkout', '--env', 'production', '--context', context, '--format', 'json', ...more], repo.root, { env }).stdout) as Eval;
    let between: string | undefined;
    for (let i = 0; i < 30 && !between; i++) {
      const position = evalOf(JSON.stringify({ userId: `u${i}` })).positions?.userId ?? 0;
      if (position >= 10 && position < 50) between = JSON.stringify({ userId: `u${i}` });
    }
    expect(evalOf(between!).variant).toBe('on');
    expect(evalOf(between!, '--live').variant).toBe('off');
    const text = flagops(['eval', 'new-checkout', '--env', 'production', '--context', '{"userId":"u1"}'], repo.root, { env });
    expect(text.stdout).toMatch(/live {6}.* holds the rollout: stages from 2026-12-02T00:00:00.000Z wait for guards \(error-rate\)/);

    repo.write({ 'flags/new-checkout.yaml': guarded('2026-12-20T00:00:00Z') });
    repo.commit('move stage 2');
    const diff = flagops(['diff', '--base', 'HEAD~1', '--head', 'HEAD'], repo.root, { env });
    expect(diff.stdout).toContain('50% from 2026-12-20 00:00Z only if error rate stays within +0.5% of control over 10m');

    const released = flagops(['unkill', 'new-checkout', '--env', 'production'], repo.root, { env });
    expect(released.stdout).toContain('Released the hold on new-checkout in production');
  });

  it('refuses to run without a metrics source, and names what to set', () => {
    const repo = new GitRepo({ 'flagops.config.yaml': 'environments: { production: {} }\n' });
    const r = flagops(['guard'], repo.root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('flagops guard needs a metrics source, and none is set.');
    expect(r.stderr).toContain('FLAGOPS_METRICS_URL');
    const token = flagops(['guard'], repo.root, { env: { FLAGOPS_METRICS_URL: 'http://127.0.0.1:9' } });
    expect(token.stdout).toMatch(/production \(file \.flagops\/store\/production\.json\): no guarded rollout/);
    expect(token.code).toBe(0);
    const bad = flagops(['guard', '--interval', 'soon', '--watch'], repo.root, { env: { FLAGOPS_METRICS_URL: 'http://127.0.0.1:9' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--interval must be a number of seconds');
    expect(flagops(['guard', '--help'], repo.root).stdout).toContain('Usage: flagops guard [options]');
  });

  it('--watch decides round after round until it is stopped, and then exits 0', async () => {
    const repo = new GitRepo({ 'flagops.config.yaml': config, 'flags/new-checkout.yaml': guarded('2030-01-01T00:00:00Z') });
    expect(flagops(['sync', '--env', 'production', '--allow-dirty'], repo.root).code).toBe(0);
    const child = spawn(process.execPath, [cliPath, 'guard', '--watch', '--interval', '1', '--format', 'json'], {
      cwd: repo.root,
      env: { PATH: process.env.PATH, FLAGOPS_METRICS_URL: `http://127.0.0.1:${await freePort()}` },
    });
    let rounds = 0;
    child.stdout.on('data', (chunk: Buffer) => (rounds += String(chunk).split('\n').filter((line) => line.startsWith('{"tool"')).length));
    const deadline = Date.now() + 20_000;
    while (rounds < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rounds).toBeGreaterThanOrEqual(2);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
  });

  it('reports a guard on a metric the configuration lacks at its line and column', () => {
    const repo = new GitRepo({ 'flagops.config.yaml': config, 'flags/f.yaml': guarded('2026-12-02T00:00:00Z').replace('guards: [error-rate]', 'guards: [errors]') });
    const r = flagops(['validate'], repo.root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('flags/f.yaml:6:10 error guard-invalid');
    expect(r.stdout).toContain('The guard names metric "errors", which flagops.config.yaml does not define.');
  });
});
