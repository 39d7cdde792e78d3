// npm run bench:sync — flagops sync phases against the floor of one pipelined HSET of the same payload.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { compileEnvironment } from '../dist/core/serving/compile.js';
import { defaultConfig } from '../dist/core/definition/config.js';
import { planSync } from '../dist/core/change/plan.js';
import { validateFlagTexts } from '../dist/core/definition/validate/validate-flags.js';
import { usePrebuiltValidators } from '../dist/files/prebuilt-validators.js';
import { readFlagFiles } from '../dist/files/read-flag-files.js';
import { RedisStore } from '../dist/store/redis-store.js';

// The phases below validate in this process as flagops sync does: with the validators the build wrote.
usePrebuiltValidators();

process.env = { ...process.env };
const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const now = () => performance.now();

function flagText(i, version) {
  return `description: Benchmark flag ${i}, release ${version}.
owner: "@acme/team-${i % 13}"
type: ${i % 3 === 0 ? 'release' : 'ops'}
created: 2026-11-01
${i % 3 === 0 ? 'expires: 2026-12-01\n' : ''}environments:
  staging: { enabled: true, serve: on }
  production:
    enabled: true
    rules:
      - { name: staff, groups: [employees], serve: on }
    serve: { percentage: ${version === 1 ? i % 100 : (i % 100) / 2} }
`;
}

function writeRepo(dir, count, changed = () => false) {
  for (let i = 0; i < count; i++) {
    const folder = join(dir, 'flags', `area-${i % 100}`);
    if (i < 100) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `flag-${i}.yaml`), flagText(i, changed(i) ? 2 : 1));
  }
}

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => {}); // connect() below retries until the server listens
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url: `redis://127.0.0.1:${port}`, client, stop: () => child.kill('SIGKILL') };
}

/** The phases flagops sync goes through, timed in this process with flagops's own modules. */
async function phases(dir, url, prefix) {
  const t0 = now();
  const read = readFlagFiles([join(dir, 'flags')], { cwd: dir, maxFileBytes: 1 << 20 });
  const { flags, diagnostics } = validateFlagTexts(read.files, defaultConfig());
  if (diagnostics.length) throw new Error(`benchmark flags are invalid: ${diagnostics[0].message}`);
  const t1 = now();
  const desired = compileEnvironment(flags, 'production');
  const t2 = now();
  const store = await RedisStore.connect(url, prefix);
  const t3 = now();
  const live = await store.read();
  const t3b = now();
  const plan = planSync(desired, { flags: live.flags, checksum: live.meta?.checksum });
  const t4 = now();
  if (process.env.BENCH_DEBUG) console.log(`  read ${(t3b - t3).toFixed(0)} ms, plan ${(t4 - t3b).toFixed(0)} ms`);
  let written = 0;
  if (plan.changes.length > 0) {
    const result = await store.writeSync({
      expectedRevision: live.meta?.revision ?? 0,
      upserts: plan.upserts,
      removals: plan.removals,
      meta: { commit: 'bench', syncedAt: new Date().toISOString(), checksum: plan.checksum, format: 1 },
      audit: { kind: 'sync', actor: 'bench', at: new Date().toISOString(), changed: plan.changes.map((c) => c.key) },
    });
    if (result.status !== 'applied') throw new Error('conflict');
    written = plan.upserts.size;
  }
  const t5 = now();
  if (process.env.BENCH_DEBUG) console.log(`  write ${(t5 - t4).toFixed(0)} ms`);
  await store.close();
  // Phases as the issue names them: planning belongs to compile+diff, not to Redis.
  return { load: t1 - t0, compile: t2 - t1 + (t4 - t3b), redis: t3b - t3 + (t5 - t4), written, desired };
}

/** The floor: one pipelined HSET of the same payload, on the same server. */
async function floor(client, key, flags) {
  await client.del(key);
  const args = [];
  for (const [k, v] of flags) args.push(k, v);
  const t = now();
  await client.pipeline().hset(key, args).exec(); // one array argument: ioredis flattens it
  return now() - t;
}

const ms = (x) => `${x.toFixed(0)} ms`.padStart(9);
const redis = await startRedis();
console.log(`flagops sync phases vs one pipelined HSET (floor) — node ${process.version}, redis on loopback`);
console.log('flags   | case        | load+validate | compile+diff | redis (read+write) | written | floor   | redis/floor');
console.log('--------|-------------|---------------|--------------|--------------------|---------|---------|------------');
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `flagops-bench-sync-${size}-`));
  try {
    writeRepo(dir, size);
    const prefix = `bench${size}`;
    const first = await phases(dir, redis.url, prefix);
    const f = await floor(redis.client, `floor${size}`, first.desired.flags);
    const row = (name, p, fl) =>
      console.log(
        `${String(size).padEnd(7)} | ${name.padEnd(11)} | ${ms(p.load).padStart(13)} | ${ms(p.compile).padStart(12)} | ${ms(p.redis).padStart(18)} | ${String(p.written).padStart(7)} | ${fl ? ms(fl) : '      -  '} | ${fl ? (p.redis / fl).toFixed(2).padStart(10) : '         -'}`,
      );
    row('first sync', first, f);
    const noop = await phases(dir, redis.url, prefix);
    row('no-op', noop);
    writeRepo(dir, size, (i) => i % 100 === 7);
    const onePercent = await phases(dir, redis.url, prefix);
    row('1% changed', onePercent);

    // The whole command, as a user runs it, from a fresh git checkout to a fresh prefix.
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', 'add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', 'commit', '-qm', 'bench'], { cwd: dir });
    writeFileSync(join(dir, 'flagops.config.yaml'), `environments:\n  staging: {}\n  production: { prefix: whole${size} }\n`);
    const t = now();
    const result = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'sync', '--env', 'production', '--redis', redis.url], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (result.status !== 0) throw new Error(`flagops sync failed (${result.status}): ${result.stderr}`);
    console.log(`${String(size).padEnd(7)} | whole flagops sync command (first sync, new process): ${(now() - t).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
redis.client.disconnect();
redis.stop();
