import { Counter, Gauge, type Metric, Registry } from 'prom-client';
import type { FlagClient } from '../sdk/client.js';
import type { AnswerWriter } from './ofrep.js';

const STATES = ['starting', 'ready', 'stale', 'closed'] as const;

interface Tally {
  labels: [string, string];
  n: number;
}

/** Counts by a pair of labels in plain maps, handed to prom-client when scraped. */
class Tallies {
  private readonly counts = new Map<string, Map<string, Tally>>();

  add(a: string, b: string, n = 1): void {
    let inner = this.counts.get(a);
    if (!inner) {
      inner = new Map();
      this.counts.set(a, inner);
    }
    const tally = inner.get(b);
    if (tally) tally.n += n;
    else inner.set(b, { labels: [a, b], n });
  }

  /** Sets the counter to the totals (they only grow, so it still only goes up). */
  copyTo(counter: Counter<string>): void {
    counter.reset();
    for (const inner of this.counts.values()) for (const { labels, n } of inner.values()) counter.labels(...labels).inc(n);
  }
}

const LATENCY_BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * A latency histogram by route, counted in plain arrays and read by prom-client as any histogram of
 * its own when scraped. prom-client's observe() hashes the labels and builds a closure per call: on
 * a request that takes 30 µs of the server's time, that was a tenth of it.
 */
class Latencies {
  readonly name = 'flagops_serve_request_duration_seconds';
  readonly help = 'Time to answer a request (from routing it to handing the answer to the socket), by route.';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly routes = new Map<string, { counts: Float64Array; sum: number }>();

  observe(route: string, seconds: number): void {
    let tally = this.routes.get(route);
    if (!tally) {
      tally = { counts: new Float64Array(LATENCY_BOUNDS.length + 1), sum: 0 };
      this.routes.set(route, tally);
    }
    let i = 0;
    while (i < LATENCY_BOUNDS.length && seconds > LATENCY_BOUNDS[i]!) i++;
    tally.counts[i]! += 1;
    tally.sum += seconds;
  }

  /** prom-client's shape of a histogram: cumulative buckets, then +Inf, sum and count, per route. */
  get() {
    const values: Array<{ labels: Record<string, string | number>; sharedLabels: { route: string }; value: number; metricName: string }> = [];
    for (const [route, { counts, sum }] of this.routes) {
      const sharedLabels = { route };
      let total = 0;
      LATENCY_BOUNDS.forEach((le, i) => {
        total += counts[i]!;
        values.push({ labels: { le }, sharedLabels, value: total, metricName: `${this.name}_bucket` });
      });
      total += counts[LATENCY_BOUNDS.length]!;
      values.push({ labels: { le: '+Inf' }, sharedLabels, value: total, metricName: `${this.name}_bucket` });
      values.push({ labels: {}, sharedLabels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels, value: total, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  reset(): void {
    this.routes.clear();
  }
}

/**
 * Prometheus metrics of one server: requests, latency, evaluations by reason, and each snapshot's
 * revision, age and store state. Requests are counted in plain maps and evaluations by the answer
 * writers (each cached answer counts its own), handed to prom-client when scraped: a labelled inc()
 * per evaluation (50 in a bulk request) cost more than the evaluations themselves.
 */
export class ServeMetrics {
  private readonly registry = new Registry();
  private readonly latencies = new Latencies();
  private readonly requests = new Tallies();
  private readonly updatedAt = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(clients: ReadonlyMap<string, FlagClient>, writers: ReadonlyMap<string, Pick<AnswerWriter, 'served' | 'servedByVariant'>>) {
    const registers = [this.registry];
    const { requests } = this;
    const ageSeconds = (environment: string) => this.ageSeconds(environment);
    new Counter({
      name: 'flagops_serve_requests_total',
      help: 'HTTP requests answered, by route and status.',
      labelNames: ['route', 'status'],
      registers,
      collect() {
        requests.copyTo(this);
      },
    });
    new Counter({
      name: 'flagops_serve_evaluations_total',
      help: 'Flag evaluations, by environment and reason.',
      labelNames: ['environment', 'reason'],
      registers,
      collect() {
        // The writers count what they serve; the totals only grow, so the counter still only goes up.
        this.reset();
        for (const [environment, writer] of writers) for (const [reason, n] of writer.served()) this.labels(environment, reason).inc(n);
      },
    });
    // The SDK's own name and labels: a guard's queries read the server's evaluations as a service's.
    new Counter({
      name: 'flagops_evaluations_total',
      help: 'Flag evaluations by flag, variant and environment.',
      labelNames: ['flag', 'variant', 'environment'],
      registers,
      collect() {
        this.reset();
        for (const [environment, writer] of writers) for (const t of writer.servedByVariant()) this.labels(t.flag, t.variant, environment).inc(t.n);
      },
    });
    // Registered as prom-client registers its own metrics: an object it reads with get().
    this.registry.registerMetric(this.latencies as unknown as Metric);
    new Gauge({
      name: 'flagops_serve_snapshot_revision',
      help: 'The revision each environment serves (0: none yet).',
      labelNames: ['environment'],
      registers,
      collect() {
        for (const [environment, client] of clients) this.set({ environment }, client.revision);
      },
    });
    new Gauge({
      name: 'flagops_serve_snapshot_age_seconds',
      help: 'Seconds since each environment last took a new revision from its store.',
      labelNames: ['environment'],
      registers,
      collect() {
        for (const environment of clients.keys()) {
          const age = ageSeconds(environment);
          if (age !== null) this.set({ environment }, age);
        }
      },
    });
    new Gauge({
      name: 'flagops_serve_store_state',
      help: 'Each environment\'s store state: 1 for the current one (starting, ready, stale, closed).',
      labelNames: ['environment', 'state'],
      registers,
      collect() {
        for (const [environment, client] of clients) for (const state of STATES) this.set({ environment, state }, client.state === state ? 1 : 0);
      },
    });
    for (const [environment, client] of clients) {
      // The age is of the revision served: a store that comes back with the same revision (ready again) does not reset it.
      let taken: number | undefined;
      const touch = () => {
        taken = client.revision;
        this.updatedAt.set(environment, Date.now());
      };
      const ready = () => {
        if (client.revision !== taken) touch();
      };
      if (client.revision !== 0) touch();
      client.on('ready', ready);
      client.on('changed', touch);
      this.unsubscribe.push(() => {
        client.off('ready', ready);
        client.off('changed', touch);
      });
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observe(route: string, status: number, seconds: number): void {
    this.requests.add(route, String(status));
    this.latencies.observe(route, seconds);
  }

  ageSeconds(environment: string): number | null {
    const at = this.updatedAt.get(environment);
    return at === undefined ? null : Math.round((Date.now() - at) / 100) / 10;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  close(): void {
    for (const off of this.unsubscribe) off();
  }
}
