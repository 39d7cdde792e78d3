import { describe, expect, it } from 'vitest';
import { compileFlag } from '../../../src/core/serving/compile.js';
import { defaultConfig } from '../../../src/core/definition/config.js';
import type { FlagDocument } from '../../../src/core/definition/model.js';
import { constantServe } from '../../../src/core/lifecycle/scan/findings/constant-serve.js';
import { lifecycleFindings } from '../../../src/core/lifecycle/scan/findings/lifecycle.js';
import type { Reference } from '../../../src/core/lifecycle/scan/resolve/resolve.js';
import type { LoadedFlag } from '../../../src/core/definition/validate/validate-flags.js';

const span = { line: 1, column: 1, endLine: 1, endColumn: 2 };
const loaded = (key: string, definition: Partial<FlagDocument>): LoadedFlag => ({
  key,
  file: `flags/${key}.yaml`,
  definition: { description: 'd', owner: '@o', type: 'release', created: '2026-10-01', environments: {}, ...definition } as FlagDocument,
  anchors: { created: span, owner: span, environments: span, environment: {}, ...(definition.expires ? { expires: span } : {}) },
  uses: { segments: [], requires: [] },
});
const ref = (flag: string | null, extra: Partial<Reference> = {}): Reference => ({
  flag, file: 'src/a.ts', line: 1, column: 1, endLine: 1, endColumn: 2, kind: flag === null ? 'dynamic' : 'call', via: 'isEnabled', ...extra,
});
const settings = (now: string, complete = true) => ({
  now: Date.parse(now),
  types: defaultConfig().types,
  unusedAfterDays: 14,
  expiringWithinDays: 7,
  dynamicSeverity: 'info' as const,
  complete,
});

describe('one variant to everyone', () => {
  const at = (serve: unknown, now: string, enabled = true) =>
    constantServe(compileFlag('f', { environments: { p: { enabled, serve } } } as unknown as FlagDocument, 'p'), Date.parse(now));

  it.each([
    [{ percentage: 100 }, { variant: 'on' }],
    [{ percentage: 0 }, { variant: 'off' }],
    [{ percentage: 50 }, undefined],
    ['on', { variant: 'on' }],
  ])('%j → %j', (serve, expected) => {
    expect(at(serve, '2026-11-01')).toEqual(expected);
  });

  it('counts a finished rollout from its last stage, and a pending one as changing', () => {
    const stages = { rollout: { stages: [{ at: '2026-10-01T00:00:00Z', percentage: 10 }, { at: '2026-10-10T00:00:00Z', percentage: 100 }] } };
    expect(at(stages, '2026-10-05')).toBeUndefined();
    expect(at(stages, '2026-10-20')).toEqual({ variant: 'on', since: '2026-10-10T00:00:00.000Z' });
    expect(at(stages, '2026-09-01')).toBeUndefined();
  });

  it('a disabled environment serves the off variant', () => {
    expect(at('on', '2026-11-01', false)).toEqual({ variant: 'off' });
  });
});

