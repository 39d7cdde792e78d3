import { describe, expect, it } from 'vitest';
import { blastRadius, describeBlastRadius, generatedPopulation } from '../../src/core/change/blast-radius.js';
import { compileFlag } from '../../src/core/serving/compile.js';
import type { EnvironmentDefinition, FlagDocument } from '../../src/core/definition/model.js';

const now = Date.parse('2026-11-25T12:00:00Z');
const flag = (production: EnvironmentDefinition, extra: Partial<FlagDocument> = {}) =>
  compileFlag('f', { description: 'd', owner: '@a/b', type: 'ops', created: '2026-11-01', environments: { production }, ...extra }, 'production');
const ab = { variants: { control: 'c', a: 'a', b: 'b' }, offVariant: 'control' };
const stages = (...percentages: number[]) => ({
  rollout: { stages: percentages.map((percentage, i) => ({ at: `2026-11-2${i}T00:00:00Z`, percentage })) },
});

describe('blast radius, exact', () => {
  it.each([
    ['a percentage 5% → 25%', { enabled: true, serve: { percentage: 5 } }, { enabled: true, serve: { percentage: 25 } }, {}, 20, [['off', 'on', 20]]],
    ['a percentage 60% → 10%', { enabled: true, serve: { percentage: 60 } }, { enabled: true, serve: { percentage: 10 } }, {}, 50, [['on', 'off', 50]]],
    ['turned on at 25%', { enabled: false }, { enabled: true, serve: { percentage: 25 } }, {}, 25, [['off', 'on', 25]]],
    ['turned off from everyone', { enabled: true, serve: 'on' }, { enabled: false }, {}, 100, [['on', 'off', 100]]],
    // control [0,50) a [50,75) b [75,100) → control [0,20) a [20,60) b [60,100): 30 control→a, 15 a→b.
    ['a split reweighted', { enabled: true, serve: { split: { control: 50, a: 25, b: 25 } } }, { enabled: true, serve: { split: { control: 20, a: 40, b: 40 } } }, ab, 45, [['control', 'a', 30], ['a', 'b', 15]]],
    // Stages read at 2026-11-25: the third stage (50%) against the second (20%) of the other schedule.
    ['a schedule', { enabled: true, serve: stages(1, 10, 20) }, { enabled: true, serve: stages(1, 10, 50) }, {}, 30, [['off', 'on', 30]]],
    // A new salt: buckets are independent, so 50% · 50% move each way.
    ['a new salt at 50%', { enabled: true, serve: { percentage: 50 } }, { enabled: true, serve: { percentage: 50 } }, { salt: 'v2' }, 50, [['off', 'on', 25], ['on', 'off', 25]]],
  ] as Array<[string, EnvironmentDefinition, EnvironmentDefinition, Partial<FlagDocument>, number, Array<[string, string, number]>]>)(
    '%s',
    (_name, before, after, extra, share, moves) => {
      const { salt, ...rest } = extra;
      const blast = blastRadius(flag(before, rest), flag(after, extra), now);
      expect(blast.exact).toBe(true);
      expect(blast.share).toBeCloseTo(share, 6);
      expect(blast.moves.map((m) => [m.from, m.to, m.share])).toEqual(moves);
      void salt;
    },
  );

  it('says it in the words of the review', () => {
    const blast = blastRadius(
      flag({ enabled: true, rules: [{ name: 'staff', groups: ['employees'], serve: 'on' }], serve: { percentage: 5 } }),
      flag({ enabled: true, rules: [{ name: 'staff', groups: ['employees'], serve: 'on' }], serve: { percentage: 25 } }),
      now,
    );
    expect(describeBlastRadius(blast)).toBe('20.0% of users that no rule matches change from off to on (percentage 5% → 25%)');
    expect(blast.allowlists).toEqual(['rule "staff" (groups employees): no change']);
  });
});

describe('blast radius, estimated', () => {
  it('counts a rule change on the population, by rule, and lists allowlist changes', () => {
    const population = {
      contexts: [
        ...Array.from({ length: 60 }, (_, i) => ({ userId: `u-${i}`, plan: 'pro' })),
        ...Array.from({ length: 40 }, (_, i) => ({ userId: `v-${i}`, plan: 'free', groups: i < 10 ? ['beta'] : [] })),
      ],
      name: '100 contexts',
    };
    const blast = blastRadius(
      flag({ enabled: true, rules: [{ name: 'beta', groups: ['beta'], users: ['u-1'], serve: 'on' }], serve: 'off' }),
      flag({ enabled: true, rules: [{ name: 'pro', when: [{ attribute: 'plan', op: 'eq', value: 'pro' }], serve: 'on' }, { name: 'beta', groups: ['beta'], serve: 'on' }], serve: 'off' }),
      now,
      population,
    );
    // Before, the rule needed the group and the user at once: nobody. After, the pro plan and the group.
    expect(blast).toMatchObject({
      exact: false,
      share: 70,
      of: '100 contexts',
      moves: [{ from: 'off', to: 'on', share: 70 }],
      byRule: [
        { rule: 'pro', share: 60 },
        { rule: 'beta', share: 10 },
      ],
    });
    expect(blast.allowlists).toEqual(['rule "beta" (groups beta): - users u-1']);
  });

  it.each([
    ['a percentage', { enabled: true, serve: { percentage: 5 } }, { enabled: true, serve: { percentage: 25 } }, {}],
    ['a split', { enabled: true, serve: { split: { control: 50, a: 25, b: 25 } } }, { enabled: true, serve: { split: { control: 20, a: 40, b: 40 } } }, ab],
    ['a new salt', { enabled: true, serve: { percentage: 50 } }, { enabled: true, serve: { percentage: 50 } }, { salt: 'v2' }],
  ] as Array<[string, EnvironmentDefinition, EnvironmentDefinition, Partial<FlagDocument>]>)(
    'on 100,000 ids lands within 0.6 points of the exact share: %s',
    (_name, before, after, extra) => {
      const { salt: _salt, ...rest } = extra;
      const [a, b] = [flag(before, rest), flag(after, extra)];
      const exact = blastRadius(a, b, now);
      const estimate = blastRadius(a, b, now, generatedPopulation(100_000));
      expect(estimate.exact).toBe(false);
      // Standard error at p = 0.5 and n = 100,000 is 0.16 points: 0.6 is nearly four of them.
      expect(Math.abs(estimate.share - exact.share)).toBeLessThan(0.6);
    },
  );
});
