import { describe, expect, it } from 'vitest';
import { compileEnvironment } from '../../src/core/serving/compile.js';
import type { FlagDocument } from '../../src/core/definition/model.js';
import { planSync } from '../../src/core/change/plan.js';
import { decideSync, type SyncSituation } from '../../src/core/change/sync-policy.js';

const flag: FlagDocument = { description: 'd', owner: '@a', type: 'ops', created: '2026-11-10', environments: { production: { enabled: true, serve: 'on' } } };
const desired = compileEnvironment([{ key: 'a', definition: flag }], 'production');
const same = planSync(desired, { flags: desired.flags, checksum: desired.checksum });
const changed = planSync(desired, { flags: new Map() });
const situation = (s: Partial<SyncSituation>): SyncSituation => ({
  plan: same,
  environment: 'production',
  liveCount: 1,
  liveCommit: 'c1',
  headCommit: 'c1',
  ancestry: 'yes',
  force: false,
  allowDelete: false,
  ...s,
});

describe('decideSync', () => {
  it('refuses a store another environment synced, unless forced', () => {
    expect(decideSync(situation({ liveEnvironment: 'staging', plan: changed }))).toMatchObject({
      action: 'refuse',
      reason: 'this store holds environment "staging", not "production": two environments point at one store',
    });
    expect(decideSync(situation({ liveEnvironment: 'staging', plan: changed, force: true }))).toEqual({ action: 'write' });
    expect(decideSync(situation({ liveEnvironment: 'production', plan: changed }))).toEqual({ action: 'write' });
  });
  it('refuses a store whose _meta is corrupt; forced, it writes (the repair) even when no flag changed', () => {
    const metaProblem = '_meta.revision is "abc", not a whole number';
    expect(decideSync(situation({ metaProblem }))).toMatchObject({ action: 'refuse', reason: `the store's _meta is corrupt: ${metaProblem}` });
    expect(decideSync(situation({ metaProblem, force: true }))).toEqual({ action: 'write' });
  });
  it('writes nothing for the same commit and the same flags', () => {
    expect(decideSync(situation({}))).toEqual({ action: 'up-to-date' });
  });
  it('records a newer commit that changed no flag', () => {
    expect(decideSync(situation({ headCommit: 'c2' }))).toEqual({ action: 'record-commit' });
  });
  it('writes changes and drift', () => {
    expect(decideSync(situation({ plan: changed, liveCount: 0 }))).toEqual({ action: 'write' });
    expect(decideSync(situation({ plan: { ...same, drift: true } }))).toEqual({ action: 'write' });
  });
  it.each([
    ['no', /not an ancestor of c2/],
    ['unknown', /not in this checkout's history/],
  ] as const)('refuses ancestry "%s" unless forced', (ancestry, reason) => {
    const refused = decideSync(situation({ plan: changed, headCommit: 'c2', ancestry }));
    expect(refused).toMatchObject({ action: 'refuse', reason: expect.stringMatching(reason) });
    expect(decideSync(situation({ plan: changed, headCommit: 'c2', ancestry, force: true }))).toEqual({ action: 'write' });
  });
  it('refuses mass deletion unless allowed, at the configured share', () => {
    const removing = {
      ...same,
      removals: ['x', 'y'],
      changes: ['x', 'y'].map((key) => ({ key, kind: 'removed' as const, details: ['removed'] })),
    };
    expect(decideSync(situation({ plan: removing, liveCount: 10 })).action).toBe('write');
    expect(decideSync(situation({ plan: removing, liveCount: 10, maxDeleteShare: 0.1 })).action).toBe('refuse');
    expect(decideSync(situation({ plan: removing, liveCount: 10, maxDeleteShare: 0.1, allowDelete: true })).action).toBe('write');
  });
});
