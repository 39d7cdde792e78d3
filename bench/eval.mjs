// npm run bench:eval — evaluations per second for the same flags and 1,000,000 distinct user ids:
// the flagops SDK, unleash-client (offline bootstrap), @openfeature/flagd-core,
// @launchdarkly/node-server-sdk (TestData, no events) and flagops through the OpenFeature client.
// Each library gets its own context objects, built before timing; each run is warmed up first.
// Cases e and f compare each library with itself: a rule through a segment of three conditions
// against the same conditions inline, and a 25% rollout with one prerequisite against it alone.
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
const COUNTRIES = ['DE', 'US', 'FR', 'NL', 'BR'];
// The three conditions of case e, inline and as a segment.
const THREE = [
  { attribute: 'plan', op: 'in', values: ['pro', 'enterprise'] },
  { attribute: 'country', op: 'in', values: ['DE', 'FR', 'NL'] },
  { attribute: 'seats', op: 'gte', value: 5 },
];
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
  'rule-inline': { rules: [{ name: 'paying-eu', when: THREE }], serve: { variant: 'off' } },
  // As `flagops sync` writes a rule with segments: [paying-eu] (docs/redis-layout.md).
  'rule-segment': { rules: [{ name: 'paying-eu', all: [{ segment: 'paying-eu', when: THREE }] }], serve: { variant: 'off' } },
  // Salted like rollout-25, so both give the same users `on`: the pair checks it.
  'bool-prereq': { requires: [{ flag: 'bool-on', variant: 'on' }], serve: { variant: 'on' } },
  'rollout-prereq': { salt: 'rollout-25', requires: [{ flag: 'bool-on', variant: 'on' }], serve: { percentage: 25, variant: 'on', stickiness: 'userId' } },
};
for (const rule of [...flagops['rule-inline'].rules, ...flagops['rule-segment'].rules]) rule.serve = { variant: 'on' };
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
writeFileSync(storeFile, JSON.stringify({ meta: { revision: 1, commit: 'bench', syncedAt: '', checksum: '', format: 2 }, flags, overrides: {} }));

const ldThree = [
  { contextKind: 'user', attribute: 'plan', op: 'in', values: ['pro', 'enterprise'] },
  { contextKind: 'user', attribute: 'country', op: 'in', values: ['DE', 'FR', 'NL'] },
  { contextKind: 'user', attribute: 'seats', op: 'greaterThanOrEqual', values: [5] },
];
const unleashThree = [
  { contextName: 'plan', operator: 'IN', values: ['pro', 'enterprise'] },
  { contextName: 'country', operator: 'IN', values: ['DE', 'FR', 'NL'] },
  { contextName: 'seats', operator: 'NUM_GTE', value: '5' },
];

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
  { name: 'bool-prereq', enabled: true, dependencies: [{ feature: 'bool-on', enabled: true }], strategies: [{ name: 'default', parameters: {} }] },
  { name: 'rule-inline', enabled: true, strategies: [{ name: 'default', parameters: {}, constraints: unleashThree }] },
  { name: 'rule-segment', enabled: true, strategies: [{ name: 'default', parameters: {}, segments: [1] }] },
  {
    name: 'rollout-prereq',
    enabled: true,
    dependencies: [{ feature: 'bool-on', enabled: true }],
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'userId', groupId: 'rollout-25' } }],
  },
];
const unleashSegments = [{ id: 1, name: 'paying-eu', constraints: unleashThree }];
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
    'rule-inline': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        if: [{ and: [{ in: [{ var: 'plan' }, ['pro', 'enterprise']] }, { in: [{ var: 'country' }, ['DE', 'FR', 'NL']] }, { '>=': [{ var: 'seats' }, 5] }] }, 'on', 'off'],
      },
    },
    'rule-segment': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { if: [{ $ref: 'payingEu' }, 'on', 'off'] } },
  },
  $evaluators: {
    payingEu: { and: [{ in: [{ var: 'plan' }, ['pro', 'enterprise']] }, { in: [{ var: 'country' }, ['DE', 'FR', 'NL']] }, { '>=': [{ var: 'seats' }, 5] }] },
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
  {
    key: 'rule-inline',
    on: true,
    variations: [true, false],
    rules: [
      {
        id: 'paying-eu',
        clauses: ldThree,
        variation: 0,
      },
    ],
    fallthrough: { variation: 1 },
    offVariation: 1,
    version: 1,
  },
  {
    key: 'rule-segment',
    on: true,
    variations: [true, false],
    rules: [{ id: 'paying-eu', clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['paying-eu'] }], variation: 0 }],
    fallthrough: { variation: 1 },
    offVariation: 1,
    version: 1,
  },
  { key: 'bool-prereq', on: true, prerequisites: [{ key: 'bool-on', variation: 0 }], variations: [true, false], fallthrough: { variation: 0 }, offVariation: 1, version: 1 },
  {
    key: 'rollout-prereq',
    on: true,
    prerequisites: [{ key: 'bool-on', variation: 0 }],
    variations: [true, false],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 25000 }, { variation: 1, weight: 75000 }] } },
    offVariation: 1,
    version: 1,
  },
];
const ldSegment = {
  key: 'paying-eu',
  version: 1,
  included: [],
  excluded: [],
  rules: [
    {
      id: 'r',
      clauses: ldThree,
    },
  ],
};

