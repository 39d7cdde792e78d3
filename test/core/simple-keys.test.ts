import { describe, expect, it } from 'vitest';
import { compileFlag } from '../../src/core/serving/compile.js';
import type { EnvironmentDefinition, FlagDocument } from '../../src/core/definition/model.js';
import { planSimpleKeys, simpleView } from '../../src/core/serving/simple-keys.js';

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
        serve: { percentage: 12 },
      },
      { enabled: true, percentage: 12, allowed_users: ['u1', 'u2'], allowed_groups: ['beta'], variants: {} },
    ],
    [
      { enabled: true, serve: { split: { on: 30, off: 70 } } },
      { enabled: true, percentage: 30, allowed_users: [], allowed_groups: [], variants: {} },
    ],
    [{ enabled: true, serve: { split: { on: 0, off: 100 } } }, { enabled: true, percentage: 0, allowed_users: [], allowed_groups: [], variants: {} }],
    [
      { enabled: true, rules: [{ groups: ['beta'], serve: 'on' }], serve: { split: { on: 5, off: 95 } } },
      { enabled: true, percentage: 5, allowed_users: [], allowed_groups: ['beta'], variants: {} },
    ],
  ] as Array<[EnvironmentDefinition, unknown]>)('expresses %j exactly', (env, simple) => {
    expect(simpleView(compiled(env))).toEqual({ simple });
  });

  it('leaves out flags whose variants are not on/off, disabled or split: the shape says on or off', () => {
    const variants = { variants: { control: 'c', a: 'a' }, offVariant: 'control' };
    expect(simpleView(compiled({ enabled: true, serve: { split: { control: 50, a: 50 } } }, variants))).toEqual({ reason: 'its variants are not on: true / off: false' });
    expect(simpleView(compiled({ enabled: false }, variants))).toEqual({ reason: 'its variants are not on: true / off: false' });
  });

  it('says what a kill switch serves: everyone off, or everyone on', () => {
    const flag = compiled({ enabled: true, serve: { percentage: 30 } });
    expect(simpleView(flag, 'off')).toEqual({ simple: { enabled: false, percentage: 0, allowed_users: [], allowed_groups: [], variants: {} } });
    expect(simpleView(flag, 'on')).toEqual({ simple: { enabled: true, percentage: 100, allowed_users: [], allowed_groups: [], variants: {} } });
    const staged = compiled({ enabled: true, serve: { rollout: { stages: [{ at: '2026-11-20T00:00:00Z', percentage: 5 }] } } });
    expect(simpleView(staged, 'off')).toMatchObject({ simple: { enabled: false } });
  });

  it.each([
    [{ enabled: true, serve: { rollout: { stages: [{ at: '2026-11-20T00:00:00Z', percentage: 5 }] } } }, {}, 'its rollout changes with time (stages)'],
    [{ enabled: true, serve: { percentage: 5, stickiness: 'accountId' } }, {}, 'it buckets by accountId'],
    [{ enabled: true, serve: 'on' }, { salt: 'v2' }, 'it sets its own salt'],
    [{ enabled: true, rules: [{ name: 'pro', when: [{ attribute: 'plan', op: 'eq', value: 'pro' }], serve: 'on' }], serve: 'off' }, {}, 'rule pro tests attributes'],
    [{ enabled: true, rules: [{ users: ['u'], groups: ['g'], serve: 'on' }], serve: 'off' }, {}, 'a rule needs both a user and a group'],
    [{ enabled: true, rules: [{ name: 'beta', segments: ['beta'], serve: 'on' }], serve: 'off' }, {}, 'rule beta uses segments'],
    [{ enabled: true, serve: 'on' }, { requires: ['payments'] }, 'it requires payments (prerequisites are evaluated by the SDK)'],
    [{ enabled: true, rules: [{ groups: ['g'], serve: { percentage: 50 } }], serve: 'off' }, {}, 'a rule serves something other than on to everyone it matches'],
    [{ enabled: true, serve: { percentage: 12.5 } }, {}, '12.5 % is finer than the whole percentages simple readers compare'],
    [{ enabled: true, serve: { split: { on: 30.5, off: 69.5 } } }, {}, '30.5 % is finer than the whole percentages simple readers compare'],
    [{ enabled: true, serve: { split: { off: 70, on: 30 } } }, {}, 'its split gives on to buckets above off (list on first)'],
    [{ enabled: true, serve: { split: { off: 0, on: 100 } } }, {}, 'its split serves on only to users with an id (use serve: on for everyone)'],
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

describe('planSimpleKeys with live kill switches', () => {
  it('writes what the override serves, so a sync never puts back what a kill turned off', () => {
    const on = JSON.stringify(compiled({ enabled: true, serve: 'on' }, {}, 'on'));
    const everyoneOn = '{"enabled":true,"percentage":100,"allowed_users":[],"allowed_groups":[],"variants":{}}';
    const killed = '{"enabled":false,"percentage":0,"allowed_users":[],"allowed_groups":[],"variants":{}}';
    expect(planSimpleKeys(new Map([['on', on]]), new Map([['on', everyoneOn]]), new Map([['on', 'off']])).set).toEqual(new Map([['on', killed]]));
    expect(planSimpleKeys(new Map([['on', on]]), new Map([['on', killed]]), new Map([['on', 'off']])).set.size).toBe(0);
  });
});
