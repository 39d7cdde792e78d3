import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, noBrowser, watch, type Watched } from '../helpers/browser.js';
import { flagops, repoRoot } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { writeManyFlags } from '../helpers/many-flags.js';
import { tmpProject } from '../helpers/tmp.js';

// Screenshots for people to look at (CI keeps them as artifacts): .flagops/test-artifacts/site/.
const artifacts = join(repoRoot, '.flagops/test-artifacts/site');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

/** axe-core run inside the page (evaluated through the DevTools protocol, which the page's CSP does not govern). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  // preload: false: axe would otherwise fetch the stylesheets itself, a connection the site's CSP refuses.
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"], preload: false })')) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`);
}

const keysShown = (page: Page) => page.$$eval('#flags tbody tr td:first-child a', (links) => links.map((a) => a.textContent));
const ready = (page: Page) => page.waitForSelector('body[data-ready="true"]');

describe.skipIf(noBrowser !== undefined)('the flag site in Chromium', () => {
  let browser: Browser;
  let example: { root: string; head: string; url: (path: string) => string };
  let many: (path: string) => string;
  let watched: Watched;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const repo = exampleProject();
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
    const head = repo.git('rev-parse', 'HEAD');
    // 2026-12-11 in the example's story: express-pay is past its date, new-checkout expires within the week.
    const built = flagops(['site', '--out', 'site', '--now', '2026-12-11'], repo.root);
    expect(built.code, built.stderr).toBe(0);
    example = { root: repo.root, head, url: (path) => pathToFileURL(join(repo.root, 'site', path)).href };
    const big = tmpProject();
    writeManyFlags(big, 10_000);
    const bigBuild = flagops(['site', '--out', 'site', '--now', '2026-11-27'], big, { timeout: 120_000 });
    expect(bigBuild.code, bigBuild.stderr).toBe(0);
    many = (path) => pathToFileURL(join(big, 'site', path)).href;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (url: string) => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    watched = watch(page);
    await page.goto(url);
    return page;
  };

  const clean = async (name: string) => {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: name !== 'overview-10000' });
    expect(watched.errors, 'console errors').toEqual([]);
    expect(watched.outside, 'requests that leave the site').toEqual([]);
    await page.close();
  };

  it('lists every example flag with what each environment serves and its health', async () => {
    await open(example.url('index.html'));
    await ready(page);
    const keys = await keysShown(page);
    expect(keys).toEqual([
      'api-rate-limits', 'audit-log-export', 'beta-reports', 'dark-mode', 'express-pay', 'holiday-banner',
      'new-checkout', 'offline-sync', 'onboarding-checklist', 'payments-enabled', 'pricing-page-test', 'search-backend',
    ]);
    const row = (key: string) => page.locator('#flags tbody tr', { has: page.locator(`a:text-is("${key}")`) });
    // Columns: flag, area, type, owner, age, expires, staging, production, references, findings.
    await expect.poll(() => row('payments-enabled').locator('td').nth(7).textContent()).toContain('on for everyone');
    expect(await row('holiday-banner').locator('td').nth(7).textContent()).toMatch(/^off/);
    expect(await row('new-checkout').locator('td').nth(7).textContent()).toContain('to some3 rules, everyone else 100% on now');
    expect(await row('express-pay').locator('td').nth(5).textContent()).toBe('2026-12-101 day overdue');
    expect(await row('express-pay').locator('td').nth(9).textContent()).toContain('expired');
    expect(await row('new-checkout').locator('td').nth(9).textContent()).toContain('expiring soon');
    expect(await page.textContent('#count')).toBe('Showing 1–12 of 12 matching flags (12 in all).');
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page), 'in dark mode').toEqual([]);
    await page.screenshot({ path: join(artifacts, 'overview-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await clean('overview');
  });

  it('counts orphaned keys apart from the flags, and says "on for everyone" only of a flag that serves true', async () => {
    const repo = new GitRepo({
      'flags/on.yaml': flagFile('on'),
      'flags/layout.yaml': flagFile('compact', 'variants: { classic: classic, compact: compact }\noffVariant: classic\n'),
      'src/app.ts': `declare const flags: { isEnabled(k: string): boolean; getVariant(k: string): string };\nexport const a = [flags.isEnabled('on'), flags.getVariant('layout'), flags.isEnabled('ghost-key')];\n`,
    });
    repo.commit();
    const built = flagops(['site', '--out', 'site', '--now', '2026-11-27'], repo.root);
    expect(built.code, built.stderr).toBe(0);
    await open(pathToFileURL(join(repo.root, 'site', 'index.html')).href);
    await ready(page);
    expect(await page.textContent('.summary')).toMatch(/^2 flags · .* · 1 orphaned key in code\./);
    expect(await page.textContent('#count')).toBe('Showing 1–3 of 3 matching: 2 flags and 1 orphaned key (2 flags and 1 orphaned key in all).');
    const badge = (key: string) => page.locator('#flags tbody tr', { has: page.locator(`a:text-is("${key}")`) }).locator('.badge.state-on').first().textContent();
    expect(await badge('on')).toBe('on for everyone');
    expect(await badge('layout')).toBe('the same for everyone');
    await page.fill('#q', 'ghost');
    expect(await page.textContent('#count')).toBe('Showing 1–1 of 1 matching: 0 flags and 1 orphaned key (2 flags and 1 orphaned key in all).');
    await clean('orphaned-and-values');
  });

  it('filters, sorts and searches by clicking and typing, and keeps it all through a reload', async () => {
    await open(example.url('index.html'));
    await ready(page);
    await page.selectOption('#owner', '@acme/payments');
    expect(await keysShown(page)).toEqual(['express-pay', 'new-checkout', 'payments-enabled']);
    await page.click('th[data-sort="dl"] button');
    expect(await page.getAttribute('th[data-sort="dl"]', 'aria-sort')).toBe('ascending');
    expect(await keysShown(page)).toEqual(['express-pay', 'new-checkout', 'payments-enabled']);
    await page.click('th[data-sort="dl"] button');
    // Flags that never expire stay last either way.
    expect(await keysShown(page)).toEqual(['new-checkout', 'express-pay', 'payments-enabled']);
    await page.selectOption('#owner', '');
    await page.check('input[name="tag"][value="expired"]');
    expect(await keysShown(page)).toEqual(['express-pay']);
    await page.uncheck('input[name="tag"][value="expired"]');
    await page.selectOption('#env', 'production');
    await page.selectOption('#state', 'off');
    expect(await keysShown(page)).toEqual(['holiday-banner']);
    await page.selectOption('#state', '');
    await page.fill('#q', 'check');
    expect(await keysShown(page)).toEqual(['onboarding-checklist', 'new-checkout', 'express-pay']);
    await page.fill('#q', 'check enterprise');
    expect(await page.textContent('#count')).toBe('No flag matches (12 in all).');
    await page.fill('#q', 'checkout');
    // Read from the page: Playwright's page.url() learns of replaceState a moment later.
    expect(await page.evaluate(() => location.hash)).toBe('#q=checkout&env=1&sort=dl&dir=desc');
    await page.reload();
    await ready(page);
    expect(await page.inputValue('#q')).toBe('checkout');
    expect(await page.inputValue('#env')).toBe('1');
    expect(await page.getAttribute('th[data-sort="dl"]', 'aria-sort')).toBe('descending');
    expect(await keysShown(page)).toEqual(['new-checkout', 'express-pay']);
    // By keyboard: tab to a column's button and press Enter.
    await page.focus('th[data-sort="k"] button');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('th[data-sort="k"]', 'aria-sort')).toBe('ascending');
    expect(await keysShown(page)).toEqual(['express-pay', 'new-checkout']);
    await page.click('#reset');
    expect(await keysShown(page)).toHaveLength(12);
    // Descending by owner: owners from z to a, each owner's flags still by key.
    await page.click('th[data-sort="o"] button');
    await page.click('th[data-sort="o"] button');
    const byOwner = await keysShown(page);
    expect(byOwner.filter((k) => ['express-pay', 'new-checkout', 'payments-enabled'].includes(k!))).toEqual(['express-pay', 'new-checkout', 'payments-enabled']);
    expect(byOwner.slice(0, 2)).toEqual(['audit-log-export', 'pricing-page-test']);
    await page.click('#reset');
    expect(await page.evaluate(() => location.hash)).toBe('');
    await clean('overview-filtered');
  });

  it('works the same with the copy of the overview script the Action bundles', async () => {
    cpSync(join(example.root, 'site'), join(example.root, 'site-action'), { recursive: true });
    cpSync(join(repoRoot, 'dist/action/site-overview.js'), join(example.root, 'site-action/assets/overview.js'));
    await open(pathToFileURL(join(example.root, 'site-action/index.html')).href);
    await ready(page);
    await page.fill('#q', 'pay');
    expect(await keysShown(page)).toEqual(['express-pay', 'new-checkout', 'payments-enabled']);
    await page.reload();
    await ready(page);
    expect(await keysShown(page)).toEqual(['express-pay', 'new-checkout', 'payments-enabled']);
    await clean('overview-action-script');
  });

  it('shows a flag page with its references linked to their lines, its history, specs, rollout and YAML', async () => {
    await open(example.url('index.html'));
    await ready(page);
    await page.click('a:text-is("new-checkout")');
    await page.waitForURL(/flags\/new-checkout\.html$/);
    const references = await page.$$eval('h2:text-is("Code references") + p + table a', (links) => links.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(references).toEqual([
      ['examples/browser/app.ts:22:45', `https://github.com/acme/shop/blob/${example.head}/examples/browser/app.ts#L22`],
      ['examples/express/app.ts:26:54', `https://github.com/acme/shop/blob/${example.head}/examples/express/app.ts#L26`],
      ['examples/shop/src/checkout.ts:8:29', `https://github.com/acme/shop/blob/${example.head}/examples/shop/src/checkout.ts#L8`],
    ]);
    const line = readFileSync(join(example.root, 'examples/shop/src/checkout.ts'), 'utf8').split('\n')[7]!;
    expect(line.slice(28)).toMatch(/^FLAGS\.NEW_CHECKOUT/);
    const history = await page.$$eval('h2:text-is("History") + table tbody tr', (rows) => rows.map((r) => r.textContent));
    expect(history).toHaveLength(1);
    expect(history[0]).toContain('the example project');
    expect(await page.locator('h2:text-is("Spec tests") + table tbody tr').count()).toBe(5);
    expect(await page.locator('svg.chart').getAttribute('aria-label')).toContain('Rollout of new-checkout in production');
    expect(await page.textContent('pre code')).toContain('requires: [payments-enabled]');
    await page.click('a:text-is("payments-enabled")');
    await page.waitForURL(/flags\/payments-enabled\.html$/);
    expect(await page.textContent('main')).toContain('Required by: new-checkout (a kill of this flag turns them off)');
    expect(await seriousViolations(page)).toEqual([]);
    await clean('flag-page');
  });

  it('shows each owner with what is overdue, and the expiry timeline with today marked', async () => {
    await open(example.url('owners.html'));
    const first = await page.$$eval('table:first-of-type tbody tr', (rows) => rows.map((r) => r.querySelector('td')!.textContent));
    expect(first[0]).toBe('@acme/payments');
    expect(await page.textContent('#owner-acme-payments + p')).toBe('3 flags, 1 overdue, 1 expiring soon.');
    expect(await seriousViolations(page)).toEqual([]);
    await clean('owners');
    await open(example.url('timeline.html'));
    expect(await page.locator('svg.chart .today').count()).toBe(1);
    expect(await page.locator('svg.chart rect.bar.overdue').count()).toBe(1);
    expect(await page.textContent('#m-2026-12 ~ table')).toContain('express-pay');
    expect(await seriousViolations(page)).toEqual([]);
    await clean('timeline');
  });

  it('holds 10,000 flags: every one reachable by search, filters and pages that survive a reload', async () => {
    await open(many('index.html'));
    await ready(page);
    expect(await page.textContent('#count')).toBe('Showing 1–50 of 10,000 matching flags (10,000 in all).');
    expect(await page.locator('#flags tbody tr').count()).toBe(50);
    // Every generated flag is in the page's data, and the rows drawn say what production serves
    // as the generator wrote it (i % 4: off, on for everyone, a percentage, rules and a rollout).
    const keys = await page.evaluate(() => (JSON.parse(document.getElementById('flag-data')!.textContent!) as { rows: Array<{ k: string }> }).rows.map((r) => r.k));
    expect(new Set(keys)).toEqual(new Set(Array.from({ length: 10_000 }, (_, i) => `flag-${i}`)));
    const states = await page.$$eval('#flags tbody tr', (trs) => trs.map((tr) => [tr.querySelector('a')!.textContent, tr.querySelectorAll('td')[7]!.querySelector('.badge')!.textContent]));
    for (const [key, state] of states) expect(state, key!).toBe(['off', 'on for everyone', 'to some', 'to some'][Number(key!.slice(5)) % 4]);
    for (const key of ['flag-0', 'flag-4242', 'flag-9999']) {
      await page.fill('#q', key);
      expect(await keysShown(page)).toEqual([key]);
    }
    await page.fill('#q', '');
    await page.selectOption('#owner', '@acme/team-5');
    await page.check('input[name="tag"][value="expired"]');
    const count = await page.textContent('#count');
    const [, shown] = /of ([\d,]+) matching/.exec(count ?? '') ?? [];
    expect(Number(shown)).toBeGreaterThan(0);
    expect(Number(shown)).toBeLessThan(250);
    await page.selectOption('#owner', '');
    await page.click('#next');
    await page.click('#next');
    expect(await page.textContent('#page')).toMatch(/^Page 3 of \d+$/);
    const before = await keysShown(page);
    await page.reload();
    await ready(page);
    expect(await page.textContent('#page')).toMatch(/^Page 3 of \d+$/);
    expect(await keysShown(page)).toEqual(before);
    expect(await seriousViolations(page)).toEqual([]);
    await clean('overview-10000');
    await open(many('flags/flag-4242.html'));
    expect(await page.textContent('h1')).toBe('flag-4242');
    await clean('flag-page-10000');
  });
});
