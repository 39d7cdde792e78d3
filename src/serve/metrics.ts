import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FlagClient } from '../sdk/client.js';

const STATES = ['starting', 'ready', 'stale', 'closed'] as const;

/** Prometheus metrics of one server: requests, latency, evaluations by reason, and each snapshot's revision, age and store state. */
export class ServeMetrics {
  private readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'status'>;
  private readonly latency: Histogram<'route'>;
  private readonly evaluations: Counter<'environment' | 'reason'>;
  private readonly updatedAt = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(clients: ReadonlyMap<string, FlagClient>) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'flagops_serve_requests_total', help: 'HTTP requests answered, by route and status.', labelNames: ['route', 'status'], registers });
    this.latency = new Histogram({
      name: 'flagops_serve_request_duration_seconds',
      help: 'Time to answer a request, by route.',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.evaluations = new Counter({ name: 'flagops_serve_evaluations_total', help: 'Flag evaluations, by environment and reason.', labelNames: ['environment', 'reason'], registers });
    const ageSeconds = (environment: string) => this.ageSeconds(environment);
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
    this.requests.inc({ route, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  evaluated(environment: string, reason: string): void {
    this.evaluations.inc({ environment, reason });
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
