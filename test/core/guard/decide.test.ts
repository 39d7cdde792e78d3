import { describe, expect, it } from 'vitest';
import { decideGuard } from '../../../src/core/guard/decide.js';
import { differenceOfRates, normalQuantile, rateBounds } from '../../../src/core/guard/statistics.js';
import type { ResolvedGuard } from '../../../src/core/definition/guard-thresholds.js';

const rate = (limits: Partial<ResolvedGuard>): ResolvedGuard => ({
  metric: 'error-rate',
  kind: 'rate',
  label: 'error rate',
  query: 'q',
  samples: 's',
  window: 600,
  minSamples: 500,
  ...limits,
});
const value = (limits: Partial<ResolvedGuard>): ResolvedGuard => ({ ...rate(limits), kind: 'value', metric: 'p95', label: 'p95 latency' });
/** x events in n samples, as a query pair answers them: the rate and the count. */
const m = (x: number, n: number) => ({ value: x / n, samples: n });

describe('the statistics guards decide with', () => {
  it('normal quantiles match the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  it('the Agresti–Caffo bounds narrow as samples grow, and keep width when no event was seen', () => {
    const small = differenceOfRates(6, 500, 2, 500, 0.95);
    const large = differenceOfRates(600, 50_000, 200, 50_000, 0.95);
    expect(small.estimate).toBeCloseTo(0.008, 6);
    expect(large.estimate).toBeCloseTo(0.008, 6);
    expect(small.upper - small.lower).toBeGreaterThan(5 * (large.upper - large.lower));
    const none = differenceOfRates(0, 1000, 0, 1000, 0.95);
    expect(none.upper).toBeGreaterThan(0);
    expect(none.lower).toBeLessThan(0);
  });

  it('the Wilson bounds of one rate stay within 0 and 1', () => {
    const b = rateBounds(0, 100, 0.95);
    expect(b.lower).toBe(0);
    expect(b.upper).toBeGreaterThan(0.01);
    expect(b.upper).toBeLessThan(0.05);
  });
});

describe('a guard decides from a table of samples', () => {
  const within = rate({ maxIncrease: 0.005 });
  const cases: Array<[string, ResolvedGuard, ReturnType<typeof m>, ReturnType<typeof m>, 'hold' | 'pass' | 'breach', RegExp]> = [
    ['a difference above the threshold but within noise at these sample sizes', within, m(6, 500), m(2, 500), 'hold', /within noise/],
    ['the same difference with a hundred times the samples', within, m(600, 50_000), m(200, 50_000), 'breach', /increase over control is \+0\.8%.*above \+0\.5%/],
    ['equal rates on many samples', within, m(50, 50_000), m(50, 50_000), 'pass', /within \+0\.5%/],
    ['no errors in either group, enough samples', within, m(0, 5000), m(0, 5000), 'pass', /within/],
    ['fewer samples than minSamples for the variant', within, m(3, 120), m(1, 5000), 'hold', /120 samples for the new variant, fewer than 500/],
    ['fewer samples than minSamples for the control', within, m(3, 5000), m(1, 100), 'hold', /for the control, fewer than 500/],
    ['a 10-point regression on 600 samples', within, m(66, 600), m(3, 600), 'breach', /above/],
    ['a rate the variant improves', within, m(10, 20_000), m(100, 20_000), 'pass', /-0\.45%/],
    ['an absolute limit exceeded', rate({ max: 0.01 }), m(400, 10_000), m(0, 0), 'breach', /the rate is 4%/],
    ['an absolute limit kept', rate({ max: 0.01 }), m(20, 10_000), m(0, 0), 'pass', /within 1%/],
    ['a ratio of rates far above the limit', rate({ maxRatio: 1.5 }), m(300, 10_000), m(100, 10_000), 'breach', /ratio to control is 3×/],
    ['a ratio of rates within noise', rate({ maxRatio: 1.5 }), m(4, 600), m(2, 600), 'hold', /within noise/],
  ];
  it.each(cases)('%s', (_, guard, variant, control, outcome, why) => {
    const d = decideGuard(guard, variant, control);
    expect(d.outcome).toBe(outcome);
    expect(d.why).toMatch(why);
  });

  it('a value (a p95 latency) is compared as measured, once both groups have the samples', () => {
    const g = value({ maxRatio: 1.2, minSamples: 100 });
    expect(decideGuard(g, { value: 0.3, samples: 1000 }, { value: 0.2, samples: 1000 }).outcome).toBe('breach');
    expect(decideGuard(g, { value: 0.21, samples: 1000 }, { value: 0.2, samples: 1000 }).outcome).toBe('pass');
    expect(decideGuard(g, { value: 0.3, samples: 50 }, { value: 0.2, samples: 1000 }).outcome).toBe('hold');
    expect(decideGuard(g, { value: 0.3, samples: 1000 }, { value: 0, samples: 1000 })).toMatchObject({ outcome: 'hold', why: expect.stringMatching(/no ratio/) });
    expect(decideGuard(value({ maxIncrease: 0.05 }), { value: 0.31, samples: 1000 }, { value: 0.2, samples: 1000 }).outcome).toBe('breach');
  });

  it('what no data or a wrong query gives holds, never passes', () => {
    expect(decideGuard(within, { value: null, samples: null }, m(1, 1000)).why).toMatch(/no samples for the new variant/);
    expect(decideGuard(within, { value: 3.5, samples: 1000 }, m(1, 1000)).why).toMatch(/not between 0 and 1 \(is the query a ratio\?\)/);
    expect(decideGuard(within, { value: Number.NaN, samples: 1000 }, m(1, 1000)).outcome).toBe('hold');
    expect(decideGuard(within, { value: 0.1, samples: -3 }, m(1, 1000)).why).toMatch(/not a count/);
    // Errors matching no series while samples were counted: no error was reported, a rate of 0.
    expect(decideGuard(within, { value: null, samples: 5000 }, { value: null, samples: 5000 }).outcome).toBe('pass');
  });

  it('a breach of one threshold decides over a pass of another', () => {
    const both = rate({ maxIncrease: 0.5, max: 0.01 });
    expect(decideGuard(both, m(400, 10_000), m(390, 10_000)).outcome).toBe('breach');
  });
});
