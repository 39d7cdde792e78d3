import type { MetricDefinition, MetricKind, MetricsConfig } from './config.js';
import type { GuardRef, GuardSpec } from './model.js';

/** A guard as a flag file states it, units resolved: what the compiled flag carries (format 3). */
export interface CompiledGuard {
  metric: string;
  maxIncrease?: number;
  maxRatio?: number;
  max?: number;
  /** Seconds. */
  window?: number;
  minSamples?: number;
}

/** A guard with its metric's query and defaults filled in: what `flagops guard` compares. */
export interface ResolvedGuard {
  metric: string;
  kind: MetricKind;
  /** For summaries: the metric's description, or its name. */
  label: string;
  query: string;
  samples: string;
  window: number;
  minSamples: number;
  maxIncrease?: number;
  maxRatio?: number;
  max?: number;
}

export const DEFAULT_WINDOW_SECONDS = 600;
export const DEFAULT_MIN_SAMPLES = 100;

/**
 * The samples behind a metric when its definition names none: evaluations the flagops SDKs and
 * `flagops serve` count, by flag, variant and environment.
 */
export const DEFAULT_SAMPLES_QUERY =
  'sum(increase(flagops_evaluations_total{flag="$flag",variant="$variant",environment="$environment"}[$window]))';

/** "0.5%" → 0.005; a number stays as it is. */
export function shareOf(value: number | string): number {
  if (typeof value === 'number') return value;
  return Number(value.slice(0, -1)) / 100;
}

/** "30s", "10m", "1h" → seconds. */
export function windowSeconds(text: string): number {
  const n = Number(text.slice(0, -1));
  return text.endsWith('h') ? n * 3600 : text.endsWith('m') ? n * 60 : n;
}

export const windowText = (seconds: number) =>
  seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;

const spec = (ref: GuardRef): GuardSpec => (typeof ref === 'string' ? { metric: ref } : ref);

export function compileGuard(ref: GuardRef): CompiledGuard {
  const g = spec(ref);
  return {
    metric: g.metric,
    ...(g.maxIncrease !== undefined ? { maxIncrease: shareOf(g.maxIncrease) } : {}),
    ...(g.maxRatio !== undefined ? { maxRatio: g.maxRatio } : {}),
    ...(g.max !== undefined ? { max: shareOf(g.max) } : {}),
    ...(g.window !== undefined ? { window: windowSeconds(g.window) } : {}),
    ...(g.minSamples !== undefined ? { minSamples: g.minSamples } : {}),
  };
}

/** A metric definition's own thresholds, in the compiled guard's units. */
const defaultsOf = (metric: string, d: MetricDefinition): CompiledGuard =>
  compileGuard({
    metric,
    ...(d.maxIncrease !== undefined ? { maxIncrease: d.maxIncrease } : {}),
    ...(d.maxRatio !== undefined ? { maxRatio: d.maxRatio } : {}),
    ...(d.max !== undefined ? { max: d.max } : {}),
    ...(d.window !== undefined ? { window: d.window } : {}),
    ...(d.minSamples !== undefined ? { minSamples: d.minSamples } : {}),
  });

/**
 * The guard with its metric filled in, or why it cannot be compared. A guard that names any
 * threshold replaces all of the metric's thresholds: `{ metric: error-rate, max: 2% }` means only that.
 */
export function resolveGuard(guard: CompiledGuard, metrics: MetricsConfig): ResolvedGuard | { problem: string } {
  const definition = metrics.definitions[guard.metric];
  if (!definition) return { problem: `the metric "${guard.metric}" is not defined under metrics: in flagops.config.yaml` };
  const base = defaultsOf(guard.metric, definition);
  const own = guard.maxIncrease !== undefined || guard.maxRatio !== undefined || guard.max !== undefined;
  const limits = own ? guard : base;
  if (limits.maxIncrease === undefined && limits.maxRatio === undefined && limits.max === undefined) {
    return { problem: `neither the guard nor the metric "${guard.metric}" sets maxIncrease, maxRatio or max` };
  }
  return {
    metric: guard.metric,
    kind: definition.kind,
    label: definition.description ?? guard.metric,
    query: definition.query,
    samples: definition.samples ?? DEFAULT_SAMPLES_QUERY,
    window: guard.window ?? base.window ?? DEFAULT_WINDOW_SECONDS,
    minSamples: guard.minSamples ?? base.minSamples ?? DEFAULT_MIN_SAMPLES,
    ...(limits.maxIncrease !== undefined ? { maxIncrease: limits.maxIncrease } : {}),
    ...(limits.maxRatio !== undefined ? { maxRatio: limits.maxRatio } : {}),
    ...(limits.max !== undefined ? { max: limits.max } : {}),
  };
}

/** A guard in words for reviews: the metric's thresholds from the configuration, or its name where it has none. */
export type GuardWords = (guard: CompiledGuard) => string;

export const guardNames: GuardWords = (g) => `${g.metric} passes`;

export function guardWords(metrics: MetricsConfig): GuardWords {
  return (g) => {
    const resolved = resolveGuard(g, metrics);
    return 'problem' in resolved ? guardNames(g) : describeGuard(resolved, 'stays ');
  };
}

/** The guard in words: "error rate within +0.5% of control over 10m" ("error rate stays within …" with `verb`). */
export function describeGuard(g: ResolvedGuard | (CompiledGuard & { label?: string; kind?: MetricKind }), verb = ''): string {
  const kind = g.kind ?? 'rate';
  const amount = (n: number) => (kind === 'rate' ? `${Math.round(n * 100_000) / 1000}%` : String(n));
  const parts: string[] = [];
  if (g.maxIncrease !== undefined) parts.push(`within +${amount(g.maxIncrease)} of control`);
  if (g.maxRatio !== undefined) parts.push(`at most ${g.maxRatio}× control`);
  if (g.max !== undefined) parts.push(`at most ${amount(g.max)}`);
  const label = ('label' in g && g.label) || g.metric;
  const window = g.window !== undefined ? ` over ${windowText(g.window)}` : '';
  return `${label} ${verb}${parts.length > 0 ? parts.join(' and ') : 'within its configured thresholds'}${window}`;
}
