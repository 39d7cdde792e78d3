import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FlagClient } from '../sdk/client.js';

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

/**
 * Prometheus metrics of one server: requests, latency, evaluations by reason, and each snapshot's
 * revision, age and store state. Requests and evaluations are counted in plain maps and handed to
 * prom-client when scraped: a labelled inc() per evaluation (50 in a bulk request) cost more than
 * the evaluations themselves.
 */
export class ServeMetrics {
  private readonly registry = new Registry();
  private readonly latency: Histogram<'route'>;
  private readonly latencyByRoute = new Map<string, ReturnType<Histogram<'route'>['labels']>>();
  private readonly requests = new Tallies();
  private readonly evaluations = new Tallies();
  private readonly updatedAt = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(clients: ReadonlyMap<string, FlagClient>) {
    const registers = [this.registry];
    const { requests, evaluations } = this;
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
        evaluations.copyTo(this);
      },
    });
    this.latency = new Histogram({
      name: 'flagops_serve_request_duration_seconds',
      help: 'Time to answer a request, by route.',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
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
      const touch = () => this.updatedAt.set(environment, Date.now());
      if (client.revision !== 0) touch();
      client.on('ready', touch);
      client.on('changed', touch);
      this.unsubscribe.push(() => {
        client.off('ready', touch);
        client.off('changed', touch);
      });
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observe(route: string, status: number, seconds: number): void {
    this.requests.add(route, String(status));
    let histogram = this.latencyByRoute.get(route);
    if (!histogram) {
      histogram = this.latency.labels(route);
      this.latencyByRoute.set(route, histogram);
    }
    histogram.observe(seconds);
  }

  evaluated(environment: string, reason: string, n = 1): void {
    this.evaluations.add(environment, reason, n);
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