describe('lifecycle findings', () => {
  it('orphans, expired at every reference, dynamic at its severity', () => {
    const flags = [loaded('old', { expires: '2026-10-20' })];
    const { diagnostics } = lifecycleFindings(
      { flags, definedKeys: new Set(['old', 'broken']), references: [ref('old'), ref('old', { line: 9 }), ref('olb'), ref('broken'), ref(null, { reason: 'r' })], changedAt: new Map() },
      settings('2026-10-21'),
    );
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}`)).toEqual([
      'error orphaned-reference 1',
      'info dynamic-reference 1',
      'error expired-flag-referenced 1',
      'error expired-flag-referenced 9',
    ]);
    expect(diagnostics[0]!.hint).toBe('Did you mean "old"? Otherwise add a flag file for "olb" or remove this reference.');
  });

  it('unused after the grace period only, and only on a complete scan', () => {
    const flags = [loaded('young', { created: '2026-11-01', expires: '2026-12-01' }), loaded('aged', { created: '2026-10-01', expires: '2026-12-01' })];
    const input = { flags, definedKeys: new Set(['young', 'aged']), references: [], changedAt: new Map() };
    expect(lifecycleFindings(input, settings('2026-11-10')).diagnostics.map((d) => `${d.code} ${d.flag}`)).toEqual(['unused-flag aged']);
    expect(lifecycleFindings(input, settings('2026-11-10', false)).diagnostics).toEqual([]);
  });

  it('a flag other flags require is in use without code; deleting an expired one names them first', () => {
    const needs = (flag: LoadedFlag, on: string): LoadedFlag => ({ ...flag, uses: { segments: [], requires: [{ flag: on, span }] } });
    const flags = [
      loaded('payments', { created: '2026-10-01', type: 'kill-switch' }),
      needs(loaded('checkout', { created: '2026-10-01', expires: '2026-12-01' }), 'payments'),
      loaded('old', { created: '2026-10-01', expires: '2026-11-05' }),
      needs(loaded('banner', { created: '2026-10-01', expires: '2026-12-01' }), 'old'),
    ];
    const input = { flags, definedKeys: new Set(flags.map((f) => f.key)), references: [ref('checkout'), ref('banner')], changedAt: new Map() };
    const { diagnostics } = lifecycleFindings(input, settings('2026-11-10'));
    expect(diagnostics.map((d) => `${d.code} ${d.flag}`)).toEqual(['expired-flag-unreferenced old']);
    expect(diagnostics[0]!.message).toContain('First remove it from the requires of banner.');
  });

  it('stale counts from the latest change up to now, never for permanent types', () => {
    const everywhere = { environments: { p: { enabled: true, serve: 'on' } } };
    const flags = [loaded('rel', { ...everywhere, expires: '2026-12-31' }), loaded('perm', { ...everywhere, type: 'permission' })];
    const input = (changedAt: Map<string, string[]>) => ({ flags, definedKeys: new Set(['rel', 'perm']), references: [ref('rel'), ref('perm')], changedAt });
    const codes = (changed: Map<string, string[]>, now: string) => lifecycleFindings(input(changed), settings(now)).diagnostics.map((d) => `${d.code} ${d.flag}`);
    expect(codes(new Map(), '2026-10-16')).toEqual(['stale-flag rel']);
    expect(codes(new Map([['flags/rel.yaml', ['2026-10-10']]]), '2026-10-16')).toEqual([]);
    expect(codes(new Map([['flags/rel.yaml', ['2026-11-20', '2026-10-02']]]), '2026-10-16')).toEqual([]);
    expect(codes(new Map([['flags/rel.yaml', ['2026-11-20', '2026-10-01']]]), '2026-10-16')).toEqual(['stale-flag rel']);
  });

  it('warns before expiry, then reports the expired flag nobody reads', () => {
    const flags = [loaded('soon', { expires: '2026-11-10' })];
    const input = { flags, definedKeys: new Set(['soon']), references: [], changedAt: new Map() };
    const run = (now: string) => lifecycleFindings(input, settings(now)).diagnostics.map((d) => d.message);
    expect(run('2026-11-09')).toContain('Flag "soon" has its last day on 2026-11-10 (tomorrow); 0 references in code, owner @o.');
    expect(run('2026-11-11')).toEqual(['Flag "soon" expired after 2026-11-10, its last day, and no scanned code reads it: delete flags/soon.yaml.']);
  });

  it('counts expires as the last day of use, a UTC day: expired from the next midnight UTC, in any time zone', () => {
    const flags = [loaded('soon', { expires: '2026-11-10' })];
    const input = { flags, definedKeys: new Set(['soon']), references: [ref('soon')], changedAt: new Map() };
    const codes = (now: string) => lifecycleFindings(input, settings(now)).diagnostics.map((d) => d.code);
    expect(codes('2026-11-10T00:00:00Z')).toEqual(['expiring-soon']);
    expect(codes('2026-11-10T23:59:59.999Z')).toEqual(['expiring-soon']);
    expect(codes('2026-11-11T00:00:00Z')).toEqual(['expired-flag-referenced']);
    // The same instants written in other zones: late on the 10th in Los Angeles is the 11th in UTC.
    expect(codes('2026-11-10T15:59:59-08:00')).toEqual(['expiring-soon']);
    expect(codes('2026-11-10T16:00:00-08:00')).toEqual(['expired-flag-referenced']);
    expect(codes('2026-11-11T08:59:59+09:00')).toEqual(['expiring-soon']);
    expect(lifecycleFindings(input, settings('2026-11-10T12:00:00Z')).diagnostics[0]!.message).toContain('has its last day on 2026-11-10 (today)');
  });
});
