import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free TCP port on loopback (the OS picks one; a race with another process is possible but rare). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  /** A plain client for assertions, independent of flagops. */
  client(): Redis;
  /** SIGKILL, keeping the data folder (call SAVE first to keep the data too). */
  kill(): Promise<void>;
  /** Starts again on the same port and folder, loading the last SAVE; resolves when it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a real redis-server on a free loopback port, with no persistence, for one test file. */
export function startRedis(extraArgs: string[] = [], configFile?: string, modeArgs: string[] = []): Promise<RedisServer> {
  return launchRedis(extraArgs, configFile, modeArgs);
}

/** As startRedis, on a given port (a client already waits there). */
export function startRedisOn(port: number): Promise<RedisServer> {
  return launchRedis([], undefined, [], port);
}

async function launchRedis(extraArgs: string[], configFile: string | undefined, modeArgs: string[], fixedPort?: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-redis-'));
  const persistence = modeArgs.includes('--sentinel') ? [] : ['--save', '', '--appendonly', 'no'];
  const launch = async (port: number) => {
    const child = spawn(
      'redis-server',
      [...(configFile ? [configFile] : []), ...modeArgs, '--port', String(port), '--bind', '127.0.0.1', ...persistence, '--dir', dir, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    const ready = await waitFor(() => /Ready to accept connections|Sentinel ID is/.test(output) || child.exitCode !== null, 10_000);
    if (ready && child.exitCode === null) return child;
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  };
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    let child: ChildProcess;
    try {
      child = await launch(port);
    } catch (error) {
      if (attempt >= 3 || fixedPort !== undefined) throw error;
      continue;
    }
    const clients: Redis[] = [];
    const kill = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    };
    const server: RedisServer = {
      port,
      url: `redis://127.0.0.1:${port}`,
      process: child,
      client() {
        const client = new Redis(port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
        // Tests kill and restart servers: a helper client's reconnect errors are expected noise.
        client.on('error', () => {});
        clients.push(client);
        return client;
      },
      kill,
      async restart() {
        await kill();
        child = await launch(port);
        server.process = child;
      },
      async stop() {
        for (const client of clients) client.disconnect();
        await kill();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return server;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

export interface RedisCluster {
  ports: number[];
  url: string;
  stop(): Promise<void>;
}

/** Three masters (no replicas) joined with redis-cli --cluster create, waited on until the state is ok. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  for (let i = 0; i < 3; i++) {
    nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`, '--cluster-node-timeout', '5000']));
  }
  const { spawnSync } = await import('node:child_process');
  const created = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.stdout}${created.stderr}`);
  for (const node of nodes) {
    const client = node.client();
    const ok = await waitForAsync(async () => /cluster_state:ok/.test(String(await client.call('CLUSTER', 'INFO'))), 30_000);
    if (!ok) throw new Error('the cluster did not reach cluster_state:ok');
  }
  return {
    ports: nodes.map((n) => n.port),
    url: `redis+cluster://127.0.0.1:${nodes[0]!.port},127.0.0.1:${nodes[1]!.port}`,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

/** A master and one Sentinel that monitors it under `name`. */
export async function startRedisSentinel(name = 'flagops-master'): Promise<{ master: RedisServer; sentinel: RedisServer; url: string; stop(): Promise<void> }> {
  const master = await startRedis();
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'flagops-sentinel-'));
  const config = join(dir, 'sentinel.conf');
  writeFileSync(config, `sentinel monitor ${name} 127.0.0.1 ${master.port} 1\nsentinel down-after-milliseconds ${name} 5000\n`);
  const sentinel = await startRedis([], config, ['--sentinel']);
  return {
    master,
    sentinel,
    url: `redis+sentinel://127.0.0.1:${sentinel.port}/${name}`,
    async stop() {
      await sentinel.stop();
      await master.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return true;
    } catch {
      // not ready yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
