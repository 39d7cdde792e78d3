// npm run bench:eval — evaluations per second for the same four flags and 1,000,000 distinct
// user ids: the flagops SDK, unleash-client (offline bootstrap), @openfeature/flagd-core,
// @launchdarkly/node-server-sdk (TestData, no events) and flagops through the OpenFeature client.
// Each library gets its own context objects, built before timing; each run is warmed up first.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlagdCore } from '@openfeature/flagd-core';
import { OpenFeature } from '@openfeature/server-sdk';
import { init as ldInit, integrations } from '@launchdarkly/node-server-sdk';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import { createFlagClient } from 'flagops';
import { FlagopsProvider } from 'flagops/openfeature';

const root = fileURLToPath(new URL('..', import.meta.url));
const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PLANS = ['free', 'pro', 'enterprise', 'team'];
// Ids as a service receives them, parsed from JSON: flat strings (a template literal would make rope strings).
const ids = JSON.parse(JSON.stringify(Array.from({ length: USERS }, (_, i) => `user-${i}-${(i * 2654435761) % 1e9}`)));

// ---- the four flags, written for each library ----
const flagops = {
  'bool-on': { serve: { variant: 'on' } },
  'rollout-25': { serve: { percentage: 25, variant: 'on', stickiness: 'userId' } },
  'split-3': {
    variants: { control: 'control', a: 'a', b: 'b' },
    offVariant: 'control',
    serve: { split: [['control', 34], ['a', 33], ['b', 33]], stickiness: 'userId' },
  },
  'rule-plan': { rules: [{ name: 'enterprise', when: [{ attribute: 'plan', op: 'in', values: ['enterprise'] }], serve: { variant: 'on' } }], serve: { variant: 'off' } },
};
const dir = join(root, '.bench', 'eval');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const storeFile = join(dir, 'production.json');
const flags = Object.fromEntries(
  Object.entries(flagops).map(([key, f]) => [
    key,
    { key, type: 'release', enabled: true, variants: { on: true, off: false }, offVariant: 'off', salt: key, rules: [], ...f },
  ]),
);
writeFileSync(storeFile, JSON.stringify({ meta: { revision: 1, commit: 'bench', syncedAt: '', checksum: '', format: 1 }, flags, overrides: {} }));

const unleashFeatures = [
  { name: 'bool-on', enabled: true, strategies: [{ name: 'default', parameters: {} }] },
  { name: 'rollout-25', enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'userId', groupId: 'rollout-25' } }] },
  {
    name: 'split-3',
    enabled: true,
    strategies: [{ name: 'default', parameters: {} }],
    variants: [
      { name: 'control', weight: 340, weightType: 'variable', stickiness: 'userId' },
      { name: 'a', weight: 330, weightType: 'variable', stickiness: 'userId' },
      { name: 'b', weight: 330, weightType: 'variable', stickiness: 'userId' },
    ],
  },
  {
    name: 'rule-plan',
    enabled: true,
    strategies: [{ name: 'default', parameters: {}, constraints: [{ contextName: 'plan', operator: 'IN', values: ['enterprise'] }] }],
  },
];
const flagd = {
  flags: {
    'bool-on': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    'rollout-25': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { fractional: [['on', 25], ['off', 75]] } },
    'split-3': {
      state: 'ENABLED',
      variants: { control: 'control', a: 'a', b: 'b' },
      defaultVariant: 'control',
      targeting: { fractional: [['control', 34], ['a', 33], ['b', 33]] },
    },
    'rule-plan': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ in: [{ var: 'plan' }, ['enterprise']] }, 'on', 'off'] },
    },
  },
};
const ld = [
  { key: 'bool-on', on: true, variations: [true, false], fallthrough: { variation: 0 }, offVariation: 1, version: 1 },
  {
    key: 'rollout-25',
    on: true,
    variations: [true, false],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 25000 }, { variation: 1, weight: 75000 }] } },
    offVariation: 1,
    version: 1,
  },
  {
    key: 'split-3',
    on: true,
    variations: ['control', 'a', 'b'],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 34000 }, { variation: 1, weight: 33000 }, { variation: 2, weight: 33000 }] } },
    offVariation: 0,
    version: 1,
  },
  {
    key: 'rule-plan',
    on: true,
    variations: [true, false],
    rules: [{ id: 'enterprise', clauses: [{ contextKind: 'user', attribute: 'plan', op: 'in', values: ['enterprise'] }], variation: 0 }],
    fallthrough: { variation: 1 },
    offVariation: 1,
    version: 1,
  },
];

// ---- clients ----
const sdk = createFlagClient({ file: storeFile });
await sdk.ready();
const unleash = new Unleash({
  appName: 'bench',
  url: 'http://127.0.0.1:9/api',
  refreshInterval: 0,
  disableMetrics: true,
  storageProvider: new InMemStorageProvider(),
  bootstrap: { data: unleashFeatures },
  skipInstanceCountWarning: true,
});
unleash.on('error', () => {});
unleash.on('warn', () => {});
await new Promise((resolve) => unleash.once('ready', resolve));
const core = new FlagdCore();
core.setConfigurations(JSON.stringify(flagd));
const td = new integrations.TestData();
for (const flag of ld) await td.usePreconfiguredFlag(flag);
const ldClient = ldInit('bench-sdk-key', { updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: { error() {}, warn() {}, info() {}, debug() {} } });
await ldClient.waitForInitialization({ timeout: 10 });
await OpenFeature.setProviderAndWait(new FlagopsProvider(sdk));
const of = OpenFeature.getClient();