// ---- clients ----
const sdk = createFlagClient({ file: storeFile });
await sdk.ready();
const unleash = new Unleash({
  appName: 'bench',
  url: 'http://127.0.0.1:9/api',
  refreshInterval: 0,
  disableMetrics: true,
  storageProvider: new InMemStorageProvider(),
  bootstrap: { data: unleashFeatures, segments: unleashSegments },
  skipInstanceCountWarning: true,
});
unleash.on('error', () => {});
unleash.on('warn', () => {});
await new Promise((resolve) => unleash.once('ready', resolve));
const core = new FlagdCore();
core.setConfigurations(JSON.stringify(flagd));
const td = new integrations.TestData();
for (const flag of ld) await td.usePreconfiguredFlag(flag);
await td.usePreconfiguredSegment(ldSegment);
const ldClient = ldInit('bench-sdk-key', { updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: { error() {}, warn() {}, info() {}, debug() {} } });
await ldClient.waitForInitialization({ timeout: 10 });
await OpenFeature.setProviderAndWait(new FlagopsProvider(sdk));
const of = OpenFeature.getClient();

// ---- contexts, one array per library ----
const ctx = {
  flagops: ids.map((userId, i) => ({ userId, plan: PLANS[i % 4], country: COUNTRIES[i % 5], seats: i % 20 })),
  unleash: ids.map((userId, i) => ({ userId, properties: { plan: PLANS[i % 4], country: COUNTRIES[i % 5], seats: String(i % 20) } })),
  flagd: ids.map((targetingKey, i) => ({ targetingKey, plan: PLANS[i % 4], country: COUNTRIES[i % 5], seats: i % 20 })),
  ld: ids.map((key, i) => ({ kind: 'user', key, plan: PLANS[i % 4], country: COUNTRIES[i % 5], seats: i % 20 })),
  of: ids.map((targetingKey, i) => ({ targetingKey, plan: PLANS[i % 4], country: COUNTRIES[i % 5], seats: i % 20 })),
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
const boolFns = (key) => ({
  flagops: (c) => sdk.isEnabled(key, c),
  unleash: (c) => unleash.isEnabled(key, c),
  flagd: (c) => core.resolveBooleanEvaluation(key, false, c, noLogger).value,
  ld: (c) => ldClient.variation(key, c, false),
  of: (c) => of.getBooleanValue(key, false, c),
});
// Each library against itself: `with` the segment or prerequisite, `without` it. flagd has no prerequisites.
const pairs = {
  'e rule through a segment of 3 conditions, against them inline': { with: boolFns('rule-segment'), without: boolFns('rule-inline'), goal: 0.9 },
  // LaunchDarkly hashes the flag key into every bucket, so its two flags pick different users.
  'f 25% rollout with one prerequisite, against it alone': { with: boolFns('rollout-prereq'), without: boolFns('rollout-25'), goal: 0.5, skip: ['flagd'], otherUsers: ['ld'] },
  'f\' a boolean that is on, with one prerequisite (the worst case), against it alone': {
    with: boolFns('bool-prereq'),
    without: boolFns('bool-on'),
    goal: 0.5,
    skip: ['flagd'],
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

/** Whether both forms give the same answers (the first 20,000 contexts): the pair measures one thing. */
async function agree(lib, a, b) {
  const contexts = ctx[lib].slice(0, 20_000);
  for (const c of contexts) if ((await a(c)) !== (await b(c))) return false;
  return true;
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
for (const [name, pair] of Object.entries(pairs)) {
  results[name] = {};
  const row = [];
  for (const lib of Object.keys(pair.with)) {
    if (pair.skip?.includes(lib)) {
      row.push(`${NAMES[lib]}: not measured (it has no prerequisites)`);
      continue;
    }
    // Interleaved, twice, so a disturbance on the shared machine hits both sides alike.
    const a1 = await measure(lib, pair.without[lib]);
    const b1 = await measure(lib, pair.with[lib]);
    const a2 = await measure(lib, pair.without[lib]);
    const b2 = await measure(lib, pair.with[lib]);
    const without = Math.max(a1.perSecond, a2.perSecond);
    const withIt = Math.max(b1.perSecond, b2.perSecond);
    const same = await agree(lib, pair.without[lib], pair.with[lib]);
    results[name][lib] = { with: withIt, without, ratio: withIt / without, sameAnswers: same };
    const note = same ? '' : pair.otherUsers?.includes(lib) ? ' (buckets other users: salted by flag key)' : ' [answers differ]';
    row.push(`${NAMES[lib]} ${(withIt / without).toFixed(2)}x (${fmt(withIt)} vs ${fmt(without)})${note}`);
  }
  const ratio = results[name].flagops.ratio;
  console.log(`${name}:\n  ${row.join('\n  ')}\n  → flagops keeps ${ratio.toFixed(2)}x of its speed (goal ≥ ${pair.goal}x: ${ratio >= pair.goal ? 'met' : 'NOT met'})\n`);
}
writeFileSync(join(root, '.bench', 'eval.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('Written to .bench/eval.json');
await OpenFeature.close();
await sdk.close();
unleash.destroy();
ldClient.close();
process.exit(0);
