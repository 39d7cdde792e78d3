import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, flagops, flagopsAsync } from './cli.js';
import { GitRepo } from './git-repo.js';
import { type RedisServer, startRedis } from './redis-server.js';

const PREFIX = 'flagops:production';

/**
 * Syncs are atomic for readers: `flags` flags, synced while a reader snapshots, killed at `kills`
 * random points, and cut off mid-write by a proxy. npm test runs a small one; npm run test:stress
 * the full 10,000 flags and 50 kills.
 */
export function atomicitySuite({ flags: FLAGS, kills }: { flags: number; kills: number }) {
  let redis: RedisServer;
  let repo: GitRepo;
  let commits: Record<string, number>;

  /** 10,000 small flags whose compiled form carries `version` as the rollout percentage. */
  function writeFlags(version: number) {
    const files: Record<string, string> = {};
    for (let i = 0; i < FLAGS; i++) {
      files[`flags/flag-${i}.yaml`] =
        `description: v${version}\nowner: "@a"\ntype: ops\ncreated: 2026-11-10\nenvironments:\n  production: { enabled: true, serve: { percentage: ${version} } }\n`;
    }
    repo.write(files);
    return repo.commit(`v${version}`);
  }

  beforeAll(async () => {
    redis = await startRedis();
    repo = new GitRepo();
    const v1 = writeFlags(1);
    const v2 = writeFlags(2);
    commits = { [v1]: 1, [v2]: 2 };
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** What an independent reader sees in one MULTI: the version every flag carries, and _meta's. */
  async function snapshot(client: Redis): Promise<{ versions: Set<number>; count: number; metaVersion?: number }> {
    const [[, flags], [, meta]] = (await client.multi().hgetall(`${PREFIX}:_flags`).hgetall(`${PREFIX}:_meta`).exec()) as [
      [null, Record<string, string>],
      [null, Record<string, string>],
    ];
    // The version is the rollout percentage: read it from the JSON text, 10,000 times per snapshot.
    const versions = new Set(Object.values(flags).map((json) => Number(/"percentage":(\d+)/.exec(json)?.[1])));
    return { versions, count: Object.keys(flags).length, metaVersion: meta.commit ? commits[meta.commit] : undefined };
  }

  /** Every snapshot must be wholly v1 or wholly v2, with _meta naming the same commit. */
  function expectWhole(s: Awaited<ReturnType<typeof snapshot>>) {
    expect(s.count).toBe(FLAGS);
    expect(s.versions.size).toBe(1);
    expect(s.metaVersion).toBe([...s.versions][0]);
  }

  describe('a sync is atomic for readers', () => {
    it(`is wholly old or wholly new when the flagops process is SIGKILLed at ${kills} random points`, { timeout: 600_000 }, async () => {
      repo.git('checkout', '-q', Object.keys(commits)[0]!);
      expect(flagops(['sync', '--env', 'production', '--redis', redis.url], repo.root).code).toBe(0);
      repo.git('checkout', '-q', 'main');
      const reader = redis.client();
      const admin = redis.client();
      const old = await admin.hgetall(`${PREFIX}:_flags`);
      const oldMeta = await admin.hgetall(`${PREFIX}:_meta`);
      expect(old).not.toEqual({});

      let snapshots = 0;
      let completed = 0;
      let fullRun = 0;
      // Round 0 runs to the end, to time a sync while the reader keeps reading; the others are killed.
      for (let round = 0; round <= kills; round++) {
      // Back to v1, written by an independent client in one transaction.
        await admin.multi().del(`${PREFIX}:_flags`).hset(`${PREFIX}:_flags`, old).hset(`${PREFIX}:_meta`, oldMeta).exec();
        expectWhole(await snapshot(reader));

        const child: ChildProcess = spawn(process.execPath, [cliPath, 'sync', '--env', 'production', '--redis', redis.url], {
          cwd: repo.root,
          stdio: 'ignore',
        });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        // Most of a run is reading and validating: aim the kills around its end, where it writes, so that
        // some land before the write, some while it is sent and some after it.
        const started = Date.now();
        const killer = round === 0 ? undefined : setTimeout(() => child.kill('SIGKILL'), fullRun * (0.5 + Math.random() * 0.7));
        let running = true;
        void exited.then(() => {
          running = false;
        });
        while (running) {
          expectWhole(await snapshot(reader));
          snapshots++;
        }
        clearTimeout(killer);
        if (round === 0) {
          expect(await exited).toBe(0);
          fullRun = Date.now() - started;
        } else if ((await exited) === 0) completed++;
        const after = await snapshot(reader);
        expectWhole(after);
      }
      console.log(`atomicity: a sync of ${FLAGS} flags takes ${fullRun} ms; of ${kills} killed, ${completed} had finished; ${snapshots} snapshots, all whole`);
      expect(snapshots).toBeGreaterThan(kills);
    });

    it('leaves the store as it was when the connection is cut in the middle of the write', async () => {
      const admin = redis.client();
      await admin.del(`${PREFIX}:_flags`, `${PREFIX}:_meta`);
      repo.git('checkout', '-q', Object.keys(commits)[0]!);
      expect(flagops(['sync', '--env', 'production', '--redis', redis.url], repo.root).code).toBe(0);
      repo.git('checkout', '-q', 'main');
      const before = await snapshot(admin);

      // A proxy that forwards until the client has sent half of the write (about 200 bytes a flag), then cuts both ways.
      const proxy = await cuttingProxy(redis.port, FLAGS * 100);
      const cut = await flagopsAsync(['sync', '--env', 'production', '--redis', `redis://127.0.0.1:${proxy.port}`], repo.root);
      proxy.server.close();
      expect(cut.code).toBe(2);
      expect(cut.stderr).toMatch(/^flagops: Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(prefix flagops:production\): the connection was closed\./);
      expect(proxy.cut()).toBe(true);
      const after = await snapshot(admin);
      expectWhole(after);
      expect(after).toEqual(before);

      expect(flagops(['sync', '--env', 'production', '--redis', redis.url], repo.root).code).toBe(0);
      expect([...(await snapshot(admin)).versions]).toEqual([2]);
    });
  });
}

function cuttingProxy(target: number, limit: number): Promise<{ server: Server; port: number; cut: () => boolean }> {
  let didCut = false;
  const server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(target, '127.0.0.1');
    let sent = 0;
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > limit) {
        didCut = true;
        upstream.write(chunk.subarray(0, chunk.length - (sent - limit)));
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0, cut: () => didCut });
    });
  });
}
