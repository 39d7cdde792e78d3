import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlagClient } from '../../src/sdk/index.js';
import { FileStore } from '../../src/store/file-store.js';
import { launchBrowser, noBrowser } from '../helpers/browser.js';
import { flagops } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';
import { freePort } from '../helpers/redis-server.js';
import { pageAnswers, sdkAnswers, type Served, servePage, setServeSettings, startServe, valueKinds } from '../helpers/serve.js';
import { compiled, StoreWriter } from '../helpers/store-writer.js';
import { tmpProject } from '../helpers/tmp.js';

const KEY = 'prod-7f3c9a1e5b2d4c6f8a0b';
/** int(md5("<flag>:<user>").hexdigest(), 16) % 100, written independently of flagops (as test/sdk/interop.test.ts). */
const bucket = (flag: string, user: string) => Number(BigInt(`0x${createHash('md5').update(`${flag}:${user}`).digest('hex')}`) % 100n);

/** Runs `work` for each item with `width` requests in flight. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

describe('flagops serve agrees with the SDK at volume', () => {
  const servers: Served[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('buckets 100,000 ids over HTTP as int(md5) mod 100 does, on rollouts and a split', async () => {
    const root = tmpProject({ 'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: []\n' });
    const percentages = [1, 10, 25, 50, 99];
    const split: Array<[string, number]> = [['control', 50], ['blue', 30], ['green', 20]];
    await StoreWriter.of(new FileStore(join(root, '.flagops/store/production.json'))).sync([
      ...percentages.map((p) => compiled(`rollout-${p}`, { percentage: p, variant: 'on', stickiness: 'userId' })),
      compiled('colour-test', { split, stickiness: 'userId' }, { type: 'experiment', variants: { control: 'c', blue: 'b', green: 'g' }, offVariant: 'control' }),
    ]);
    const served = await startServe(root, [], { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'off' });
    servers.push(served);
    const users = Array.from({ length: 100_000 }, (_, i) => `${i.toString(36)}-${(i * 7919) % 100_003}@example.com`);
    const mismatches: string[] = [];
    await inParallel(users, 32, async (user) => {
      const response = await fetch(`${served.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ context: { targetingKey: user } }),
      });
      const { flags } = (await response.json()) as { flags: Array<{ key: string; value: unknown; variant: string }> };
      for (const flag of flags) {
        if (flag.key === 'colour-test') {
          const b = bucket('colour-test', user);
          let cumulative = 0;
          if (flag.variant !== split.find(([, weight]) => b < (cumulative += weight))![0]) mismatches.push(`colour-test ${user}`);
        } else {
          const p = Number(flag.key.slice('rollout-'.length));
          if (flag.value !== (bucket(flag.key, user) < p)) mismatches.push(`${flag.key} ${user}`);
        }
      }
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
  }, 300_000);

  it('answers the Node OFREP provider as the SDK does for 10,000 contexts on every example flag', async () => {
    const repo = exampleProject();
    expect(flagops(['sync', '--env', 'production'], repo.root, { env: { FLAGOPS_NOW: '2026-11-27' } }).code).toBe(0);
    const served = await startServe(repo.root, ['--env', 'production'], { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'off' });
    servers.push(served);
    const sdk = createFlagClient({ file: join(repo.root, '.flagops/store/production.json') });
    await sdk.ready();
    await OpenFeature.setProviderAndWait('stress', new OFREPProvider({ baseUrl: served.url, headers: [['X-API-Key', KEY]] }));
    const client = OpenFeature.getClient('stress');
    const keys = sdk.keys().sort();
    const kinds = valueKinds(sdk, keys);
    const contexts = Array.from({ length: 10_000 }, (_, i) => ({
      targetingKey: `u-${i}`,
      plan: ['free', 'pro', 'enterprise'][i % 3]!,
      groups: i % 11 === 0 ? ['employees'] : [],
      appVersion: `${1 + (i % 3)}.${i % 10}.${i % 4}`,
      accountId: `acct-${i % 97}`,
      anonymousId: `anon-${i}`,
      platform: ['ios', 'android', 'web'][i % 3]!,
    }));
    const mismatches: string[] = [];
    await inParallel(contexts, 16, async (context) => {
      for (const key of keys) {
        const kind = kinds[key];
        const details =
          kind === 'boolean'
            ? await client.getBooleanDetails(key, false, context)
            : kind === 'string'
              ? await client.getStringDetails(key, '', context)
              : kind === 'number'
                ? await client.getNumberDetails(key, 0, context)
                : await client.getObjectDetails(key, {}, context);
        const expected = sdk.evaluate(key, { ...context, userId: context.targetingKey });
        const [got, want] = [[details.value, details.variant, details.reason], [expected.value, expected.variant, expected.reason]];
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(`${key} ${context.targetingKey}: ${details.reason} vs ${expected.reason}`);
        }
      }
    });
    await OpenFeature.clearProviders();
    await sdk.close();
    expect(mismatches.slice(0, 10)).toEqual([]);
  }, 300_000);

  it.skipIf(noBrowser !== undefined)('answers the OFREP web provider in Chromium as the SDK does for 10,000 contexts', async () => {
    const repo = exampleProject();
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    setServeSettings(repo.root, { cors: { production: [origin] } });
    repo.commit('the page may read production');
    expect(flagops(['sync', '--env', 'production'], repo.root, { env: { FLAGOPS_NOW: '2026-11-27' } }).code).toBe(0);
    const served = await startServe(repo.root, ['--env', 'production'], { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'off' });
    servers.push(served);
    const page = await servePage(port);
    const sdk = createFlagClient({ file: join(repo.root, '.flagops/store/production.json') });
    await sdk.ready();
    const browser = await launchBrowser();
    try {
      const tab = await browser.newPage();
      await tab.goto(`${origin}/index.html?server=${encodeURIComponent(served.url)}&key=${KEY}&poll=0`);
      await tab.waitForFunction(() => document.getElementById('status')?.textContent === 'flags loaded');
      const keys = sdk.keys().sort();
      const contexts = Array.from({ length: 10_000 }, (_, i) => ({ targetingKey: `u-${i}`, plan: ['free', 'pro', 'enterprise'][i % 3]!, accountId: `acct-${i % 97}` }));
      const fromPage = await pageAnswers(tab, contexts, keys, valueKinds(sdk, keys));
      const expected = sdkAnswers(sdk, contexts, keys);
      const mismatches = fromPage.flatMap((got, i) => (got === expected[i] ? [] : [`#${i}: ${got} vs ${expected[i]}`]));
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(fromPage).toHaveLength(10_000 * keys.length);
    } finally {
      await browser.close();
      await sdk.close();
      await new Promise((resolve) => page.close(resolve));
    }
  }, 300_000);
});
