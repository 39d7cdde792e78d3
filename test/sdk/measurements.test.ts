import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/index.js';
import { FlagopsProvider } from '../../src/openfeature/provider.js';
import { FileStore } from '../../src/store/file-store.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'flagops-sdk-measure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const staged = { stages: [{ at: '2026-01-01T00:00:00.000Z', percentage: 50, guards: [{ metric: 'error-rate' }] }], variant: 'on', stickiness: 'userId' };

async function store(name: string) {
  const path = join(dir, `${name}.json`);
  await StoreWriter.of(new FileStore(path)).sync([compiled('checkout', staged), compiled('banner')]);
  return path;
}

/** Which users get "on" for a 50% flag, by evaluating (the truth the counts must agree with). */
const users = Array.from({ length: 400 }, (_, i) => ({ userId: `u${i}` }));

describe('measurements: evaluations and outcomes by flag and variant', () => {
  it('count every evaluation path and attribute each outcome to the variant the user is served', async () => {
    const client = createFlagClient({ file: await store('text'), env: 'production', measurements: true });
    await client.ready();
    let on = 0;
    for (const user of users) if (client.isEnabled('checkout', user)) on++;
    for (const user of users) client.evaluate('checkout', user);
    for (const user of users) if (client.getVariant('checkout', user) === 'on') client.track('checkout', 'error', user);
    client.track('checkout', 'latency', users[0], 0.3);
    client.track('unknown-flag', 'error', users[0]);
    const text = client.metricsText();
    expect(text).toContain(`flagops_evaluations_total{flag="checkout",variant="on",environment="production"} ${3 * on}`);
    expect(text).toContain(`flagops_evaluations_total{flag="checkout",variant="off",environment="production"} ${3 * (400 - on)}`);
    expect(text).toContain(`flagops_outcomes_total{flag="checkout",variant="on",environment="production",event="error"} ${on}`);
    expect(text).not.toMatch(/variant="off",environment="production",event="error"/);
    expect(text).not.toContain('unknown-flag');
    const latencyVariant = client.getVariant('checkout', users[0]);
    expect(text).toContain(`flagops_outcome_value_bucket{flag="checkout",variant="${latencyVariant}",environment="production",event="latency",le="0.25"} 0`);
    expect(text).toContain(`flagops_outcome_value_bucket{flag="checkout",variant="${latencyVariant}",environment="production",event="latency",le="0.5"} 1`);
    await client.close();
  });

  it('register with an application\'s prom-client registry, which exposes them as its own', async () => {
    const registry = new Registry();
    const client = createFlagClient({ file: await store('prom'), env: 'production', measurements: { registry, environment: 'prod-eu' } });
    await client.ready();
    for (const user of users) client.isEnabled('banner', user);
    client.track('banner', 'error', users[1]);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE flagops_evaluations_total counter');
    expect(text).toContain('flagops_evaluations_total{flag="banner",variant="on",environment="prod-eu"} 400');
    expect(text).toContain('flagops_outcomes_total{flag="banner",variant="on",environment="prod-eu",event="error"} 1');
    const json = await registry.getMetricsAsJSON();
    expect(json.map((m) => m.name).sort()).toEqual(['flagops_evaluations_total', 'flagops_outcome_value', 'flagops_outcomes_total']);
    await client.close();
  });

  it('report through an OpenTelemetry meter, with OpenFeature\'s attribute names', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const client = createFlagClient({ file: await store('otel'), env: 'production', measurements: { meter: provider.getMeter('flagops-test') } });
    await client.ready();
    for (const user of users) client.isEnabled('banner', user);
    client.track('banner', 'latency', users[0], 0.12);
    await reader.forceFlush();
    const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const evaluations = metrics.find((m) => m.descriptor.name === 'feature_flag.evaluations')!;
    expect(evaluations.dataPoints).toEqual([
      expect.objectContaining({ value: 400, attributes: { 'feature_flag.key': 'banner', 'feature_flag.result.variant': 'on', 'feature_flag.provider.name': 'flagops', 'deployment.environment.name': 'production' } }),
    ]);
    const values = metrics.find((m) => m.descriptor.name === 'flagops.outcome.value')!;
    expect(values.dataPoints[0]).toMatchObject({ attributes: { 'feature_flag.key': 'banner', event: 'latency' }, value: { count: 1, sum: 0.12 } });
    await provider.shutdown();
    await client.close();
  });

  it('OpenFeature\'s track() counts for every guarded rollout, or for the flag its details name', async () => {
    const client = createFlagClient({ file: await store('openfeature'), env: 'production', measurements: true });
    await client.ready();
    await OpenFeature.setProviderAndWait('measure', new FlagopsProvider(client));
    const of = OpenFeature.getClient('measure');
    const variant = client.getVariant('checkout', { userId: 'u7' });
    of.track('error', { targetingKey: 'u7' });
    of.track('conversion', { targetingKey: 'u7' }, { flag: 'banner', value: 12 });
    const text = client.metricsText();
    expect(text).toContain(`flagops_outcomes_total{flag="checkout",variant="${variant}",environment="production",event="error"} 1`);
    expect(text).not.toMatch(/flag="banner".*event="error"/);
    expect(text).toContain('flagops_outcomes_total{flag="banner",variant="on",environment="production",event="conversion"} 1');
    await OpenFeature.clearProviders();
  });

  it('count nothing and cost nothing when off', async () => {
    const client = createFlagClient({ file: await store('off'), env: 'production' });
    await client.ready();
    client.isEnabled('banner');
    client.track('banner', 'error');
    expect(client.metricsText()).toBe('');
    await client.close();
  });
});
