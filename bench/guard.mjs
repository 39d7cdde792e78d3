/* global fetch, URLSearchParams -- Node 20 has them */
// npm run bench:guard — guarded rollouts, measured with real parts in one run:
//  1. from an injected regression to every client serving off: a real redis-server, SERVICES real
//     service processes (the SDK with measurements on, errors injected for the new variant only), a
//     real Prometheus scraping them every second, and `flagops guard --watch --interval 1` deciding;
//  2. one guard run over BULK guarded flags against that Prometheus (4 queries per flag and guard);
//  3. the SDK's cost per evaluation with measurements on, against the same client with them off.
// Needs Debian's prometheus on PATH. Nothing here asserts a time: it prints what it measured.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFlagClient } from 'flagops';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const SERVICES = Number(process.env.BENCH_SERVICES ?? 3);
const BULK = Number(process.env.BENCH_BULK ?? 1000);
const WINDOW = process.env.BENCH_WINDOW ?? '10s';
const EVALS = Number(process.env.BENCH_EVALS ?? 2_000_000);

if (spawnSync('prometheus', ['--version']).status !== 0) {
  console.error('bench:guard needs Debian\'s prometheus on PATH (apt-get install prometheus).');
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const children = [];
const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-guard-'));
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const redisPort = await freePort();
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
children.push(redis);
await new Promise((resolve) => redis.stdout.on('data', (d) => /Ready to accept/.test(String(d)) && resolve()));
const redisUrl = `redis://127.0.0.1:${redisPort}`;

// The project: one guarded flag in production, BULK of them in bulk.
const project = join(dir, 'project');
mkdirSync(join(project, 'flags/bulk'), { recursive: true });
writeFileSync(
  join(project, 'flagops.config.yaml'),
  `environments: { production: {}, bulk: {} }
metrics:
  error-rate:
    description: error rate
    query: 'sum(increase(flagops_outcomes_total{flag="$flag",variant="$variant",environment="$environment",event="error"}[$window])) / sum(increase(flagops_evaluations_total{flag="$flag",variant="$variant",environment="$environment"}[$window]))'
    maxIncrease: 1%
    window: ${WINDOW}
    minSamples: 200
`,
);
const iso = (minutes) => new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const flagFile = (environment) =>
  `description: Bench.\nowner: "@bench"\ntype: release\ncreated: 2026-12-01\nexpires: 2027-01-05\nguards: [error-rate]\nenvironments:\n  ${environment}:\n    enabled: true\n    serve:\n      rollout:\n        stages:\n          - { at: ${iso(-60)}, percentage: 50 }\n          - { at: ${iso(24 * 60)}, percentage: 100 }\n`;
writeFileSync(join(project, 'flags/checkout.yaml'), flagFile('production'));
for (let i = 0; i < BULK; i++) writeFileSync(join(project, `flags/bulk/bulk-${i}.yaml`), flagFile('bulk'));
const env = { ...process.env, FLAGOPS_REDIS_URL: redisUrl, NO_COLOR: '1' };
for (const environment of ['production', 'bulk']) {
  const sync = spawnSync(process.execPath, [cli, 'sync', '--env', environment, '--allow-dirty'], { cwd: project, env, encoding: 'utf8' });
  if (sync.status !== 0) throw new Error(sync.stderr || sync.stdout);
}

async function service(flags, environment) {
  const child = spawn(process.execPath, [join(root, 'test/fixtures/guard/service.mjs')], {
    env: { PATH: process.env.PATH, REDIS_URL: redisUrl, FLAGS: flags.join(','), FLAGOPS_SDK: join(root, 'dist/index.js'), FLAGOPS_ENV: environment, PER_TICK: flags.length > 10 ? '1' : '40' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const port = await new Promise((resolve) => child.stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port)));
  return { port, base: `http://127.0.0.1:${port}` };
}
const services = [];
for (let i = 0; i < SERVICES; i++) services.push(await service(['checkout'], 'production'));
const bulkService = await service(Array.from({ length: BULK }, (_, i) => `bulk-${i}`), 'bulk');

const promPort = await freePort();
writeFileSync(
  join(dir, 'prometheus.yml'),
  `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: services\n    static_configs:\n      - targets: [${[...services, bulkService].map((s) => `"127.0.0.1:${s.port}"`).join(', ')}]\n`,
);
const prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=error'], { stdio: 'ignore' });
children.push(prometheus);
const metricsUrl = `http://127.0.0.1:${promPort}`;
for (;;) {
  try {
    if ((await fetch(`${metricsUrl}/-/ready`)).ok) break;
  } catch {
    // not listening yet
  }
  await sleep(100);
}

// 1. Regression → every client off.
const guard = spawn(process.execPath, [cli, 'guard', '--env', 'production', '--watch', '--interval', '1', '--format', 'json'], { cwd: project, env: { ...env, FLAGOPS_METRICS_URL: metricsUrl } });
children.push(guard);
let guardErrors = '';
let lastRound;
guard.stderr.on('data', (chunk) => (guardErrors += chunk));
let killedAt;
let buffered = '';
guard.stdout.on('data', (chunk) => {
  buffered += chunk;
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const round = JSON.parse(buffered.slice(0, nl));
    lastRound = round;
    buffered = buffered.slice(nl + 1);
    if (!killedAt && round.environments[0].flags.some((f) => f.action === 'kill')) killedAt = Date.now();
  }
});
const windowSeconds = Number(WINDOW.slice(0, -1)) * (WINDOW.endsWith('m') ? 60 : 1);
console.log(`warming up for ${windowSeconds + 3} s (the window, and a few scrapes)…`);
await sleep((windowSeconds + 3) * 1000);
if (killedAt) throw new Error('the guard killed a healthy rollout during the warm-up');
const injected = Date.now();
await Promise.all(services.map((s) => fetch(`${s.base}/inject?flag=checkout&every=5`)));
const served = async (s) => (await (await fetch(`${s.base}/served?flag=checkout`)).json()).on;
let allOff;
while (!allOff && Date.now() - injected < 120_000) {
  const shares = await Promise.all(services.map(served));
  if (shares.every((on) => on === 0)) allOff = Date.now();
  else await sleep(20);
}
guard.kill('SIGTERM');
if (!killedAt || !allOff) {
  console.error(`no kill within 120 s. guard said: ${guardErrors.slice(-2000)}\nlast round: ${JSON.stringify(lastRound?.environments?.[0]?.flags?.[0]).slice(0, 2000)}`);
  process.exit(1);
}
const regression = { decided: (killedAt - injected) / 1000, allOff: (allOff - injected) / 1000, afterDecision: (allOff - killedAt) / 1000 };

// 2. One guard run over BULK guarded flags.
await sleep(3000);
const started = performance.now();
const bulk = spawnSync(process.execPath, [cli, 'guard', '--env', 'bulk', '--dry-run', '--format', 'json'], { cwd: project, env: { ...env, FLAGOPS_METRICS_URL: metricsUrl }, encoding: 'utf8', maxBuffer: 1 << 28 });
const bulkSeconds = (performance.now() - started) / 1000;
const bulkFlags = JSON.parse(bulk.stdout).environments[0].flags.length;
// What one query costs Prometheus here, one at a time: the floor under the run above.
const one = 'sum(increase(flagops_evaluations_total{flag="bulk-7",variant="on",environment="bulk"}[10s]))';
const queryStarted = performance.now();
for (let i = 0; i < 200; i++) await (await fetch(`${metricsUrl}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: one }) })).text();
const queryMs = (performance.now() - queryStarted) / 200;

// 3. The SDK's cost per evaluation, measurements off and on, alternating, in this process.
const store = join(project, '.flagops/store');
mkdirSync(store, { recursive: true });
const file = join(store, 'production.json');
writeFileSync(file, JSON.stringify({ meta: { revision: 1, commit: '', syncedAt: '', checksum: '', format: 3 }, flags: { checkout: { key: 'checkout', type: 'release', enabled: true, variants: { on: true, off: false }, offVariant: 'off', salt: 'checkout', rules: [], serve: { percentage: 50, variant: 'on', stickiness: 'userId' } } }, overrides: {}, audit: [], simple: {} }));
const off = createFlagClient({ file, env: 'production' });
const on = createFlagClient({ file, env: 'production', measurements: true });
await Promise.all([off.ready(), on.ready()]);
const contexts = Array.from({ length: 1024 }, (_, i) => ({ userId: `user-${i}` }));
const time = (client) => {
  let n = 0;
  const t = performance.now();
  for (let i = 0; i < EVALS; i++) if (client.isEnabled('checkout', contexts[i & 1023])) n++;
  if (n === 0) throw new Error('the flag served nobody');
  return ((performance.now() - t) * 1e6) / EVALS;
};
const trackTime = () => {
  const t = performance.now();
  for (let i = 0; i < EVALS / 10; i++) on.track('checkout', 'error', contexts[i & 1023]);
  return ((performance.now() - t) * 1e6) / (EVALS / 10);
};
for (let i = 0; i < 2; i++) {
  time(off);
  time(on);
}
const offs = [];
const ons = [];
for (let i = 0; i < 7; i++) {
  offs.push(time(off));
  ons.push(time(on));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const track = median([trackTime(), trackTime(), trackTime()]);
await Promise.all([off.close(), on.close()]);

console.log(`
guarded rollouts (window ${WINDOW}, Prometheus scraping every 1 s, guard --watch --interval 1, ${SERVICES} services)
  injected regression → guard's kill decision   ${regression.decided.toFixed(1)} s
  injected regression → every client off        ${regression.allOff.toFixed(1)} s   (goal: under the window + 5 s = ${windowSeconds + 5} s)
  kill decision → every client off              ${(regression.afterDecision * 1000).toFixed(0)} ms

one guard run over ${bulkFlags} guarded flags (${bulkFlags * 4} queries against a real Prometheus)
  wall time                                     ${bulkSeconds.toFixed(2)} s   (goal: under 10 s)
  one query alone, for scale                    ${queryMs.toFixed(2)} ms  (${((queryMs * bulkFlags * 4) / 1000).toFixed(1)} s if the ${bulkFlags * 4} ran one at a time)

SDK cost per evaluation (isEnabled, 50% flag, ${EVALS.toLocaleString('en')} evaluations, median of 7)
  measurements off (today's)                    ${median(offs).toFixed(1)} ns
  measurements on                               ${median(ons).toFixed(1)} ns   (${(median(ons) / median(offs)).toFixed(2)}x; goal: within 1.10x)
  track(key, event, context)                    ${track.toFixed(1)} ns
`);
process.exit(0);
