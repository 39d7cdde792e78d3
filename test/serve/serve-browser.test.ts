import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from '../../src/sdk/index.js';
import { launchBrowser, noBrowser, watch } from '../helpers/browser.js';
import { flagops, repoRoot } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';
import { freePort } from '../helpers/redis-server.js';
import { pageAnswers, sdkAnswers, type Served, servePage, setServeSettings, startServe, valueKinds } from '../helpers/serve.js';
import { writeFile } from '../helpers/tmp.js';
import { eventually } from '../helpers/wait.js';

const PROD = 'prod-7f3c9a1e5b2d4c6f8a0b';
const NOW = { FLAGOPS_NOW: '2026-11-27' };

describe.skipIf(noBrowser !== undefined)('flagops serve to a browser: OpenFeature\'s OFREP web provider in Chromium', () => {
  const repo = exampleProject();
  let page: Server;
  let served: Served;
  let browser: Browser;
  let sdk: FlagClient;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    setServeSettings(repo.root, { cors: { production: [origin] } });
    repo.commit('the page may read production');
    expect(flagops(['sync', '--all-envs'], repo.root, { env: NOW }).code).toBe(0);
    page = await servePage(port);
    served = await startServe(repo.root, [], { FLAGOPS_API_KEYS: `production=${PROD}`, FLAGOPS_SERVE_LOG: 'off' });
    sdk = createFlagClient({ file: join(repo.root, '.flagops/store/production.json'), pollIntervalMs: 100 });
    await sdk.ready();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sdk?.close();
    await served?.stop();
    await new Promise((resolve) => page?.close(resolve));
  });

  const text = (p: Page, id: string) => p.textContent(`#${id}`);

  it('evaluates as the SDK does, shows a sync and a kill switch at its next poll, and asks nothing of any other host', async () => {
    const tab = await browser.newPage();
    const watched = watch(tab);
    const outside: string[] = [];
    tab.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== origin && url.origin !== served.url) outside.push(request.url());
    });
    await tab.goto(`${origin}/index.html?server=${encodeURIComponent(served.url)}&key=${PROD}&user=u-1042&poll=250`);
    await tab.waitForFunction(() => document.getElementById('status')?.textContent === 'flags loaded');
    expect(await text(tab, 'checkout')).toBe('one-page checkout (TARGETING_MATCH)');
    expect(await text(tab, 'payments')).toBe('card payments on');

    // 200 users, every flag: the page's answers against the SDK's.
    const keys = sdk.keys().sort();
    const contexts = Array.from({ length: 200 }, (_, i) => ({ targetingKey: `u-${i * 7}`, plan: ['free', 'pro', 'enterprise'][i % 3]!, accountId: `acct-${i % 13}` }));
    const fromPage = await pageAnswers(tab, contexts, keys, valueKinds(sdk, keys));
    const expected = sdkAnswers(sdk, contexts, keys);
    expect(fromPage).toEqual(expected);
    await tab.evaluate(() => (window as unknown as { flagops: { OpenFeature: { setContext(c: unknown): Promise<void> } } }).flagops.OpenFeature.setContext({ targetingKey: 'u-1042', plan: 'pro' }));

    // A sync: u-1042 is no longer a tester, so the rollout decides for them.
    const file = join(repo.root, 'flags/checkout/new-checkout.yaml');
    writeFile(repo.root, 'flags/checkout/new-checkout.yaml', readFileSync(file, 'utf8').replace('users: [u-1042, u-2210, u-3187]', 'users: [u-2210, u-3187]'));
    repo.commit('u-1042 leaves the testers');
    expect(flagops(['sync', '--env', 'production'], repo.root, { env: NOW }).code).toBe(0);
    expect(await eventually(async () => /\((SPLIT|DEFAULT)\)$/.test((await text(tab, 'checkout')) ?? ''), 5_000)).toBe(true);

    // A kill switch: payments off, and the checkout that requires them with it.
    expect(flagops(['kill', 'payments-enabled', '--env', 'production', '--reason', 'incident 42'], repo.root, { env: NOW }).code).toBe(0);
    expect(await eventually(async () => (await text(tab, 'payments')) === 'card payments switched off', 5_000)).toBe(true);
    expect(await eventually(async () => (await text(tab, 'checkout')) === 'three-step checkout (PREREQUISITE_FAILED)', 5_000)).toBe(true);
    expect(watched.errors).toEqual([]);
    expect(outside).toEqual([]);
    await tab.screenshot({ path: join(repoRoot, '.flagops/test-artifacts/serve-browser.png') });
    await tab.close();
  }, 60_000);

  it('is refused from an origin the environment does not allow', async () => {
    const tab = await browser.newPage();
    // The same page from http://localhost:<port>: another origin than the allowed http://127.0.0.1:<port>.
    await tab.goto(`${origin.replace('127.0.0.1', 'localhost')}/index.html?server=${encodeURIComponent(served.url)}&key=${PROD}&poll=0`);
    await tab.waitForFunction(() => /flags unavailable/.test(document.getElementById('status')?.textContent ?? ''));
    const outcome = await tab.evaluate(async ({ url, key }) => {
      // The server is there (an opaque answer needs no permission)…
      await fetch(`${url}/healthz`, { mode: 'no-cors' });
      // …but it gives this origin no permission to read flags.
      try {
        const response = await fetch(`${url}/ofrep/v1/evaluate/flags`, { method: 'POST', headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: '{}' });
        return `status ${response.status}`;
      } catch (error) {
        return `blocked: ${(error as Error).message}`;
      }
    }, { url: served.url, key: PROD });
    expect(outcome).toBe('blocked: Failed to fetch');
    expect(await text(tab, 'checkout')).toBe('…');
    await tab.close();
  });
});
