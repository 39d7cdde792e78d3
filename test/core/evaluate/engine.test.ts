import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledFlag } from '../../../src/core/serving/compiled.js';
import { compileFlag } from '../../../src/core/serving/compile.js';
import { evaluateFlag } from '../../../src/core/serving/evaluate/evaluate.js';
import { prepareFlag } from '../../../src/core/serving/evaluate/prepare.js';
import { buildSnapshot } from '../../../src/core/serving/evaluate/snapshot.js';
import type { FlagDocument } from '../../../src/core/definition/model.js';
import { referencePosition as position } from '../../helpers/bucket-reference.js';

const base = { description: 'd', owner: '@o', type: 'release', created: '2026-11-01', expires: '2026-12-20' } as const;
const flag = (key: string, doc: Partial<FlagDocument>, env = 'production') =>
  compileFlag(key, { ...base, environments: {}, ...doc } as FlagDocument, env);
const NOW = () => Date.parse('2026-11-22T12:00:00Z');

function snapshotOf(flags: CompiledFlag[], overrides: Record<string, string> = {}) {
  return buildSnapshot({
    meta: { revision: 7, commit: 'abc', syncedAt: '', format: 1 },
    flags: new Map(flags.map((f) => [f.key, JSON.stringify(f)])),
    overrides: new Map(Object.entries(overrides).map(([k, variant]) => [k, { variant }])),
  });
}

