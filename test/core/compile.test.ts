import { describe, expect, it } from 'vitest';
import { checksumOf, compileFlag } from '../../src/core/serving/compile.js';
import type { FlagDocument } from '../../src/core/definition/model.js';

const flag: FlagDocument = {
  description: 'd',
  owner: '@a',
  type: 'release',
  created: '2026-11-10',
  expires: '2026-12-10',
  environments: {
    staging: { enabled: false },
    production: {
      enabled: true,
      rules: [{ name: 'staff', groups: ['employees'], when: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: 'on' }],
      serve: { rollout: { stages: [{ at: '2026-11-24T10:00:00+01:00', percentage: 25 }] } },
    },
  },
};

describe('compileFlag', () => {
  it('resolves every default and normalises stage times to UTC', () => {
    expect(compileFlag('new-checkout', flag, 'production')).toEqual({
      key: 'new-checkout',
      type: 'release',
      enabled: true,
      variants: { on: true, off: false },
      offVariant: 'off',
      salt: 'new-checkout',
      rules: [{ name: 'staff', groups: ['employees'], when: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variant: 'on' } }],
      serve: { stages: [{ at: '2026-11-24T09:00:00.000Z', percentage: 25 }], variant: 'on', stickiness: 'userId' },
      expires: '2026-12-10',
    });
  });

  it('compiles a disabled environment, and one the flag does not name, to offVariant for everyone', () => {
    for (const environment of ['staging', 'qa']) {
      expect(compileFlag('x', flag, environment)).toMatchObject({ enabled: false, rules: [], serve: { variant: 'off' } });
    }
  });

  it('keeps split order as declared, as pairs', () => {
    const split = compileFlag(
      'x',
      { ...flag, variants: { b: 'b', a: 'a' }, offVariant: 'a', environments: { production: { enabled: true, serve: { split: { b: 70, a: 30 } } } } },
      'production',
    );
    expect(split.serve).toEqual({ split: [['b', 70], ['a', 30]], stickiness: 'userId' });
  });
});

describe('checksumOf', () => {
  it('ignores insertion order and sees any change', () => {
    const a = checksumOf(new Map([['x', '1'], ['y', '2']]));
    expect(checksumOf(new Map([['y', '2'], ['x', '1']]))).toBe(a);
    expect(checksumOf(new Map([['x', '1'], ['y', '3']]))).not.toBe(a);
  });
});
