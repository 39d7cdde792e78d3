import { describe, expect, it } from 'vitest';
import { compileFlag } from '../../src/core/compile.js';
import type { EnvironmentDefinition, FlagDocument } from '../../src/core/model.js';
import { planSimpleKeys, simpleView } from '../../src/core/simple-keys.js';

const compiled = (production: EnvironmentDefinition, extra: Partial<FlagDocument> = {}, key = 'f') =>
  compileFlag(key, { description: 'd', owner: '@a', type: 'ops', created: '2026-11-10', environments: { production }, ...extra }, 'production');

describe('simpleView', () => {
  it.each([
    [{ enabled: false }, { enabled: false, percentage: 0, allowed_users: [], allowed_groups: [], variants: {} }],
    [{ enabled: true, serve: 'on' }, { enabled: true, percentage: 100, allowed_users: [], allowed_groups: [], variants: {} }],
    [
      {
        enabled: true,
        rules: [
          { users: ['u1', 'u2'], serve: 'on' },
          { groups: ['beta'], serve: 'on' },
        ],
        serve: { percentage: 12.5 },
      },
      { enabled: true, percentage: 12.5, allowed_users: ['u1', 'u2'], allowed_groups: ['beta'], variants: {} },
    ],
  ] as Array<[EnvironmentDefinition, unknown]>)('expresses %j exactly', (env, simple) => {
    expect(simpleView(compiled(env))).toEqual({ simple });
  });

  it('expresses a split as variant weights', () => {
    const flag = compiled({ enabled: true, serve: { split: { control: 50, a: 50 } } }, { variants: { control: 'c', a: 'a' }, offVariant: 'control' });
    expect(simpleView(flag)).toEqual({
      simple: { enabled: true, percentage: 100, allowed_users: [], allowed_groups: [], variants: { control: 50, a: 50 } },
    });
  });

  it.each([
    [{ enabled: true, serve: { rollout: { stages: [{ at: '2026-11-20T00:00:00Z', percentage: 5 }] } } }, {}, 'its rollout changes with time (stages)'],
    [{ enabled: true, serve: { percentage: 5, stickiness: 'accountId' } }, {}, 'it buckets by accountId'],
    [{ enabled: true, serve: 'on' }, { salt: 'v2' }, 'it sets its own salt'],
    [{ enabled: true, rules: [{ name: 'pro', when: [{ attribute: 'plan', op: 'eq', value: 'pro' }], serve: 'on' }], serve: 'off' }, {}, 'rule pro tests attributes'],
    [{ enabled: true, rules: [{ users: ['u'], groups: ['g'], serve: 'on' }], serve: 'off' }, {}, 'a rule needs both a user and a group'],
  ] as Array<[EnvironmentDefinition, Partial<FlagDocument>, string]>)('refuses %j: %s', (env, extra, reason) => {
    expect(simpleView(compiled(env, extra))).toEqual({ reason });
  });
});

describe('planSimpleKeys', () => {
  it('writes what differs and deletes keys of removed or inexpressible flags', () => {
    const on = JSON.stringify(compiled({ enabled: true, serve: 'on' }, {}, 'on'));
    const staged = JSON.stringify(compiled({ enabled: true, serve: { rollout: { stages: [{ at: '2026-11-20T00:00:00Z', percentage: 5 }] } } }, {}, 'staged'));
    const live = new Map([
      ['staged', '{"enabled":true}'],
      ['gone', '{"enabled":true}'],
    ]);
    const plan = planSimpleKeys(new Map([['on', on], ['staged', staged]]), live);
    expect(plan.set).toEqual(new Map([['on', '{"enabled":true,"percentage":100,"allowed_users":[],"allowed_groups":[],"variants":{}}']]));
    expect(plan.remove.sort()).toEqual(['gone', 'staged']);
    expect(plan.skipped).toEqual([{ key: 'staged', reason: 'its rollout changes with time (stages)' }]);
  });
});
