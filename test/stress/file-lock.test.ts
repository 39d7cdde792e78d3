import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/store/file-lock.js';
import { flagopsAsync, repoRoot } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { tmpProject } from '../helpers/tmp.js';

const racer = join(repoRoot, 'test/helpers/lock-racer.mjs');
const lockModule = join(repoRoot, 'dist/store/file-lock.js');

describe('the file store lock under load', () => {
  it('8 processes × 50 locked increments end at exactly 400, five times over', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = tmpProject();
      writeFileSync(join(dir, 'counter'), '0');
      const codes = await Promise.all(
        Array.from(
          { length: 8 },
          () =>
            new Promise<number>((resolve) => {
              const child = spawn(process.execPath, [racer, lockModule, join(dir, 'counter.lock'), join(dir, 'counter'), '50'], { stdio: 'inherit' });
              child.on('close', (code) => resolve(code ?? -1));
            }),
        ),
      );
      expect(codes).toEqual(Array(8).fill(0));
      expect(readFileSync(join(dir, 'counter'), 'utf8')).toBe('400');
    }
  });

  it('takes over from holders killed under the lock while others race: 4 × 50 increments and 6 crashes end at exactly 200', async () => {
    const dir = tmpProject();
    writeFileSync(join(dir, 'counter'), '0');
    const run = (what: string) =>
      new Promise<number | string>((resolve) => {
        const child = spawn(process.execPath, [racer, lockModule, join(dir, 'counter.lock'), join(dir, 'counter'), what], { stdio: 'inherit' });
        child.on('close', (code, signal) => resolve(code ?? signal ?? -1));
      });
    const results = await Promise.all([...Array(4).fill('50'), ...Array(6).fill('crash')].map(run));
    expect(results).toEqual([0, 0, 0, 0, ...Array(6).fill('SIGKILL')]);
    expect(readFileSync(join(dir, 'counter'), 'utf8')).toBe('200');
    // A holder that died last leaves its lock: the next writer takes it over at once, and leaves nothing.
    expect(await withFileLock(join(dir, 'counter.lock'), () => 'next', 5000)).toBe('next');
    expect(readdirSync(dir).sort()).toEqual(['counter']);
  });

  it('40 concurrent kills and then 40 concurrent unkills on the file store all land, at distinct revisions', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `f${i}`);
    const repo = new GitRepo(Object.fromEntries(keys.map((key) => [`flags/${key}.yaml`, flagFile()])));
    repo.commit();
    expect((await flagopsAsync(['sync', '--env', 'production'], repo.root)).code).toBe(0);
    for (const command of ['kill', 'unkill']) {
      const results = await Promise.all(
        keys.map((key) => flagopsAsync([command, key, '--env', 'production', '--reason', 'race', '--format', 'json'], repo.root)),
      );
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect(new Set(results.map((r) => JSON.parse(r.stdout).revision)).size).toBe(40);
    }
    const store = JSON.parse(readFileSync(join(repo.root, '.flagops/store/production.json'), 'utf8'));
    expect(store.overrides).toEqual({});
    expect(store.meta.revision).toBe(81);
    expect(store.audit.filter((e: { kind: string }) => e.kind !== 'sync')).toHaveLength(80);
  });
});
