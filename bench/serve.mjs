/* global fetch -- Node 20 has it */
// npm run bench:serve — flagops serve under load, with autocannon, in one run on this machine:
// 1. the floor of four HTTP frameworks (a bare POST route answering a constant), to choose one;
// 2. flagops serve: single-flag and bulk (50 flags) evaluation at 64 and 512 connections, against
//    the bare route of the framework it uses (goals: single ≥ 70% of the floor's throughput, bulk
//    ≥ 40%, p99 < 10 ms at 64 connections).
// With two or more cores and taskset, every server runs on the last core and the load generator
// (this process) on the first: the figures are one core's, as flagd's are, and the generator does
// not take the server's time. Otherwise they share the machine: absolute figures are lower, ratios hold.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateFlags } from './generate-flags.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
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

/** `extra`: more request headers; a poll with If-None-Match expects 304s, every other request 2xx. */
async function load(url, connections, body, extra = {}) {
  const headers = { 'content-type': 'application/json', 'x-api-key': KEY, ...extra };
  await autocannon({ url, connections, duration: 1, method: 'POST', headers, body }); // warm-up
  const r = await autocannon({ url, connections, duration: seconds, method: 'POST', headers, body });
  const expected = extra['if-none-match'] ? r['3xx'] : 0;
  if (r.non2xx !== expected || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx (${expected} expected), ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const dir = join(root, '.bench', 'serve');
generateFlags(dir, 50);
writeFileSync(join(dir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: []\n');
spawnSync('git', ['init', '-q'], { cwd: dir });
const synced = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'sync', '--env', 'production', '--allow-dirty'], { cwd: dir, encoding: 'utf8' });
if (synced.status !== 0) throw new Error(synced.stderr || synced.stdout);
const body = JSON.stringify({ context: { targetingKey: 'u-4242', plan: 'enterprise', appVersion: '2.3.1', groups: ['beta'] } });
const row = (name, m, floor) =>
  `  ${name.padEnd(44)} ${Math.round(m.rps).toLocaleString('en-US').padStart(7)} req/s  p50 ${String(m.p50).padStart(3)} ms  p99 ${String(m.p99).padStart(3)} ms${floor ? `   ${((m.rps / floor.rps) * 100).toFixed(0)}% of the floor` : ''}`;

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
    floors[framework] = await load(`http://127.0.0.1:${port}/ofrep/v1/evaluate/flags/x`, 64, body);
    console.log(row(framework === 'node' ? 'node:http (no framework)' : framework, floors[framework], floors.node));
  } finally {
    await stop(child);
  }
}

console.log(`\n2. flagops serve (Fastify), 50 flags, logs off; against Fastify's bare route`);
const results = {};
let bulkText;
for (const connections of [64, 512]) {
  const floorPort = await freePort();
  const floor = await start([join(root, 'bench/serve-floor.mjs'), 'fastify', String(floorPort)], {}, /listening/);
  let bare;
  try {
    bare = await load(`http://127.0.0.1:${floorPort}/ofrep/v1/evaluate/flags/x`, connections, body);
  } finally {
    await stop(floor);
  }
  const served = await start(
    [join(root, 'dist/cli/main.js'), 'serve', '--port', '0', '--env', 'production'],
    { FLAGOPS_API_KEYS: `production=${KEY}`, FLAGOPS_SERVE_LOG: 'off' },
    /"msg":"serving"/,
  );
  const address = /"address":"([^"]+)"/.exec(served.printed)[1];
  try {
    const single = await load(`${address}/ofrep/v1/evaluate/flags/flag-3`, connections, body);
    const bulk = await load(`${address}/ofrep/v1/evaluate/flags`, connections, body);
    const first = await fetch(`${address}/ofrep/v1/evaluate/flags`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body });
    bulkText ??= await first.text();
    // What a polling client mostly sends: the tag of the answer it holds, answered 304 while nothing changed.
    const polled = await load(`${address}/ofrep/v1/evaluate/flags`, connections, body, { 'if-none-match': first.headers.get('etag') });
    results[connections] = { bare, single, bulk, polled };
    console.log(`  ${connections} connections`);
    console.log(row('Fastify bare route (the floor)', bare));
    console.log(row('single flag (flag-3: 2 rules, a rollout)', single, bare));
    console.log(row(`bulk, 50 flags (${bulkText.length.toLocaleString('en-US')} bytes)`, bulk, bare));
    console.log(row('bulk poll with the current ETag (304)', polled, bare));
  } finally {
    await stop(served);
  }
  // The bytes of a bulk answer cost the socket as much as evaluating it: the same text as a constant.
  const sizedPort = await freePort();
  const sized = await start([join(root, 'bench/serve-floor.mjs'), 'fastify', String(sizedPort)], { FLOOR_BODY: bulkText }, /listening/);
  try {
    const constant = await load(`http://127.0.0.1:${sizedPort}/ofrep/v1/evaluate/flags/x`, connections, body);
    results[connections].sized = constant;
    console.log(row('Fastify bare route, a bulk answer\'s bytes', constant, bare));
    console.log(`  bulk ÷ the same bytes as a constant: ${((results[connections].bulk.rps / constant.rps) * 100).toFixed(0)}%`);
  } finally {
    await stop(sized);
  }
}
const at64 = results[64];
console.log(`\nsingle ${((at64.single.rps / at64.bare.rps) * 100).toFixed(0)}% of the floor (goal ≥ 70%), bulk ${((at64.bulk.rps / at64.bare.rps) * 100).toFixed(0)}% (goal ≥ 40%), p99 at 64 connections: single ${at64.single.p99} ms, bulk ${at64.bulk.p99} ms (goal < 10 ms)`);
console.log('flagd documents about 20,000 requests/s on one CPU for its HTTP evaluation (another machine, another load generator).');
