import { describe, expect, it } from 'vitest';
import { initialHolds } from '../../../src/core/guard/initial-holds.js';
import { guardedRollout, guardId, rolloutAction } from '../../../src/core/guard/rollout-plan.js';
import type { CompiledFlag } from '../../../src/core/serving/compiled.js';

const H = 3_600_000;
const T0 = Date.parse('2026-12-10T00:00:00Z');
const guard = { metric: 'error-rate', maxIncrease: 0.005 };
const at = (hours: number) => new Date(T0 + hours * H).toISOString();

function flag(stages: Array<[hours: number, percentage: number, guarded?: boolean]>, extra: Partial<CompiledFlag> = {}): CompiledFlag {
  return {
    key: 'new-checkout',
    type: 'release',
    enabled: true,
    variants: { on: true, off: false },
    offVariant: 'off',
    salt: 'new-checkout',
    rules: [],
    serve: { stages: stages.map(([h, p, g]) => ({ at: at(h), percentage: p, ...(g ? { guards: [guard] } : {}) })), variant: 'on', stickiness: 'userId' },
    ...extra,
  };
}

const all = (outcome: 'hold' | 'pass' | 'breach') => new Map([[guardId(guard), outcome]]);

describe('which stage a guarded rollout is at, and what a guard run does', () => {
  const stages: Array<[number, number, boolean?]> = [[0, 10], [24, 50, true], [48, 100, true]];

  it('holds the next guarded stage ahead of its date, so no reader begins it before the guard has looked', () => {
    const r = guardedRollout(flag(stages), undefined, T0 + H)!;
    expect(r).toMatchObject({ current: 0, variant: 'on', control: 'off', gate: { index: 1, due: false } });
    expect(rolloutAction(r, all('pass'))).toEqual({ kind: 'hold', at: T0 + 24 * H, waiting: [guard] });
  });

  it('a held stage whose date has come begins only when its guards pass; the hold moves to the next gated stage', () => {
    const held = guardedRollout(flag(stages), T0 + 24 * H, T0 + 30 * H)!;
    expect(held).toMatchObject({ current: 0, gate: { index: 1, due: true } });
    expect(rolloutAction(held, all('hold'))).toMatchObject({ kind: 'none' });
    expect(rolloutAction(held, all('pass'))).toEqual({ kind: 'hold', at: T0 + 48 * H, waiting: [guard] });
    const last = guardedRollout(flag(stages), T0 + 48 * H, T0 + 50 * H)!;
    expect(last).toMatchObject({ current: 1, gate: { index: 2, due: true } });
    expect(rolloutAction(last, all('pass'))).toEqual({ kind: 'release' });
  });

  it('a breach of any watched guard kills, whatever the dates say', () => {
    const r = guardedRollout(flag(stages), T0 + 24 * H, T0 + 2 * H)!;
    expect(rolloutAction(r, all('breach'))).toEqual({ kind: 'kill', breached: [guard] });
  });

  it('the first stage is never gated (nobody has the variant before it), and a finished rollout is not watched', () => {
    expect(guardedRollout(flag([[0, 10, true], [24, 50]]), undefined, T0 - H)).toBeUndefined();
    expect(guardedRollout(flag(stages), undefined, T0 + 49 * H)).toBeUndefined();
    expect(guardedRollout(flag(stages, { enabled: false }), undefined, T0 + H)).toBeUndefined();
  });

  it('a stale hold on a rollout with nothing left to gate is lifted', () => {
    const r = guardedRollout(flag([[0, 10, true], [24, 50]]), T0 + 24 * H, T0 + 30 * H)!;
    expect(rolloutAction(r, all('pass'))).toEqual({ kind: 'release' });
  });

  it('a sync holds the first guarded stage above what the store served, whether its date has come or not', () => {
    const json = JSON.stringify(flag(stages));
    const fresh = initialHolds(new Map([['new-checkout', json]]), new Map(), new Map(), T0 + 30 * H);
    expect(fresh.get('new-checkout')).toMatchObject({ hold: at(24), guard: 'error-rate', reason: expect.stringMatching(/its date has come/) });
    // Already served at 50% before this sync: the gate it is past stays passed; the next one is held.
    const before = JSON.stringify(flag([[0, 10], [24, 50]]));
    const moved = initialHolds(new Map([['new-checkout', json]]), new Map([['new-checkout', before]]), new Map(), T0 + 30 * H);
    expect(moved.get('new-checkout')!.hold).toBe(at(48));
    // A flag with an override (a kill, a hold) keeps it.
    expect(initialHolds(new Map([['new-checkout', json]]), new Map(), new Map([['new-checkout', {}]]), T0).size).toBe(0);
  });
});
