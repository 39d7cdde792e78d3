import { differenceOfRates, type Interval, rateBounds, ratioOfRates } from './statistics.js';
import type { ResolvedGuard } from '../definition/guard-thresholds.js';

/** What one query pair gave for one group: its value and the samples behind it (null: no data). */
export interface Measured {
  value: number | null;
  samples: number | null;
}

export type Outcome = 'hold' | 'pass' | 'breach';

export interface GuardDecision {
  outcome: Outcome;
  /** In words, with the numbers: the audit, the summary and the issue say this. */
  why: string;
}

/** How sure a guard must be before it passes or breaches: one-sided, each way. */
export const DEFAULT_CONFIDENCE = 0.95;

const pct = (n: number) => `${Math.round(n * 100_000) / 1000}%`;
const num = (n: number) => String(Math.round(n * 10_000) / 10_000);

/**
 * Whether the new variant keeps within the guard's thresholds, against the control group (the
 * users the rollout does not reach yet). Pure: the numbers come from the metrics source.
 *
 * A rate breaches only when the data show, at `confidence`, that it exceeds the threshold, and
 * passes only when they show it keeps within it; in between (a difference within noise at these
 * sample sizes) it holds. A value (a p95 latency) has no variance to test with: it is compared as
 * measured, once both groups have minSamples.
 */
export function decideGuard(guard: ResolvedGuard, variant: Measured, control: Measured, confidence = DEFAULT_CONFIDENCE): GuardDecision {
  const needsControl = guard.maxIncrease !== undefined || guard.maxRatio !== undefined;
  const unusable = (m: Measured, group: string): string | undefined => {
    const samples = m.samples;
    if (samples === null) return `no samples for the ${group} in the window`;
    // A rate whose events matched no series while samples were counted: no event was reported.
    const value = m.value === null && guard.kind === 'rate' && samples > 0 ? 0 : m.value;
    if (value === null) return `no data for the ${group} in the window`;
    if (!Number.isFinite(samples) || samples < 0) return `the ${group}'s sample count is ${samples}, not a count`;
    if (!Number.isFinite(value)) return `the ${group}'s value is ${value}`;
    if (guard.kind === 'rate' && (value < 0 || value > 1)) return `the ${group}'s rate is ${value}, not between 0 and 1 (is the query a ratio?)`;
    if (samples < guard.minSamples) return `${Math.floor(samples)} samples for the ${group}, fewer than ${guard.minSamples}`;
    return undefined;
  };
  const problem = unusable(variant, 'new variant') ?? (needsControl ? unusable(control, 'control') : undefined);
  if (problem) return { outcome: 'hold', why: problem };
  const v = { value: variant.value ?? 0, n: variant.samples! };
  const c = { value: control.value ?? 0, n: control.samples ?? 0 };
  const checks: GuardDecision[] = [];
  const judge = (interval: Interval, limit: number, what: string, show: (n: number) => string) => {
    const range = `${show(interval.lower)} to ${show(interval.upper)}`;
    if (interval.lower > limit) checks.push({ outcome: 'breach', why: `${what} is ${show(interval.estimate)} (${range} at ${confidence * 100}%), above ${show(limit)}` });
    else if (interval.upper <= limit) checks.push({ outcome: 'pass', why: `${what} is ${show(interval.estimate)}, within ${show(limit)}` });
    else checks.push({ outcome: 'hold', why: `${what} is ${show(interval.estimate)} (${range}): within noise of ${show(limit)} at these sample sizes` });
  };
  const counts = (m: { value: number; n: number }) => Math.round(m.value * m.n);
  const exact = (value: number): Interval => ({ estimate: value, lower: value, upper: value });
  if (guard.kind === 'rate') {
    if (guard.maxIncrease !== undefined) judge(differenceOfRates(counts(v), v.n, counts(c), c.n, confidence), guard.maxIncrease, 'the increase over control', (n) => `${n >= 0 ? '+' : ''}${pct(n)}`);
    if (guard.maxRatio !== undefined) judge(ratioOfRates(counts(v), v.n, counts(c), c.n, confidence), guard.maxRatio, 'the ratio to control', (n) => `${num(n)}×`);
    if (guard.max !== undefined) judge(rateBounds(counts(v), v.n, confidence), guard.max, 'the rate', pct);
  } else {
    if (guard.maxIncrease !== undefined) judge(exact(v.value - c.value), guard.maxIncrease, 'the increase over control', num);
    if (guard.maxRatio !== undefined) {
      if (c.value <= 0) checks.push({ outcome: 'hold', why: `the control's value is ${c.value}: no ratio to compare` });
      else judge(exact(v.value / c.value), guard.maxRatio, 'the ratio to control', (n) => `${num(n)}×`);
    }
    if (guard.max !== undefined) judge(exact(v.value), guard.max, 'the value', num);
  }
  const breach = checks.find((d) => d.outcome === 'breach');
  if (breach) return breach;
  const holding = checks.find((d) => d.outcome === 'hold');
  if (holding) return holding;
  return { outcome: 'pass', why: checks.map((d) => d.why).join('; ') };
}
