/* global fetch -- Node 20 has it */
// npm run bench:serve — flagops serve under load, with autocannon, in one run on this machine:
// 1. the floor of four HTTP frameworks (a bare POST route answering a constant), to choose one;
// 2. flagops serve: single-flag and bulk (50 flags) evaluation at 64 and 512 connections, against
//    the bare route of the framework it uses (goals: single ≥ 70% of the floor's throughput, bulk
//    ≥ 40%, p99 < 10 ms at 64 connections), measured in interleaved rounds (medians), each request
//    for another user (256 contexts), with the server's CPU time per request beside its throughput.
// With two or more cores and taskset, every server runs on the last core and the load generator
// (this process) on the first: the figures are one core's, as flagd's are, and the generator does
// not take the server's time. Otherwise they share the machine: absolute figures are lower, ratios hold.
// BENCH_SECONDS (4) per measurement, BENCH_ROUNDS (3).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateFlags } from './generate-flags.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const KEY = 'bench-key-0123456789abcdef';

const cores = availableParallelism();
const pinned = cores >= 2 && spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' }).status === 0;
const serverCore = String(cores - 1);

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Starts a server process and waits for its line saying it listens. */
async function start(args, env, pattern) {
  const [command, argv] = pinned ? ['taskset', ['-c', serverCore, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (pattern.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
  child.printed = out;
  return child;
}

const stop = (child) => new Promise((resolve) => {
  child.once('exit', resolve);
  child.kill('SIGTERM');
});

/**
 * Requests per second and latency of `connections` connections for `seconds`. `bodies`: the request
 * bodies, each connection cycling through them; `extra`: more headers. A poll with If-None-Match
 * expects 304s, every other request 2xx.
 */
async function load(url, connections, bodies, { extra = {}, warm = true, secs = seconds, server } = {}) {
  const headers = { 'content-type': 'application/json', 'x-api-key': KEY, ...extra };
  const requests = bodies.map((body) => ({ method: 'POST', headers, body }));
  const options = { url, connections, method: 'POST', headers, requests };
  if (warm) await autocannon({ ...options, duration: 1 });
  const cpu = process.cpuUsage();
  const serverBefore = cpuTime(server);
  const began = performance.now();
  const r = await autocannon({ ...options, duration: secs });
  const used = process.cpuUsage(cpu);
  const serverUsed = cpuTime(server) - serverBefore;
  // How busy the load generator was: near a whole core, it may cap the floor first and flatter every ratio.
  const generator = (used.user + used.system) / 1000 / (performance.now() - began);
  const expected = extra['if-none-match'] ? r['3xx'] : 0;
  if (r.non2xx !== expected || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx (${expected} expected), ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu: serverUsed / r.requests.total, generator };
}

/**
 * A process's CPU time so far, in µs (Linux /proc; NaN elsewhere). Per request, it measures the
 * server's cost whether or not the load generator kept it busy: the check on every throughput ratio.
 */
function cpuTime(pid) {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The median of each figure over the rounds. */
const medianOf = (runs) => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  cpu: median(runs.map((r) => r.cpu)),
  generator: Math.max(...runs.map((r) => r.generator)),
});

const dir = join(root, '.bench', 'serve');
generateFlags(dir, 50);
writeFileSync(join(dir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: []\n');
spawnSync('git', ['init', '-q'], { cwd: dir });
const synced = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'sync', '--env', 'production', '--allow-dirty'], { cwd: dir, encoding: 'utf8' });
if (synced.status !== 0) throw new Error(synced.stderr || synced.stdout);
// What services send: a different user on every request (256 contexts, each connection cycling
// through them), with the attributes the flags' rules read. A polling browser sends one context.
const contexts = Array.from({ length: 256 }, (_, i) => ({
  targetingKey: `u-${(i * 7919) % 100_000}`,
  plan: ['free', 'pro', 'enterprise', 'business'][i % 4],
  appVersion: `2.${i % 10}.${i % 3}`,
  groups: i % 5 === 0 ? ['beta'] : i % 11 === 0 ? ['employees'] : [],
}));
const bodies = contexts.map((context) => JSON.stringify({ context }));
const pollBody = bodies[0];
const percent = (x) => `${(x * 100).toFixed(0)}%`;
/** A row: throughput, latency, and the server's CPU per request; against the floor, both as ratios. */
const row = (name, m, floor) => {
  const cpu = Number.isNaN(m.cpu) ? '' : `  ${m.cpu.toFixed(1).padStart(5)} µs CPU`;
  const versus = floor ? `   ${percent(m.rps / floor.rps)} of the floor${Number.isNaN(m.cpu) ? '' : ` (by CPU per request ${percent(floor.cpu / m.cpu)})`}` : '';
  const busy = pinned && m.generator > 0.9 ? ` [generator ${percent(m.generator)} busy]` : '';
  return `  ${name.padEnd(44)} ${Math.round(m.rps).toLocaleString('en-US').padStart(7)} req/s  p50 ${String(m.p50).padStart(3)} ms  p99 ${String(m.p99).padStart(3)} ms${cpu}${versus}${busy}`;
};

console.log(
  pinned
    ? `servers on CPU ${serverCore}, the load generator (autocannon) on CPU 0, of ${cores}`
    : `servers and the load generator share ${cores} CPU${cores === 1 ? '' : 's'} (no taskset, or one core): absolute figures are lower`,
);
console.log(`\n1. the floor: a bare POST route answering a constant, 64 connections, ${seconds} s each`);
const floors = {};
for (const framework of ['node', 'fastify', 'hono', 'express']) {
  const port = await freePort();
  const child = await start([join(root, 'bench/serve-floor.mjs'), framework, String(port)], {}, /listening/);
  try {
    floors[framework] = await load(`http://127.0.0.1:${port}/ofrep/v1/evaluate/flags/x`, 64, bodies, { server: child.pid });
    console.log(row(framework === 'node' ? 'node:http (no framework)' : framework, floors[framework], floors.node));
  } finally {
    await stop(child);
  }
}

// The machine is shared: a neighbour's burst during one measurement would skew a ratio taken from
// two measurements minutes apart. So every server runs at once (idle ones cost nothing), and the
// rows are measured in turn, round after round; each figure is the median of its rounds.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
console.log(`\n2. flagops serve (Fastify), 50 flags, logs off; against Fastify's bare route; ${rounds} rounds of ${seconds} s per row, medians`);
const served = await start(
  [join(root, 'dist/cli/main.js'), 'serve', '--port', '0', '--env', 'production'],
  { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'off' },
  /"msg":"serving"/,
);
const address = /"address":"([^"]+)"/.exec(served.printed)[1];
const first = await fetch(`${address}/ofrep/v1/evaluate/flags`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: pollBody });
const bulkText = await first.text();
const etag = first.headers.get('etag');
const floorPort = await freePort();
const floor = await start([join(root, 'bench/serve-floor.mjs'), 'fastify', String(floorPort)], {}, /listening/);
// The bytes of a bulk answer cost the socket something too: the same text as a constant.
const sizedPort = await freePort();
const sized = await start([join(root, 'bench/serve-floor.mjs'), 'fastify', String(sizedPort)], { FLOOR_BODY: bulkText }, /listening/);
const rows = [
  ['floor', 'Fastify bare route (the floor)', floor.pid, `http://127.0.0.1:${floorPort}/ofrep/v1/evaluate/flags/x`, bodies, {}],
  ['single', 'single flag (flag-3: 2 rules, a rollout)', served.pid, `${address}/ofrep/v1/evaluate/flags/flag-3`, bodies, {}],
  ['bulk', `bulk, 50 flags (${bulkText.length.toLocaleString('en-US')} bytes)`, served.pid, `${address}/ofrep/v1/evaluate/flags`, bodies, {}],
  // What a polling client mostly sends: the tag of the answer it holds, answered 304 while nothing changed.
  ['polled', 'bulk poll with the current ETag (304)', served.pid, `${address}/ofrep/v1/evaluate/flags`, [pollBody], { 'if-none-match': etag }],
  ['sized', 'Fastify bare route, a bulk answer\'s bytes', sized.pid, `http://127.0.0.1:${sizedPort}/ofrep/v1/evaluate/flags/x`, bodies, {}],
];
const results = {};
try {
  for (const connections of [64, 512]) {
    const runs = Object.fromEntries(rows.map(([id]) => [id, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [id, , server, url, sent, extra] of rows) runs[id].push(await load(url, connections, sent, { extra, warm: round === 0, server }));
    }
    const m = Object.fromEntries(rows.map(([id]) => [id, medianOf(runs[id])]));
    results[connections] = m;
    console.log(`  ${connections} connections`);
    for (const [id, name] of rows) console.log(row(name, m[id], id === 'floor' ? undefined : m.floor));
    console.log(`  bulk ÷ the same bytes as a constant: ${((m.bulk.rps / m.sized.rps) * 100).toFixed(0)}%`);
    const spread = (id) => runs[id].map((r) => `${((r.rps / runs.floor[runs[id].indexOf(r)].rps) * 100).toFixed(0)}%`).join(', ');
    console.log(`  each round ÷ that round's floor: single ${spread('single')}; bulk ${spread('bulk')}`);
  }
} finally {
  await Promise.all([stop(served), stop(floor), stop(sized)]);
}
const at64 = results[64];
const byCpu = (id) => (Number.isNaN(at64[id].cpu) ? '' : `, by CPU per request ${percent(at64.floor.cpu / at64[id].cpu)}`);
console.log(
  `\nsingle ${percent(at64.single.rps / at64.floor.rps)} of the floor${byCpu('single')} (goal ≥ 70%), bulk ${percent(at64.bulk.rps / at64.floor.rps)}${byCpu('bulk')} (goal ≥ 40%); ` +
  `p99 at 64 connections: single ${at64.single.p99} ms, bulk ${at64.bulk.p99} ms (goal < 10 ms)`,
);
console.log('flagd documents about 20,000 requests/s on one CPU for its HTTP evaluation (another machine, another load generator).');
