import { describe, expect, it } from 'vitest';
import { compileEnvironment } from '../../../src/core/serving/compile.js';
import { evaluateFlag } from '../../../src/core/serving/evaluate/evaluate.js';
import { buildSnapshot, type Snapshot } from '../../../src/core/serving/evaluate/snapshot.js';
import type { FlagDocument, SegmentDocument } from '../../../src/core/definition/model.js';

const now = () => Date.parse('2026-11-27T12:00:00Z');

const flag = (production: FlagDocument['environments'][string], more: Partial<FlagDocument> = {}): FlagDocument => ({
  description: 'd',
  owner: '@a/b',
  type: 'ops',
  created: '2026-11-01',
  environments: { production },
  ...more,
});

function snapshotOf(flags: Record<string, FlagDocument>, segments: Record<string, SegmentDocument> = {}, overrides: Record<string, string> = {}) {
  const compiled = compileEnvironment(
    Object.entries(flags).map(([key, definition]) => ({ key, definition })),
    'production',
    Object.entries(segments).map(([key, definition]) => ({ key, definition })),
  );
  const snapshot = buildSnapshot({
    meta: { revision: 1, commit: 'c', syncedAt: '', format: compiled.format },
    flags: compiled.flags,
    overrides: new Map(Object.entries(overrides).map(([key, variant]) => [key, { variant }])),
  });
  return { snapshot, compiled };
}

const run = (snapshot: Snapshot, key: string, context: Record<string, unknown> = {}) => evaluateFlag(snapshot, key, context, undefined as never, now);

const segment = (conditions: Partial<SegmentDocument>): SegmentDocument => ({ description: 'd', owner: '@a/b', ...conditions });

describe('segments in evaluation', () => {
  const segments = {
    eu: segment({ when: [{ attribute: 'country', op: 'in', values: ['DE', 'FR'] }] }),
    paying: segment({ when: [{ attribute: 'plan', op: 'neq', value: 'free' }] }),
    staff: segment({ groups: ['employees'] }),
    'eu-paying': segment({ segments: ['eu', 'paying'], not: { users: ['u-blocked'] } }),
    either: segment({ any: [{ segments: ['staff'] }, { users: ['u-vip'] }] }),
  };
  const { snapshot, compiled } = snapshotOf(
    {
      all: flag({ enabled: true, rules: [{ name: 'eu-paying', segments: ['eu-paying'], serve: 'on' }], serve: 'off' }),
      any: flag({ enabled: true, rules: [{ name: 'any', segments: { any: ['staff', 'eu'] }, users: ['u-1', 'u-2'], serve: 'on' }], serve: 'off' }),
      nested: flag({ enabled: true, rules: [{ name: 'either', segments: ['either'], serve: 'on' }], serve: 'off' }),
    },
    segments,
  );

  it.each([
    ['all', { country: 'DE', plan: 'pro' }, 'on'],
    ['all', { country: 'DE', plan: 'free' }, 'off'],
    ['all', { country: 'US', plan: 'pro' }, 'off'],
    ['all', { userId: 'u-blocked', country: 'DE', plan: 'pro' }, 'off'],
    ['any', { userId: 'u-1', groups: ['employees'] }, 'on'],
    ['any', { userId: 'u-1', country: 'FR' }, 'on'],
    ['any', { userId: 'u-3', country: 'FR' }, 'off'],
    ['any', { userId: 'u-2' }, 'off'],
    ['nested', { userId: 'u-vip' }, 'on'],
    ['nested', { groups: 'employees' }, 'on'],
    ['nested', { userId: 'u-1' }, 'off'],
  ])('%s for %j serves %s', (key, context, variant) => {
    expect(run(snapshot, key, context).variant).toBe(variant);
  });

  it('copies each segment into the flag under its name, so a flag is read alone', () => {
    const stored = JSON.parse(compiled.flags.get('all')!);
    expect(stored.rules[0]).toEqual({
      name: 'eu-paying',
      all: [
        {
          segment: 'eu-paying',
          all: [
            { segment: 'eu', when: [{ attribute: 'country', op: 'in', values: ['DE', 'FR'] }] },
            { segment: 'paying', when: [{ attribute: 'plan', op: 'neq', value: 'free' }] },
          ],
          not: { users: ['u-blocked'] },
        },
      ],
      serve: { variant: 'on' },
    });
    expect(compiled.format).toBe(2);
  });

  it('keeps format 1, byte for byte, for flags that use neither segments nor prerequisites', () => {
    const { compiled: plain } = snapshotOf({ a: flag({ enabled: true, rules: [{ groups: ['x'], serve: 'on' }], serve: 'off' }) });
    expect(plain.format).toBe(1);
    expect(plain.flags.get('a')).toBe(
      '{"key":"a","type":"ops","enabled":true,"variants":{"on":true,"off":false},"offVariant":"off","salt":"a","rules":[{"groups":["x"],"serve":{"variant":"on"}}],"serve":{"variant":"off"}}',
    );
  });
});

