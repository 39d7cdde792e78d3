import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/store/file-lock.js';
import { cliPath, flagopsAsync, repoRoot } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { tmpProject } from '../helpers/tmp.js';

const racer = join(repoRoot, 'test/helpers/lock-racer.mjs');
const lockModule = join(repoRoot, 'dist/store/file-lock.js');

/** `processes` node processes, each adding `times` to one counter under the lock. */
function race(dir: string, processes: number, times: number): Promise<number[]> {
  writeFileSync(join(dir, 'counter'), '0');
  return Promise.all(
    Array.from(
      { length: processes },
      () =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, [racer, lockModule, join(dir, 'counter.lock'), join(dir, 'counter'), String(times)], { stdio: 'inherit' });
          child.on('close', (code) => resolve(code ?? -1));
        }),
    ),
  );
}

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('the file store lock', () => {
  it('keeps racing processes apart: 6 processes × 25 locked increments end at exactly 150', async () => {
    const dir = tmpProject();
    expect(await race(dir, 6, 25)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(readFileSync(join(dir, 'counter'), 'utf8')).toBe('150');
    expect(readdirSync(dir).sort()).toEqual(['counter']);
  });

  it('takes over the lock of a process that died, at once', async () => {
    const dir = tmpProject();
    const lock = join(dir, 'store.lock');
    writeFileSync(lock, JSON.stringify({ pid: await deadPid(), host: hostname(), at: Date.now() }));
    const started = Date.now();
    expect(await withFileLock(lock, () => 'mine', 5000)).toBe('mine');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(existsSync(lock)).toBe(false);
  });

  it('never takes over the lock of a live process, however old, nor a fresh lock it cannot read', async () => {
    const dir = tmpProject();
    const lock = join(dir, 'store.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() - 3_600_000 }));
    utimesSync(lock, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await expect(withFileLock(lock, () => 'stolen', 300)).rejects.toThrow(new RegExp(`locked by process ${process.pid} on ${hostname()}`));
    writeFileSync(lock, '');
    await expect(withFileLock(lock, () => 'stolen', 300)).rejects.toThrow(/locked by another flagops process/);
    // A lock from another machine (a shared volume) cannot be checked from here: it is waited for.
    writeFileSync(lock, JSON.stringify({ pid: await deadPid(), host: 'another-host', at: Date.now() }));
    await expect(withFileLock(lock, () => 'stolen', 300)).rejects.toThrow(/on another-host/);
    expect(existsSync(lock)).toBe(true);
  });

  it('records every one of 13 concurrent kills on the file store, each at its own revision', async () => {
    const keys = Array.from({ length: 13 }, (_, i) => `f${i}`);
    const repo = new GitRepo(Object.fromEntries(keys.map((key) => [`flags/${key}.yaml`, flagFile()])));
    repo.commit();
    const synced = await flagopsAsync(['sync', '--env', 'production'], repo.root);
    expect(synced.code, synced.stderr).toBe(0);
    const results = await Promise.all(keys.map((key) => flagopsAsync(['kill', key, '--env', 'production', '--reason', 'race', '--format', 'json'], repo.root)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const revisions = results.map((r) => JSON.parse(r.stdout).revision as number).sort((a, b) => a - b);
    expect(revisions).toEqual(keys.map((_, i) => i + 2));
    const store = JSON.parse(readFileSync(join(repo.root, '.flagops/store/production.json'), 'utf8'));
    expect(Object.keys(store.overrides).sort()).toEqual([...keys].sort());
    expect(store.meta.revision).toBe(14);
    expect(cliPath).toBeTruthy();
  });

  it('cleans up what a killed writer left (its temporary file) on the next write', async () => {
    const repo = new GitRepo({ 'flags/f0.yaml': flagFile() });
    repo.commit();
    expect((await flagopsAsync(['sync', '--env', 'production'], repo.root)).code).toBe(0);
    const store = join(repo.root, '.flagops/store');
    const leftover = join(store, `production.json.${await deadPid()}.tmp`);
    writeFileSync(leftover, '{"half": ');
    expect((await flagopsAsync(['kill', 'f0', '--env', 'production', '--reason', 'x'], repo.root)).code).toBe(0);
    expect(readdirSync(store).sort()).toEqual(['production.json']);
  });
});
