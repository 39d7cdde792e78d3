/**
 * Evaluations and outcomes by flag, variant and environment: what a guard compares. Counted in
 * plain maps on the evaluation path (one Map lookup by the outcome's frozen object and an add),
 * and read at collection time by prom-client (an application's own Registry), by OpenTelemetry
 * (observable instruments on an application's own Meter), or as Prometheus text. No dependency:
 * the SDK is handed the application's registry or meter and describes itself in their shapes.
 */

/** A prom-client Registry: registerMetric() takes any object with prom-client's get(). */
export interface PromRegistry {
  registerMetric(metric: never): void;
}

interface Attributes {
  [name: string]: string;
}
interface ObservableResult {
  observe(value: number, attributes?: Attributes): void;
}
interface Observable {
  addCallback(callback: (result: ObservableResult) => void): void;
}
/** The part of an OpenTelemetry Meter (@opentelemetry/api) the SDK uses. */
export interface OtelMeter {
  createObservableCounter(name: string, options?: { description?: string; unit?: string }): Observable;
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): { record(value: number, attributes?: Attributes): void };
}
/** An OpenTelemetry Logger (@opentelemetry/api-logs): evaluation events as Appendix D of OpenFeature names them. */
export interface OtelLogger {
  emit(record: { eventName?: string; attributes?: Record<string, string | number | boolean> }): void;
}