describe('prerequisites in evaluation', () => {
  const flags = {
    payments: flag({ enabled: true, serve: 'on' }),
    checkout: flag({ enabled: true, serve: { percentage: 50 } }, { requires: ['payments'] }),
    express: flag({ enabled: true, serve: 'on' }, { requires: ['checkout'] }),
    search: flag({ enabled: true, serve: 'opensearch' }, { variants: { opensearch: 'os', solr: 'solr' }, offVariant: 'solr' }),
    facets: flag({ enabled: true, serve: 'on', requires: [{ flag: 'search', variant: 'opensearch' }] }),
    off: flag({ enabled: false }, { requires: ['payments'] }),
  };

  it('evaluates the chain for the same context, and names the flag that failed', () => {
    const { snapshot } = snapshotOf(flags);
    const ids = Array.from({ length: 400 }, (_, i) => `u-${i}`);
    for (const userId of ids) {
      const checkout = run(snapshot, 'checkout', { userId });
      const express = run(snapshot, 'express', { userId });
      if (checkout.variant === 'on') expect(express).toMatchObject({ variant: 'on', reason: 'STATIC' });
      else expect(express).toEqual({ value: false, variant: 'off', reason: 'PREREQUISITE_FAILED', prerequisite: 'checkout' });
    }
    expect(new Set(ids.map((userId) => run(snapshot, 'express', { userId }).variant))).toEqual(new Set(['on', 'off']));
    expect(run(snapshot, 'facets')).toMatchObject({ variant: 'on' });
    // A disabled flag says DISABLED: its own state comes before its prerequisites.
    expect(run(snapshot, 'off')).toMatchObject({ reason: 'DISABLED' });
  });

  it('turns dependents off at once when a prerequisite is killed, and on again without it', () => {
    const killed = snapshotOf(flags, {}, { payments: 'off' }).snapshot;
    expect(run(killed, 'checkout', { userId: 'u-1' })).toMatchObject({ variant: 'off', reason: 'PREREQUISITE_FAILED', prerequisite: 'payments' });
    expect(run(killed, 'express', { userId: 'u-1' })).toMatchObject({ reason: 'PREREQUISITE_FAILED', prerequisite: 'checkout' });
    const search = snapshotOf(flags, {}, { search: 'solr' }).snapshot;
    expect(run(search, 'facets')).toMatchObject({ reason: 'PREREQUISITE_FAILED', prerequisite: 'search' });
    // A new snapshot from the previous one relinks the dependents (their JSON did not change).
    const restored = buildSnapshot({ meta: null, flags: new Map(killed.sources), overrides: new Map() }, killed);
    expect(run(restored, 'checkout', { userId: 'u-1' }).reason).not.toBe('PREREQUISITE_FAILED');
  });

  it('fails a prerequisite missing from the store, and refuses a cycle written by hand without looping', () => {
    const { compiled } = snapshotOf(flags);
    const stored = new Map(compiled.flags);
    stored.delete('payments');
    const cyclic = (key: string, needs: string) =>
      JSON.stringify({ key, type: 'ops', enabled: true, variants: { on: true, off: false }, offVariant: 'off', requires: [{ flag: needs, variant: 'on' }], rules: [], serve: { variant: 'on' } });
    stored.set('a', cyclic('a', 'b'));
    stored.set('b', cyclic('b', 'a'));
    stored.set('c', cyclic('c', 'a'));
    const snapshot = buildSnapshot({ meta: null, flags: stored, overrides: new Map() });
    expect(run(snapshot, 'checkout', { userId: 'u-1' })).toMatchObject({ reason: 'PREREQUISITE_FAILED', prerequisite: 'payments' });
    expect(run(snapshot, 'a')).toMatchObject({ reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(run(snapshot, 'a').message).toContain('a → b → a');
    expect(run(snapshot, 'c')).toMatchObject({ reason: 'PREREQUISITE_FAILED', prerequisite: 'a' });
    // Once the cycle is gone, the flags that were on it are read again, though their JSON is the same.
    const fixed = new Map(stored);
    fixed.set('b', JSON.stringify({ ...JSON.parse(stored.get('b')!), requires: undefined }));
    const next = buildSnapshot({ meta: null, flags: fixed, overrides: new Map() }, snapshot);
    expect(run(next, 'a')).toMatchObject({ variant: 'on', reason: 'STATIC' });
    // A kill of one flag on a cycle ends it: the killed flag does not look at its prerequisites.
    const killed = buildSnapshot({ meta: null, flags: stored, overrides: new Map([['b', { variant: 'off' }]]) });
    expect(run(killed, 'a')).toMatchObject({ reason: 'PREREQUISITE_FAILED', prerequisite: 'b' });
  });
});

describe('prerequisites evaluated once per evaluation', () => {
  // Flag i requires flags i-1 and i-2: 2^80 paths to the first flag, 80 flags. Followed path by path,
  // one evaluation would never end; each prerequisite evaluated once, it takes 80 steps.
  const lattice: Record<string, FlagDocument> = { 'f-000': flag({ enabled: true, serve: { percentage: 50 } }), 'f-001': flag({ enabled: true, serve: 'on' }) };
  for (let i = 2; i < 80; i++) {
    const name = (n: number) => `f-${String(n).padStart(3, '0')}`;
    lattice[name(i)] = flag({ enabled: true, serve: 'on' }, { requires: [name(i - 1), name(i - 2)] });
  }

  it('answers a flag at the end of a chain of 5,000 prerequisites without running out of stack', () => {
    const chain: Record<string, FlagDocument> = { 'c-0': flag({ enabled: true, serve: 'on' }) };
    for (let i = 1; i < 5000; i++) chain[`c-${i}`] = flag({ enabled: true, serve: 'on' }, { requires: [`c-${i - 1}`] });
    const { snapshot } = snapshotOf(chain);
    expect(run(snapshot, 'c-4999')).toEqual({ value: true, variant: 'on', reason: 'STATIC' });
    const off = snapshotOf(chain, {}, { 'c-0': 'off' }).snapshot;
    expect(run(off, 'c-4999')).toMatchObject({ variant: 'off', reason: 'PREREQUISITE_FAILED', prerequisite: 'c-4998' });
  });

  it('answers a flag at the end of an 80-deep lattice of prerequisites, as its first flag decides', () => {
    const { snapshot } = snapshotOf(lattice);
    for (const userId of ['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6']) {
      const first = run(snapshot, 'f-000', { userId }).variant;
      const last = run(snapshot, 'f-079', { userId });
      expect(last.variant).toBe(first);
      if (first === 'off') expect(last).toMatchObject({ reason: 'PREREQUISITE_FAILED' });
    }
  });
});
