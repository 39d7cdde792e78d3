import { describe, expect, it } from 'vitest';
import { guardEnvironment } from '../../src/cli/flows/guard.js';
import { loadProject } from '../../src/cli/flows/project.js';
import { openEnvironmentStore } from '../../src/cli/flows/sync-session.js';
import type { ParsedArgs } from '../../src/cli/command.js';
import type { QuerySource } from '../../src/metrics/prometheus-query.js';
import { isHold, isKill } from '../../src/store/store.js';
import { flagops } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';

const config = [
  'environments: { production: {} }',
  'metrics:',
  '  error-rate:',
  `    query: 'errors{flag="$flag",variant="$variant"}'`,
  `    samples: 'requests{flag="$flag",variant="$variant"}'`,
  '    maxIncrease: 0.5%',
  '    minSamples: 100',
  '',
].join('\n');

const flag = (key: string) =>
  [
    `description: ${key}`,
    'owner: "@octo-user"',
    'type: release',
    'created: 2026-12-01',
    'expires: 2027-01-05',
    'guards: [error-rate]',
    'environments:',
    '  production:',
    '    enabled: true',
    '    serve:',
    '      rollout:',
    '        stages:',
    '          - { at: 2026-12-01T00:00:00Z, percentage: 10 }',
    '          - { at: 2026-12-02T00:00:00Z, percentage: 50 }',
    '',
  ].join('\n');

/**
 * Measurements that pass every guard (no errors in either group, plenty of samples), and that
 * let the test act between the guard's read of the store and its write.
 */
function healthySource(beforeFirstAnswer: () => void): QuerySource {
  let first = true;
  return {
    label: 'in-process measurements',
    async instant(query: string) {
      if (first) {
        first = false;
        beforeFirstAnswer();
      }
      return query.startsWith('requests') ? 10_000 : 0;
    },
  };
}

const args: ParsedArgs = { values: {}, positionals: [] };

describe('flagops guard racing other writers', () => {
  it('a kill landing while the guard measures is never undone: the guard plans again from what is live', async () => {
    const repo = new GitRepo({ 'flagops.config.yaml': config, 'flags/a.yaml': flag('a'), 'flags/b.yaml': flag('b') });
    const env = { FLAGOPS_NOW: '2026-12-07T12:00:00Z' };
    expect(flagops(['sync', '--env', 'production', '--allow-dirty'], repo.root, { env }).code).toBe(0);
    const project = loadProject(repo.root);
    const io = { cwd: repo.root, env: { ...process.env, ...env }, stdout: () => {}, stderr: () => {}, isTTY: false };
    const store = await openEnvironmentStore(project, 'production', args, io);
    try {
      const before = await store.read();
      expect(isHold(before.overrides.get('a'))).toBe(true);
      expect(isHold(before.overrides.get('b'))).toBe(true);

      // The guard has read the store (both held) and is measuring when someone kills `a`.
      const source = healthySource(() => {
        const killed = flagops(['kill', 'a', '--env', 'production', '--reason', 'by hand'], repo.root, { env });
        expect(killed.code).toBe(0);
      });
      const result = await guardEnvironment(project, 'production', store, source, { dryRun: false, now: () => Date.parse(env.FLAGOPS_NOW) });

      const after = await store.read();
      const a = after.overrides.get('a');
      expect(isKill(a) && a.reason).toBe('by hand');
      // `b`'s guard passed: its hold is released in the same run.
      expect(after.overrides.has('b')).toBe(false);
      expect(result.flags.map((f) => f.flag)).toEqual(['b']);
      expect(result.revision).toBe((before.meta?.revision ?? 0) + 2);
      const audit = await store.readAudit(10);
      expect(audit.map((e) => `${e.kind}:${e.flag}`)).toEqual(expect.arrayContaining(['kill:a', 'release:b']));
      expect(audit.some((e) => e.kind === 'release' && e.flag === 'a')).toBe(false);
    } finally {
      await store.close();
    }
  });
});