describe('evaluation reasons', () => {
  const snap = snapshotOf([
    flag('static-on', { environments: { production: { enabled: true, serve: 'on' } } }),
    flag('disabled', { environments: { production: { enabled: false, serve: 'on' } } }),
    flag('unmentioned', { environments: { staging: { enabled: true, serve: 'on' } } }),
    flag('targeted', {
      environments: {
        production: {
          enabled: true,
          rules: [
            { name: 'testers', users: ['u-1'], serve: 'on' },
            { groups: ['staff'], serve: 'on' },
            { name: 'enterprise', when: [{ attribute: 'plan', op: 'in', values: ['enterprise'] }], serve: 'on' },
          ],
          serve: 'off',
        },
      },
    }),
  ]);
  const ev = (key: string, context: Record<string, unknown> = {}, fallback: unknown = false) =>
    evaluateFlag(snap, key, context, fallback as boolean, NOW);

  it('serves STATIC, DISABLED and a disabled flag for an environment the file does not mention', () => {
    expect(ev('static-on')).toEqual({ value: true, variant: 'on', reason: 'STATIC' });
    expect(ev('disabled')).toEqual({ value: false, variant: 'off', reason: 'DISABLED' });
    expect(ev('unmentioned')).toMatchObject({ value: false, reason: 'DISABLED' });
  });

  it('names the rule that matched, by name or by position', () => {
    expect(ev('targeted', { userId: 'u-1' })).toEqual({ value: true, variant: 'on', reason: 'TARGETING_MATCH', rule: 'testers' });
    expect(ev('targeted', { userId: 'x', groups: ['staff'] })).toMatchObject({ reason: 'TARGETING_MATCH', rule: '#2' });
    expect(ev('targeted', { userId: 'x', groups: 'staff' })).toMatchObject({ rule: '#2' });
    expect(ev('targeted', { plan: 'enterprise' })).toMatchObject({ value: true, rule: 'enterprise' });
    expect(ev('targeted', { userId: 'x', plan: 'pro' })).toEqual({ value: false, variant: 'off', reason: 'DEFAULT' });
  });

  it('says DEFAULT, not STATIC, when a flag has rules and none of them matched (OpenFeature reserves STATIC for no dynamic evaluation)', () => {
    expect(ev('targeted', {})).toEqual({ value: false, variant: 'off', reason: 'DEFAULT' });
    expect(ev('targeted', { plan: null })).toEqual({ value: false, variant: 'off', reason: 'DEFAULT' });
    expect(evaluateFlag(snap, 'targeted', undefined, false, NOW)).toEqual({ value: false, variant: 'off', reason: 'DEFAULT' });
    // Without rules, the same serve is STATIC; a bucketed fallthrough stays SPLIT.
    expect(ev('static-on')).toMatchObject({ reason: 'STATIC' });
  });

  it('returns the caller default for unknown flags and wrong types, without throwing', () => {
    expect(ev('nope', {}, 'dflt')).toEqual({ value: 'dflt', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', message: 'flag nope not found in revision 7' });
    expect(ev('static-on', {}, 'text')).toMatchObject({ value: 'text', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    expect(evaluateFlag(undefined, 'x', {}, 3, NOW)).toMatchObject({ value: 3, errorCode: 'PROVIDER_NOT_READY' });
    const boom = () => {
      throw new Error('boom');
    };
    const hostile = new Proxy({}, { get: boom, has: () => true, getOwnPropertyDescriptor: boom });
    expect(evaluateFlag(snap, 'targeted', hostile, false, NOW)).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' });
  });

  it('answers a key that is not a string with the caller default and FLAG_NOT_FOUND, never a TypeError', () => {
    const keys: unknown[] = [Symbol('k'), 42, null, undefined, {}, ['static-on'], { toString: () => 'static-on' }];
    for (const key of keys) {
      const r = evaluateFlag(snap, key as string, {}, 'dflt', NOW);
      expect(r, String(typeof key)).toMatchObject({ value: 'dflt', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
      expect(r.message).toMatch(/^flag keys are strings; got /);
    }
  });

  it('marks values served from a snapshot whose store is away as STALE', () => {
    expect(evaluateFlag(snap, 'static-on', {}, false, NOW, true)).toMatchObject({ value: true, reason: 'STALE' });
  });
});

describe('stored flags that cannot be read', () => {
  it('serve the caller default with PARSE_ERROR while the others keep working', () => {
    const good = flag('good', { environments: { production: { enabled: true, serve: 'on' } } });
    const snap = buildSnapshot({
      meta: null,
      flags: new Map([
        ['good', JSON.stringify(good)],
        ['not-json', '{"key": '],
        ['bad-variant', JSON.stringify({ ...good, key: 'bad-variant', serve: { variant: 'missing' } })],
        ['bad-split', JSON.stringify({ ...good, key: 'bad-split', serve: { split: [['on', 60], ['off', 30]], stickiness: 'userId' } })],
        ['bad-op', JSON.stringify({ ...good, key: 'bad-op', rules: [{ when: [{ attribute: 'a', op: 'matches', value: '.*' }], serve: { variant: 'on' } }] })],
        ['null', 'null'],
      ]),
      overrides: new Map(),
    });
    expect(evaluateFlag(snap, 'good', {}, false, NOW)).toMatchObject({ value: true });
    for (const key of ['not-json', 'bad-variant', 'bad-split', 'bad-op', 'null']) {
      const r = evaluateFlag(snap, key, { a: 'x' }, false, NOW);
      expect(r, key).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
      expect(r.message).toMatch(new RegExp(`flag "${key}" could not be read: .+`));
    }
  });
});

describe('operators', () => {
  const match = (condition: object, context: Record<string, unknown>) => {
    const f = prepareFlag(flag('f', { environments: { production: { enabled: true, rules: [{ when: [condition as never], serve: 'on' }], serve: 'off' } } }));
    return f.evaluate(context, NOW).variant === 'on';
  };
  it.each([
    [{ attribute: 'plan', op: 'eq', value: 'pro' }, { plan: 'pro' }, true],
    [{ attribute: 'plan', op: 'eq', value: 'pro' }, { plan: 'free' }, false],
    [{ attribute: 'seats', op: 'eq', value: 3 }, { seats: '3' }, true],
    [{ attribute: 'beta', op: 'eq', value: true }, { beta: true }, true],
    [{ attribute: 'plan', op: 'neq', value: 'free' }, { plan: 'pro' }, true],
    [{ attribute: 'plan', op: 'neq', value: 'free' }, {}, false],
    [{ attribute: 'plan', op: 'in', values: ['pro', 'team'] }, { plan: 'team' }, true],
    [{ attribute: 'plan', op: 'not_in', values: ['pro'] }, { plan: 'free' }, true],
    [{ attribute: 'plan', op: 'not_in', values: ['pro'] }, { plan: 'pro' }, false],
    [{ attribute: 'roles', op: 'in', values: ['admin'] }, { roles: ['user', 'admin'] }, true],
    [{ attribute: 'seats', op: 'in', values: [3, 'five'] }, { seats: '3' }, true],
    [{ attribute: 'seats', op: 'in', values: ['3', 'five'] }, { seats: 3 }, true],
    [{ attribute: 'seats', op: 'in', values: ['3'] }, { seats: ' 3' }, false],
    [{ attribute: 'beta', op: 'in', values: [true] }, { beta: 'true' }, true],
    [{ attribute: 'plan', op: 'not_in', values: [1, 'pro'] }, { plan: '1' }, false],
    [{ attribute: 'email', op: 'ends_with', value: '@acme.com' }, { email: 'a@acme.com' }, true],
    [{ attribute: 'email', op: 'starts_with', value: 'a@' }, { email: 'b@acme.com' }, false],
    [{ attribute: 'email', op: 'contains', value: 'acme' }, { email: 'a@acme.com' }, true],
    [{ attribute: 'cart', op: 'gt', value: 100 }, { cart: 100.5 }, true],
    [{ attribute: 'cart', op: 'gte', value: 100 }, { cart: '100' }, true],
    [{ attribute: 'cart', op: 'lt', value: 100 }, { cart: 'lots' }, false],
    [{ attribute: 'cart', op: 'lte', value: 100 }, { cart: 99 }, true],
    [{ attribute: 'app', op: 'semver_gte', value: '3.2.0' }, { app: '3.10.0' }, true],
    [{ attribute: 'app', op: 'semver_gte', value: '3.2.0' }, { app: '3.2.0-beta.1' }, false],
    [{ attribute: 'app', op: 'semver_lt', value: '4.0.0-beta.2' }, { app: '4.0.0-beta.10' }, false],
    [{ attribute: 'app', op: 'semver_lt', value: '4.0.0-beta.2' }, { app: '4.0.0-alpha' }, true],
    [{ attribute: 'app', op: 'semver_eq', value: '1.0.0' }, { app: '1.0.0+build.5' }, true],
    [{ attribute: 'app', op: 'semver_gt', value: '1.0.0' }, { app: 'not a version' }, false],
    [{ attribute: 'signup', op: 'before', value: '2026-01-01' }, { signup: '2025-12-31T23:59:59Z' }, true],
    [{ attribute: 'signup', op: 'after', value: '2026-01-01' }, { signup: Date.parse('2026-01-02') }, true],
    [{ attribute: 'signup', op: 'after', value: '2026-01-01' }, { signup: 'yesterday' }, false],
  ])('%j on %j → %s', (condition, context, expected) => {
    expect(match(condition, context)).toBe(expected);
  });

  it('requires every criterion of a rule', () => {
    const f = prepareFlag(
      flag('f', {
        environments: {
          production: { enabled: true, rules: [{ users: ['u1'], when: [{ attribute: 'plan', op: 'eq', value: 'pro' }], serve: 'on' }], serve: 'off' },
        },
      }),
    );
    expect(f.evaluate({ userId: 'u1', plan: 'pro' }, NOW).variant).toBe('on');
    expect(f.evaluate({ userId: 'u1', plan: 'free' }, NOW).variant).toBe('off');
    expect(f.evaluate({ userId: 'u2', plan: 'pro' }, NOW).variant).toBe('off');
  });
});

describe('percentages, splits and stages', () => {
  it('bucket by the stickiness attribute and say when there is none', () => {
    const f = prepareFlag(flag('p', { environments: { production: { enabled: true, serve: { percentage: 50, stickiness: 'accountId' } } } }));
    for (let i = 0; i < 200; i++) {
      const expected = position('p', `acct-${i}`) < 50 ? 'on' : 'off';
      expect(f.evaluate({ userId: 'same', accountId: `acct-${i}` }, NOW)).toMatchObject({ variant: expected, reason: 'SPLIT' });
    }
    expect(f.evaluate({ userId: 'u1' }, NOW)).toMatchObject({ variant: 'off', reason: 'DEFAULT', message: expect.stringContaining('accountId') });
    expect(f.evaluate({ accountId: 42 }, NOW).variant).toBe(position('p', '42') < 50 ? 'on' : 'off');
  });

  it('steps stages at their times against the injected clock', () => {
    const f = prepareFlag(
      flag('staged', {
        environments: {
          production: {
            enabled: true,
            serve: { rollout: { stages: [{ at: '2026-11-20T09:00:00+01:00', percentage: 10 }, { at: '2026-11-24T09:00:00Z', percentage: 100 }] } },
          },
        },
      }),
    );
    const users = Array.from({ length: 2000 }, (_, i) => `u${i}`);
    const on = (now: number) => users.filter((u) => f.evaluate({ userId: u }, () => now).variant === 'on');
    expect(on(Date.parse('2026-11-20T07:59:59Z'))).toEqual([]);
    expect(on(Date.parse('2026-11-20T08:00:00Z'))).toEqual(users.filter((u) => position('staged', u) < 10));
    expect(on(Date.parse('2026-11-24T09:00:00Z'))).toEqual(users);
  });

  it('uses the salt instead of the key when one is set', () => {
    const f = prepareFlag(flag('salted', { salt: 'other', environments: { production: { enabled: true, serve: { percentage: 30 } } } }));
    for (let i = 0; i < 300; i++) expect(f.evaluate({ userId: `u${i}` }, NOW).variant).toBe(position('other', `u${i}`) < 30 ? 'on' : 'off');
  });

  it('gives each user one stable variant, whatever else is in the context', () => {
    const f = prepareFlag(flag('exp', { type: 'experiment', variants: { control: 'a', b: 'b', c: 'c' }, offVariant: 'control', environments: { production: { enabled: true, serve: { split: { control: 34, b: 33, c: 33 } } } } }));
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.dictionary(fc.string(), fc.jsonValue()), (user, extra) => {
        const a = f.evaluate({ ...extra, userId: user }, NOW);
        const b = f.evaluate({ userId: user }, NOW);
        expect(a).toBe(b);
      }),
      { numRuns: 500 },
    );
  });
});

describe('overrides', () => {
  it('serve the overriding variant to everyone, DISABLED when it is the offVariant', () => {
    const on = flag('k', { environments: { production: { enabled: true, serve: 'on' } } });
    const killed = snapshotOf([on], { k: 'off' });
    expect(evaluateFlag(killed, 'k', { userId: 'u' }, true, NOW)).toEqual({ value: false, variant: 'off', reason: 'DISABLED', override: true });
    const forced = snapshotOf([{ ...on, enabled: false }], { k: 'on' });
    expect(evaluateFlag(forced, 'k', {}, false, NOW)).toMatchObject({ value: true, reason: 'STATIC', override: true });
  });
});

describe('when what a flag serves may change by itself', () => {
  const rollout = { rollout: { stages: [{ at: '2026-12-01T09:00:00Z', percentage: 5 }, { at: '2026-12-08T09:00:00Z', percentage: 100 }] } };
  it('is the instants of its rollout stages, in rules too; never for a flag that is off or killed', () => {
    const staged = prepareFlag(
      flag('staged', {
        environments: {
          production: {
            enabled: true,
            rules: [{ name: 'beta', groups: ['beta'], serve: { rollout: { stages: [{ at: '2026-11-20T00:00:00Z', percentage: 50 }] } } }],
            serve: rollout,
          },
        },
      } as never),
    );
    expect(staged.changesAt).toEqual([Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-12-01T09:00:00Z'), Date.parse('2026-12-08T09:00:00Z')]);
    expect(prepareFlag(flag('plain', { environments: { production: { enabled: true, serve: 'on' } } })).changesAt).toBeUndefined();
    expect(prepareFlag(flag('off', { environments: { production: { enabled: false, serve: rollout } } } as never)).changesAt).toBeUndefined();
    const killed = snapshotOf([flag('staged', { environments: { production: { enabled: true, serve: rollout } } } as never)], { staged: 'off' });
    expect((killed.flags.get('staged') as { changesAt?: unknown }).changesAt).toBeUndefined();
  });
});

describe('the salt a flag buckets with', () => {
  it('is one set of bytes per flag that may bucket (any serve), none for a flag that is off, killed or serves one variant', () => {
    const mixed = prepareFlag(
      flag('mixed', {
        environments: { production: { enabled: true, rules: [{ name: 'beta', groups: ['beta'], serve: { percentage: 50 } }], serve: { split: { on: 50, off: 50 } } } },
      } as never),
    );
    expect(Buffer.from(mixed.bucketPrefix!).toString()).toBe('mixed:');
    // The rule's percentage and the split hash the same prefix (one object: the bulk evaluation's hint goes by identity).
    expect(mixed.evaluate({ userId: 'u-1', groups: ['beta'] }, NOW).reason).toBe('TARGETING_MATCH');
    expect(prepareFlag(flag('plain', { environments: { production: { enabled: true, serve: 'on' } } })).bucketPrefix).toBeUndefined();
    expect(prepareFlag(flag('off', { environments: { production: { enabled: false, serve: { percentage: 50 } } } } as never)).bucketPrefix).toBeUndefined();
    const killed = snapshotOf([flag('rolled', { environments: { production: { enabled: true, serve: { percentage: 50 } } } } as never)], { rolled: 'off' });
    expect((killed.flags.get('rolled') as { bucketPrefix?: unknown }).bucketPrefix).toBeUndefined();
  });
});
