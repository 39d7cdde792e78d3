import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';

const storeOf = (repo: GitRepo, env = 'production') =>
  JSON.parse(readFileSync(join(repo.root, '.flagops', 'store', `${env}.json`), 'utf8'));
const tenFlags = () => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`flags/f${i}.yaml`, flagFile()]));

describe('flagops plan and sync with the file store', () => {
  it('syncs once, then writes nothing for the same commit', async () => {
    const repo = new GitRepo({ 'flags/new-checkout.yaml': flagFile('{ percentage: 25 }') });
    const head = repo.commit();
    const first = flagops(['sync', '--env', 'production'], repo.root);
    expect(first.stdout).toBe(`production (file .flagops/store/production.json)
  live:    empty (never synced, or the store lost its data; a sync restores flags, not kill switches)
  desired: commit ${head.slice(0, 12)}
  + new-checkout  new flag: serves 25% on
  Synced: 1 added, 0 changed, 0 removed, 0 unchanged → revision 1.
`);
    expect(first.code).toBe(0);
    const store = storeOf(repo);
    expect(store.meta).toMatchObject({ revision: 1, commit: head, format: 1 });
    expect(store.flags['new-checkout']).toMatchObject({ enabled: true, serve: { percentage: 25, variant: 'on', stickiness: 'userId' } });

    const again = flagops(['sync', '--env', 'production'], repo.root);
    expect(again.stdout).toMatch(/Up to date: nothing written \(1 flags, revision 1\)\./);
    expect(again.code).toBe(0);
    expect(storeOf(repo)).toEqual(store);
  });

  it('plans and writes only the flags that changed, in plain words', () => {
    const repo = new GitRepo({ ...tenFlags(), 'flags/rollout.yaml': flagFile('{ percentage: 5 }') });
    repo.commit();
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
    repo.write({ 'flags/rollout.yaml': flagFile('{ percentage: 25 }') }).commit('grow rollout');

    const plan = flagops(['plan', '--env', 'production', '--format', 'json'], repo.root);
    const [environment] = JSON.parse(plan.stdout).environments;
    expect(environment.changes).toEqual([{ key: 'rollout', kind: 'changed', details: ['everyone else: 5% on → 25% on'] }]);
    expect(environment.summary).toEqual({ added: 0, changed: 1, removed: 0, unchanged: 10 });
    expect(storeOf(repo).meta.revision).toBe(1);

    expect(flagops(['sync', '--env', 'production'], repo.root).stdout).toMatch(/Synced: 0 added, 1 changed, 0 removed, 10 unchanged → revision 2/);
    expect(storeOf(repo).audit.at(-1)).toMatchObject({ kind: 'sync', added: [], changed: ['rollout'], removed: [], actor: 'ci@example.test' });
  });

  it('refuses to go back to an older commit, unless forced', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile('off') });
    const old = repo.commit();
    repo.write({ 'flags/a.yaml': flagFile('on') });
    const newer = repo.commit();
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
    repo.git('checkout', '-q', old);

    const refused = flagops(['sync', '--env', 'production'], repo.root);
    expect(refused.stdout).toContain(
      `Refused: the live flags come from commit ${newer.slice(0, 12)}, which is not an ancestor of ${old.slice(0, 12)}: syncing would roll production back or sideways.`,
    );
    expect(refused.code).toBe(1);
    expect(storeOf(repo).meta.commit).toBe(newer);

    const forced = flagops(['sync', '--env', 'production', '--force'], repo.root);
    expect(forced.code).toBe(0);
    expect(storeOf(repo).meta.commit).toBe(old);
  });

  it('refuses to sync a commit it cannot place in history', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
    const store = storeOf(repo);
    store.meta.commit = 'f'.repeat(40);
    writeFileSync(join(repo.root, '.flagops/store/production.json'), JSON.stringify(store));
    const refused = flagops(['sync', '--env', 'production'], repo.root);
    expect(refused.stdout).toMatch(/not in this checkout's history/);
    expect(refused.stdout).toMatch(/fetch-depth: 0/);
    expect(refused.code).toBe(1);
  });

  it('refuses to empty an environment or remove more than a quarter of it without --allow-delete', () => {
    const repo = new GitRepo(tenFlags());
    repo.commit();
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);

    repo.remove('flags/f0.yaml', 'flags/f1.yaml', 'flags/f2.yaml').commit('remove three');
    const three = flagops(['sync', '--env', 'production'], repo.root);
    expect(three.stdout).toMatch(/Refused: this sync would remove 3 of 10 flags \(30%\) from production, more than 25%\./);
    expect(three.code).toBe(1);

    repo.remove('flags').write({ 'flags/.gitkeep': '' }).commit('empty');
    const all = flagops(['sync', '--env', 'production'], repo.root);
    expect(all.stdout).toMatch(/Refused: this sync would remove all 10 flags from production\./);
    expect(all.stdout).toMatch(/--allow-delete/);
    expect(Object.keys(storeOf(repo).flags)).toHaveLength(10);

    const allowed = flagops(['sync', '--env', 'production', '--allow-delete'], repo.root);
    expect(allowed.code).toBe(0);
    expect(storeOf(repo).flags).toEqual({});
  });

  it('stops on invalid flags and leaves the store as it was', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    flagops(['sync', '--env', 'production'], repo.root);
    const before = readFileSync(join(repo.root, '.flagops/store/production.json'), 'utf8');
    repo.write({ 'flags/a.yaml': flagFile('{ percentage: 120 }') }).commit('broken');
    const result = flagops(['sync', '--env', 'production'], repo.root);
    expect(result.stdout).toMatch(/^flags\/a\.yaml:6:50 error out-of-range/);
    expect(result.stderr).toBe('flagops: sync stopped: fix the 2 errors above first.\n');
    expect(result.code).toBe(1);
    expect(readFileSync(join(repo.root, '.flagops/store/production.json'), 'utf8')).toBe(before);
  });

  it('notices flags changed outside flagops and puts them back', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    flagops(['sync', '--env', 'production'], repo.root);
    const store = storeOf(repo);
    store.flags.a.enabled = false;
    writeFileSync(join(repo.root, '.flagops/store/production.json'), JSON.stringify(store));

    const plan = flagops(['plan', '--env', 'production'], repo.root);
    expect(plan.stdout).toContain('drift:   the live flags were changed outside flagops; a sync restores them');
    expect(plan.stdout).toContain('~ a  turned on: serves on');
    flagops(['sync', '--env', 'production'], repo.root);
    expect(storeOf(repo).flags.a.enabled).toBe(true);
  });

  it('syncs every environment with --all-envs, each to its own store', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    const result = flagops(['sync', '--all-envs', '--format', 'json'], repo.root);
    const environments: Array<{ environment: string; status: string }> = JSON.parse(result.stdout).environments;
    expect(environments.map((e) => [e.environment, e.status])).toEqual([
      ['staging', 'applied'],
      ['production', 'applied'],
    ]);
    expect(storeOf(repo, 'staging').meta.revision).toBe(1);
  });

  it('lets one of two racing syncs write and tells the other it is up to date', async () => {
    const repo = new GitRepo(tenFlags());
    repo.commit();
    const { spawn } = await import('node:child_process');
    const { cliPath } = await import('../helpers/cli.js');
    const runOne = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [cliPath, 'sync', '--env', 'production', '--format', 'json'], { cwd: repo.root });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.on('close', (code) => resolve({ code, out }));
      });
    const results = await Promise.all([runOne(), runOne()]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const statuses = results.map((r) => JSON.parse(r.out).environments[0].status).sort();
    expect(statuses).toEqual(['applied', 'up-to-date']);
    expect(storeOf(repo).meta.revision).toBe(1);
  });

  it('asks which environment when none is given', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    expect(flagops(['sync'], repo.root)).toMatchObject({
      code: 2,
      stderr: 'flagops: Say which environment: --env <name> or --all-envs.\nEnvironments: staging, production.\nRun "flagops sync --help".\n',
    });
    expect(flagops(['plan', '--env', 'prod'], repo.root)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown environment "prod"/) });
  });
});

