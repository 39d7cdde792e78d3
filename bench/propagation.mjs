// npm run bench:propagation — how long from a sync's transaction to every subscribed client serving
// the new value. A real redis-server on a free port, CLIENTS flagops clients in this process, SYNCS
// syncs through the same store code `flagops sync` uses; each client's latency is taken when its
// snapshot switches ('changed' event). Side by side: the same clients without pub/sub, polling
// `_meta` once a second, which is how polling SDKs (unleash-client: refreshInterval, default 15 s) learn of changes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFlagClient } from 'flagops';
import { RedisStore } from '../dist/store/redis-store.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SYNCS = Number(process.env.BENCH_SYNCS ?? 200);
const POLL_SYNCS = Number(process.env.BENCH_POLL_SYNCS ?? 20);
/** Other flags in the environment besides the one that changes (a real environment has hundreds). */
const OTHER_FLAGS = Number(process.env.BENCH_FLAGS ?? 500);

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-'));
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => redis.stdout.on('data', (d) => /Ready to accept/.test(String(d)) && resolve()));
const url = `redis://127.0.0.1:${port}`;

const flag = (revision) => ({
  key: 'checkout',
  type: 'release',
  enabled: true,
  variants: { on: revision, off: -1 },
  offVariant: 'off',
  salt: 'checkout',
  rules: [],
  serve: { variant: 'on' },
});

async function run(label, prefix, options, syncs, jitterMs = 5) {
  const store = await RedisStore.connect(url, prefix);
  let revision = 0;
  const sync = async (value) => {
    const json = JSON.stringify(flag(value));
    const result = await store.writeSync({
      expectedRevision: revision,
      upserts: new Map([['checkout', json]]),
      removals: [],
      meta: { commit: `c${value}`, syncedAt: new Date().toISOString(), checksum: '', format: 1 },
      audit: { kind: 'sync', actor: 'bench', at: new Date().toISOString() },
    });
    revision = result.revision;
  };
  // The environment: OTHER_FLAGS flags that stay as they are, plus `checkout`, which each sync changes.
  const others = new Map(Array.from({ length: OTHER_FLAGS }, (_, i) => [`flag-${i}`, JSON.stringify({ ...flag(0), key: `flag-${i}`, salt: `flag-${i}` })]));
  await store.writeSync({
    expectedRevision: 0,
    upserts: others,
    removals: [],
    meta: { commit: 'c-init', syncedAt: new Date().toISOString(), checksum: '', format: 1 },
    audit: { kind: 'sync', actor: 'bench', at: new Date().toISOString() },
  });
  revision = 1;
  await sync(0);
  const clients = Array.from({ length: CLIENTS }, () => createFlagClient({ url, prefix, ...options }));
  await Promise.all(clients.map((c) => c.ready()));
  const latencies = [];
  for (let i = 1; i <= syncs; i++) {
    const seen = clients.map(
      (c) =>
        new Promise((resolve) => {
          const check = () => {
            if (c.getValue('checkout', {}, 0) === i) {
              c.off('changed', check);
              resolve(performance.now());
            }
          };
          c.on('changed', check);
        }),
    );
    const start = performance.now();
    await sync(i);
    for (const at of await Promise.all(seen)) latencies.push(at - start);
    // Polling clients: start syncs at random points of the poll cycle, as real merges do.
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * jitterMs));
  }
  await Promise.all(clients.map((c) => c.close()));
  await store.close();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  const row = { label, clients: CLIENTS, syncs, p50: q(50), p99: q(99), max: latencies.at(-1) };
  console.log(`${label}: ${syncs} syncs × ${CLIENTS} clients — p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, max ${row.max.toFixed(1)} ms`);
  return row;
}

console.log(`bench:propagation — Node ${process.version}, redis-server on port ${port}, ${OTHER_FLAGS + 1} flags per environment\n`);
try {
  const pubsub = await run('flagops (pub/sub + _meta polling)', 'bench:pubsub', { pollIntervalMs: 5000 }, SYNCS, 0);
  const polling = await run('polling only, every 1 s', 'bench:poll', { subscribe: false, pollIntervalMs: 1000 }, POLL_SYNCS, 1000);
  console.log(`\np99: flagops ${pubsub.p99.toFixed(1)} ms vs polling ${polling.p99.toFixed(1)} ms (${(polling.p99 / pubsub.p99).toFixed(0)}x); goal < 50 ms: ${pubsub.p99 < 50 ? 'met' : 'NOT met'}`);
} finally {
  redis.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