export interface MeasurementOptions {
  /** The environment label (default: the client's env). */
  environment?: string;
  /** prom-client Registry to register flagops_evaluations_total, flagops_outcomes_total and flagops_outcome_value. */
  registry?: PromRegistry;
  /** OpenTelemetry Meter for feature_flag.evaluations, flagops.outcomes and flagops.outcome.value. */
  meter?: OtelMeter;
  /** OpenTelemetry Logger: one feature_flag.evaluation event per evaluation (costly; for sampling pipelines). */
  logger?: OtelLogger;
  /** Bucket bounds for outcome values (default: latencies in seconds, 5 ms to 10 s). */
  buckets?: number[];
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Tally {
  flag: string;
  variant: string;
  n: number;
}

interface ValueTally {
  flag: string;
  variant: string;
  event: string;
  counts: Float64Array;
  sum: number;
  count: number;
}

/** Label values as Prometheus' text format quotes them. */
const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export class Measurements {
  readonly environment: string;
  private readonly buckets: number[];
  /** By the outcome object an evaluation returned (one per flag outcome per snapshot). */
  private readonly byOutcome = new Map<object, Tally>();
  /** By flag and variant, for evaluations counted without an outcome object and for snapshots gone by. */
  private readonly byName = new Map<string, Tally>();
  private readonly outcomes = new Map<string, Tally & { event: string }>();
  private readonly values = new Map<string, ValueTally>();
  private readonly histogram?: { record(value: number, attributes?: Attributes): void };
  private readonly logger?: OtelLogger;

  constructor(options: MeasurementOptions, environment: string) {
    this.environment = options.environment ?? environment;
    this.buckets = [...(options.buckets ?? DEFAULT_BUCKETS)].sort((a, b) => a - b);
    if (options.registry) this.registerWith(options.registry);
    if (options.meter) this.histogram = this.observeWith(options.meter);
    if (options.logger) this.logger = options.logger;
  }

  /** One evaluation that returned `outcome` (a frozen per-outcome object): the hot path. */
  evaluated(flag: string, variant: string, outcome: object, reason: string): void {
    const tally = this.byOutcome.get(outcome);
    if (tally !== undefined) tally.n++;
    else this.byOutcome.set(outcome, { flag, variant, n: 1 });
    if (this.logger) this.event(flag, variant, reason);
  }

  /** One evaluation without a shared outcome object. */
  evaluatedByName(flag: string, variant: string, reason: string): void {
    this.named(this.byName, `${flag}\0${variant}`, { flag, variant }).n++;
    if (this.logger) this.event(flag, variant, reason);
  }

  /** Folds the per-outcome counts into the named ones: a new snapshot makes new outcome objects. */
  fold(): void {
    for (const { flag, variant, n } of this.byOutcome.values()) this.named(this.byName, `${flag}\0${variant}`, { flag, variant }).n += n;
    this.byOutcome.clear();
  }

  /** An outcome a service reported for a user who was served `variant`, with an optional value (seconds, say). */
  outcome(flag: string, variant: string, event: string, value?: number): void {
    this.named(this.outcomes, `${flag}\0${variant}\0${event}`, { flag, variant, event }).n++;
    if (value === undefined || !Number.isFinite(value)) return;
    const key = `${flag}\0${variant}\0${event}`;
    let v = this.values.get(key);
    if (!v) this.values.set(key, (v = { flag, variant, event, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 }));
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    v.counts[i]! += 1;
    v.sum += value;
    v.count += 1;
    this.histogram?.record(value, { 'feature_flag.key': flag, 'feature_flag.result.variant': variant, event, 'deployment.environment.name': this.environment });
  }

  private named<T extends Tally>(map: Map<string, T>, key: string, init: Omit<T, 'n'>): T {
    let t = map.get(key);
    if (!t) map.set(key, (t = { ...init, n: 0 } as T));
    return t;
  }

  /** Evaluations by flag and variant, totals since the client started. */
  evaluations(): Tally[] {
    const totals = new Map<string, Tally>();
    for (const source of [this.byName.values(), this.byOutcome.values()]) {
      for (const { flag, variant, n } of source) this.named(totals, `${flag}\0${variant}`, { flag, variant }).n += n;
    }
    return [...totals.values()];
  }

  private event(flag: string, variant: string, reason: string): void {
    try {
      this.logger!.emit({
        eventName: 'feature_flag.evaluation',
        attributes: { 'feature_flag.key': flag, 'feature_flag.result.variant': variant, 'feature_flag.result.reason': reason.toLowerCase(), 'feature_flag.provider.name': 'flagops', 'deployment.environment.name': this.environment },
      });
    } catch {
      // Telemetry must never break an evaluation.
    }
  }

  /** Prometheus' text exposition of everything counted, for a service without prom-client. */
  text(): string {
    const env = quote(this.environment);
    const lines = ['# HELP flagops_evaluations_total Flag evaluations by flag, variant and environment.', '# TYPE flagops_evaluations_total counter'];
    for (const t of this.evaluations()) lines.push(`flagops_evaluations_total{flag=${quote(t.flag)},variant=${quote(t.variant)},environment=${env}} ${t.n}`);
    lines.push('# HELP flagops_outcomes_total Outcomes services reported (track), by flag, variant served, environment and event.', '# TYPE flagops_outcomes_total counter');
    for (const t of this.outcomes.values()) lines.push(`flagops_outcomes_total{flag=${quote(t.flag)},variant=${quote(t.variant)},environment=${env},event=${quote(t.event)}} ${t.n}`);
    lines.push('# HELP flagops_outcome_value Values reported with outcomes (track with a value), by flag, variant, environment and event.', '# TYPE flagops_outcome_value histogram');
    for (const v of this.values.values()) {
      const labels = `flag=${quote(v.flag)},variant=${quote(v.variant)},environment=${env},event=${quote(v.event)}`;
      let total = 0;
      this.buckets.forEach((le, i) => {
        total += v.counts[i]!;
        lines.push(`flagops_outcome_value_bucket{${labels},le="${le}"} ${total}`);
      });
      lines.push(`flagops_outcome_value_bucket{${labels},le="+Inf"} ${v.count}`, `flagops_outcome_value_sum{${labels}} ${v.sum}`, `flagops_outcome_value_count{${labels}} ${v.count}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** prom-client reads a metric as an object with get(): three of them, built from the maps when scraped. */
  private registerWith(registry: PromRegistry): void {
    const environment = this.environment;
    type Value = { labels: Record<string, string | number>; value: number; metricName?: string };
    const metric = (name: string, help: string, type: string, values: () => Value[]) => ({
      name,
      help,
      type,
      aggregator: 'sum',
      get: () => Promise.resolve({ name, help, type, aggregator: 'sum', values: values() }),
      reset: () => undefined,
    });
    registry.registerMetric(
      metric('flagops_evaluations_total', 'Flag evaluations by flag, variant and environment.', 'counter', () =>
        this.evaluations().map((t) => ({ labels: { flag: t.flag, variant: t.variant, environment }, value: t.n })),
      ) as never,
    );
    registry.registerMetric(
      metric('flagops_outcomes_total', 'Outcomes services reported (track), by flag, variant served, environment and event.', 'counter', () =>
        [...this.outcomes.values()].map((t) => ({ labels: { flag: t.flag, variant: t.variant, environment, event: t.event }, value: t.n })),
      ) as never,
    );
    registry.registerMetric(
      metric('flagops_outcome_value', 'Values reported with outcomes (track with a value), by flag, variant, environment and event.', 'histogram', () =>
        [...this.values.values()].flatMap((v) => {
          const labels = { flag: v.flag, variant: v.variant, environment, event: v.event };
          let total = 0;
          return [
            ...this.buckets.map((le, i) => {
              total += v.counts[i]!;
              return { labels: { ...labels, le }, value: total, metricName: 'flagops_outcome_value_bucket' };
            }),
            { labels: { ...labels, le: '+Inf' }, value: v.count, metricName: 'flagops_outcome_value_bucket' },
            { labels, value: v.sum, metricName: 'flagops_outcome_value_sum' },
            { labels, value: v.count, metricName: 'flagops_outcome_value_count' },
          ];
        }),
      ) as never,
    );
  }

  private observeWith(meter: OtelMeter) {
    const environment = this.environment;
    meter
      .createObservableCounter('feature_flag.evaluations', { description: 'Flag evaluations by flag and variant (OpenFeature Appendix D attributes).' })
      .addCallback((result) => {
        for (const t of this.evaluations()) result.observe(t.n, { 'feature_flag.key': t.flag, 'feature_flag.result.variant': t.variant, 'feature_flag.provider.name': 'flagops', 'deployment.environment.name': environment });
      });
    meter.createObservableCounter('flagops.outcomes', { description: 'Outcomes services reported, by flag, variant served and event.' }).addCallback((result) => {
      for (const t of this.outcomes.values()) result.observe(t.n, { 'feature_flag.key': t.flag, 'feature_flag.result.variant': t.variant, event: t.event, 'deployment.environment.name': environment });
    });
    return meter.createHistogram('flagops.outcome.value', { description: 'Values reported with outcomes.', advice: { explicitBucketBoundaries: this.buckets } });
  }
}
