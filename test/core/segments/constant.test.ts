import { describe, expect, it } from 'vitest';
import { compileFlag } from '../../../src/core/serving/compile.js';
import type { FlagDocument } from '../../../src/core/definition/model.js';
import { constantServe, constantsIn } from '../../../src/core/lifecycle/scan/findings/constant-serve.js';

const now = Date.parse('2026-12-10T00:00:00Z');
const flag = (production: FlagDocument['environments'][string], requires?: string[]): FlagDocument => ({
  description: 'd',
  owner: '@a/b',
  type: 'ops',
  created: '2026-11-01',
  environments: { production },
  ...(requires ? { requires } : {}),
});

describe('what a flag with prerequisites serves to everyone (stale findings, cleanup)', () => {
  const flags = [
    { key: 'on', definition: flag({ enabled: true, serve: 'on' }) },
    { key: 'off', definition: flag({ enabled: false }) },
    { key: 'half', definition: flag({ enabled: true, serve: { percentage: 50 } }) },
    { key: 'needs-on', definition: flag({ enabled: true, serve: 'on' }, ['on']) },
    { key: 'needs-off', definition: flag({ enabled: true, serve: 'on' }, ['off']) },
    { key: 'needs-half', definition: flag({ enabled: true, serve: 'on' }, ['half']) },
    { key: 'off-needs-half', definition: flag({ enabled: true, serve: 'off' }, ['half']) },
    { key: 'chain', definition: flag({ enabled: true, serve: 'on' }, ['needs-off']) },
  ];
  const of = constantsIn(flags, 'production', now);
  it.each([
    ['needs-on', 'on'],
    ['needs-off', 'off'],
    ['needs-half', undefined],
    ['off-needs-half', 'off'],
    ['chain', 'off'],
  ])('%s serves %s to everyone', (key, variant) => {
    const definition = flags.find((f) => f.key === key)!.definition;
    expect(constantServe(compileFlag(key, definition, 'production'), now, of)?.variant).toBe(variant);
  });
});

describe('the lookup of what flags serve to everyone', () => {
  it('is built once per list of flags, environment and moment (the scan asks for it once per flag)', () => {
    const flags = [{ key: 'on', definition: flag({ enabled: true, serve: 'on' }) }];
    expect(constantsIn(flags, 'production', now)).toBe(constantsIn(flags, 'production', now));
    expect(constantsIn(flags, 'production', now + 1)).not.toBe(constantsIn(flags, 'production', now));
    expect(constantsIn([...flags], 'production', now)).not.toBe(constantsIn(flags, 'production', now));
  });
});