// ---- contexts, one array per library ----
const ctx = {
  flagops: ids.map((userId, i) => ({ userId, plan: PLANS[i % 4] })),
  unleash: ids.map((userId, i) => ({ userId, properties: { plan: PLANS[i % 4] } })),
  flagd: ids.map((targetingKey, i) => ({ targetingKey, plan: PLANS[i % 4] })),
  ld: ids.map((key, i) => ({ kind: 'user', key, plan: PLANS[i % 4] })),
  of: ids.map((targetingKey, i) => ({ targetingKey, plan: PLANS[i % 4] })),
};

const noLogger = { error() {}, warn() {}, info() {}, debug() {} };
const cases = {
  'a boolean on': {
    flagops: (c) => sdk.isEnabled('bool-on', c),
    unleash: (c) => unleash.isEnabled('bool-on', c),
    flagd: (c) => core.resolveBooleanEvaluation('bool-on', false, c, noLogger).value,
    ld: (c) => ldClient.variation('bool-on', c, false),
    of: (c) => of.getBooleanValue('bool-on', false, c),
  },
  'b 25% rollout': {
    flagops: (c) => sdk.isEnabled('rollout-25', c),
    unleash: (c) => unleash.isEnabled('rollout-25', c),
    flagd: (c) => core.resolveBooleanEvaluation('rollout-25', false, c, noLogger).value,
    ld: (c) => ldClient.variation('rollout-25', c, false),
    of: (c) => of.getBooleanValue('rollout-25', false, c),
  },
  'c 3-way split': {
    flagops: (c) => sdk.getVariant('split-3', c),
    unleash: (c) => unleash.getVariant('split-3', c).name,
    flagd: (c) => core.resolveStringEvaluation('split-3', 'control', c, noLogger).value,
    ld: (c) => ldClient.variation('split-3', c, 'control'),
    of: (c) => of.getStringValue('split-3', 'control', c),
  },
  'd attribute rule': {
    flagops: (c) => sdk.isEnabled('rule-plan', c),
    unleash: (c) => unleash.isEnabled('rule-plan', c),
    flagd: (c) => core.resolveBooleanEvaluation('rule-plan', false, c, noLogger).value,
    ld: (c) => ldClient.variation('rule-plan', c, false),
    of: (c) => of.getBooleanValue('rule-plan', false, c),
  },
};
const NAMES = { flagops: 'flagops SDK', unleash: 'unleash-client 6', flagd: 'flagd-core 4', ld: 'LaunchDarkly 9', of: 'flagops via OpenFeature' };
const ASYNC = new Set(['ld', 'of']);

/**
 * Evaluations per second over distinct users, until all are done or the time budget is spent; the
 * best of RUNS runs (the machine is shared: the best run is the least disturbed one).
 */
async function measure(lib, fn) {
  const contexts = ctx[lib];
  const async = ASYNC.has(lib);
  for (let i = 0; i < Math.min(50_000, contexts.length); i++) await (async ? fn(contexts[i]) : Promise.resolve(fn(contexts[i])));
  let best = 0;
  let trues = 0;
  for (let run = 0; run < RUNS; run++) {
    let done = 0;
    let elapsed = 0;
    trues = 0;
    const start = performance.now();
    while (done < contexts.length && elapsed < BUDGET_MS) {
      const end = Math.min(done + 20_000, contexts.length);
      if (async) for (let i = done; i < end; i++) trues += (await fn(contexts[i])) === true ? 1 : 0;
      else for (let i = done; i < end; i++) trues += fn(contexts[i]) === true ? 1 : 0;
      done = end;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (done / elapsed) * 1000);
  }
  return { perSecond: best, trues };
}

const results = {};
const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} k/s`);
console.log(`bench:eval — ${USERS.toLocaleString('en')} distinct users, Node ${process.version}, best of ${RUNS} runs of up to ${BUDGET_MS} ms per cell\n`);
for (const [name, fns] of Object.entries(cases)) {
  results[name] = {};
  for (const lib of Object.keys(fns)) results[name][lib] = await measure(lib, fns[lib]);
  const peers = ['unleash', 'flagd', 'ld'];
  const fastest = peers.reduce((best, lib) => (results[name][lib].perSecond > results[name][best].perSecond ? lib : best));
  const row = Object.keys(fns).map((lib) => `${NAMES[lib]} ${fmt(results[name][lib].perSecond)}`).join(' · ');
  const ratio = results[name].flagops.perSecond / results[name][fastest].perSecond;
  results[name].ratio = { fastestPeer: fastest, flagopsToFastest: ratio };
  console.log(`${name}: ${row}\n  → flagops SDK is ${ratio.toFixed(2)}x the fastest peer (${NAMES[fastest]})\n`);
}
writeFileSync(join(root, '.bench', 'eval.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('Written to .bench/eval.json');
await OpenFeature.close();
await sdk.close();
unleash.destroy();
ldClient.close();
process.exit(0);