describe('a sync from a working tree that differs from its commit', () => {
  it('is refused, named file by file, unless --allow-dirty, which the audit records', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile(), 'flags/b.yaml': flagFile() });
    const head = repo.commit();
    repo.write({ 'flags/a.yaml': flagFile('off'), 'flags/new.yaml': flagFile() });
    const refused = flagops(['sync', '--env', 'production'], repo.root);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `Refused: 2 flag files differ from commit ${head.slice(0, 12)} (flags/a.yaml, flags/new.yaml): the store would record a commit that does not hold what it serves.`,
    );
    expect(refused.stdout).toContain('hint: Commit the change first (CI syncs from the merged commit), or pass --allow-dirty');
    expect(flagops(['plan', '--env', 'production'], repo.root).stdout).toMatch(/sync would refuse: 2 flag files differ/);

    const allowed = flagops(['sync', '--env', 'production', '--allow-dirty'], repo.root);
    expect(allowed.code, allowed.stdout).toBe(0);
    const store = JSON.parse(readFileSync(join(repo.root, '.flagops/store/production.json'), 'utf8'));
    expect(store.audit.at(-1)).toMatchObject({ kind: 'sync', commit: head, dirty: ['flags/a.yaml', 'flags/new.yaml'] });
    // A change outside the flags (a README) is not a reason to refuse.
    repo.commit();
    repo.write({ 'README.md': 'notes\n' });
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
  });
});
