import { describe, expect, it } from 'vitest';
import { compileEnvironment } from '../../src/core/serving/compile.js';
import type { FlagDocument } from '../../src/core/definition/model.js';
import { deleteGuard, planSync } from '../../src/core/change/plan.js';

const flag = (overrides: Partial<FlagDocument> = {}): FlagDocument => ({
  description: 'd',
  owner: '@a',
  type: 'ops',
  created: '2026-11-10',
  environments: { production: { enabled: true, serve: 'on' } },
  ...overrides,
});
const env = (flags: Record<string, FlagDocument>) =>
  compileEnvironment(Object.entries(flags).map(([key, definition]) => ({ key, definition })), 'production');

describe('planSync', () => {
  it('describes what each change does to users', () => {
    const before = env({
      a: flag(),
      b: flag({ environments: { production: { enabled: true, serve: { percentage: 5 } } } }),
      c: flag(),
      d: flag({
        environments: {
          production: { enabled: true, rules: [{ name: 'staff', groups: ['employees'], serve: 'on' }], serve: 'off' },
        },
      }),
    });
    const after = env({
      a: flag({ environments: { production: { enabled: false } } }),
      b: flag({ environments: { production: { enabled: true, serve: { percentage: 25, stickiness: 'accountId' } } } }),
      d: flag({
        salt: 'v2',
        environments: {
          production: {
            enabled: true,
            rules: [
              { name: 'beta', groups: ['beta'], serve: 'on' },
              { name: 'staff', groups: ['employees', 'contractors'], serve: 'on' },
            ],
            serve: 'off',
          },
        },
      }),
      e: flag({ variants: { a: 'x', b: 'y' }, offVariant: 'a', environments: { production: { enabled: true, serve: { split: { a: 50, b: 50 } } } } }),
    });
    const plan = planSync(after, { flags: before.flags, checksum: before.checksum });
    expect(plan.changes).toEqual([
      { key: 'a', kind: 'changed', details: ['turned off: everyone gets off'] },
      { key: 'b', kind: 'changed', details: ['everyone else: 5% on → 25% on by accountId'] },
      { key: 'c', kind: 'removed', details: ['removed'] },
      {
        key: 'd',
        kind: 'changed',
        details: [
          'new rule "beta": groups beta → on',
          'rule "staff": groups employees → on ⇒ groups employees, contractors → on',
          'salt changed: every user is bucketed anew',
        ],
      },
      { key: 'e', kind: 'added', details: ['new flag: serves a 50% / b 50%'] },
    ]);
    expect(plan.upserts.size).toBe(4);
    expect(plan.removals).toEqual(['c']);
    expect(plan.drift).toBe(false);
  });

  it('writes nothing when nothing changed, and sees drift', () => {
    const desired = env({ a: flag() });
    expect(planSync(desired, { flags: desired.flags, checksum: desired.checksum })).toMatchObject({ changes: [], unchanged: 1, drift: false });
    const tampered = new Map([['a', '{"key":"a"}']]);
    expect(planSync(desired, { flags: tampered, checksum: desired.checksum }).drift).toBe(true);
  });
});

describe('deleteGuard', () => {
  const planRemoving = (n: number) => ({ ...planSync(env({}), { flags: new Map() }), removals: Array.from({ length: n }, (_, i) => `k${i}`), environment: 'production' });
  it.each([
    [0, 10, false],
    [2, 10, false],
    [3, 10, true],
    [10, 10, true],
    [1, 1, true],
  ])('removing %i of %i refused: %s', (removing, live, refused) => {
    expect(deleteGuard(planRemoving(removing), live).refused).toBe(refused);
  });
});
