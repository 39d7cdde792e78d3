import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formsProject, NOW, snapshot } from '../helpers/cleanup-project.js';
import { cliPath, flagops, flagopsJson } from '../helpers/cli.js';
import { until } from '../helpers/wait.js';

/** The forms project, with a check that runs until it is stopped: a cleanup caught between its edits and its check. */
function slowCheckProject(): string {
  const root = formsProject();
  const config = join(root, 'flagops.config.yaml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}cleanup:\n  check: node -e "setTimeout(() => {}, 120000)"\n`);
  return root;
}

const journal = (root: string) => join(root, '.flagops/cleanup/journal.json');

/** Starts a cleanup of new-checkout and waits until its edits are written and its check runs. */
async function cleanupInCheck(root: string) {
  const child = spawn(process.execPath, [cliPath, 'cleanup', 'new-checkout', ...NOW], { cwd: root, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await until(() => existsSync(journal(root)) && !existsSync(join(root, 'flags/new-checkout.yaml')), 20_000);
  return { child, exited, stderr: () => stderr };
}

describe('flagops cleanup is whole or nothing when interrupted', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('puts every file back at once on %s during the check, and says so', async (signal, code) => {
    const root = slowCheckProject();
    const before = snapshot(root);
    const run = await cleanupInCheck(root);
    expect(snapshot(root)).not.toEqual(before);
    run.child.kill(signal);
    expect(await run.exited).toBe(code);
    expect(run.stderr()).toContain(`flagops cleanup stopped by ${signal}: every file is as it was`);
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(journal(root))).toBe(false);
  });

  it('after a SIGKILL, the next cleanup (or --restore) puts every file back first and says so', async () => {
    const root = slowCheckProject();
    const before = snapshot(root);
    const run = await cleanupInCheck(root);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(existsSync(journal(root))).toBe(true);
    const restored = flagops(['cleanup', '--restore'], root);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^An earlier flagops cleanup \(started .+\) was interrupted before it finished: its \d+ edited files are back as they were\.\n$/);
    expect(snapshot(root)).toEqual(before);
    expect(flagops(['cleanup', '--restore'], root).stdout).toBe('No interrupted flagops cleanup to put back.\n');

    // Killed again, then a plain cleanup: it restores, then cleans up from the files as they were.
    const again = await cleanupInCheck(root);
    again.child.kill('SIGKILL');
    await again.exited;
    const plain = flagopsJson(['cleanup', 'new-checkout', '--no-check', ...NOW], root);
    expect(plain.code).toBe(0);
    expect((plain.json as unknown as { recovered: string }).recovered).toMatch(/was interrupted before it finished/);
    expect(existsSync(join(root, 'flags/new-checkout.yaml'))).toBe(false);
    expect(existsSync(journal(root))).toBe(false);
  });

  it('refuses while another cleanup is running in this project', () => {
    const root = formsProject();
    execFileSync('mkdir', ['-p', join(root, '.flagops/cleanup')]);
    writeFileSync(journal(root), JSON.stringify({ version: 1, command: 'flagops cleanup', pid: process.pid, started: '2026-12-10T09:00:00.000Z', files: [] }));
    const refused = flagops(['cleanup', 'new-checkout', ...NOW], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Another flagops cleanup (process ${process.pid}, started 2026-12-10T09:00:00.000Z) is editing this project.`);
  });

  it('keeps file modes, when it edits and when it puts a file back', () => {
    const root = formsProject();
    const config = join(root, 'flagops.config.yaml');
    const plain = readFileSync(config, 'utf8');
    chmodSync(join(root, 'src/consts.ts'), 0o600);
    chmodSync(join(root, 'flags/new-checkout.yaml'), 0o640);
    // A check that fails: every file is put back.
    writeFileSync(config, `${plain}cleanup:\n  check: node -e "process.exit(1)"\n`);
    const failed = flagops(['cleanup', 'new-checkout', ...NOW], root);
    expect(failed.code).toBe(1);
    expect(statSync(join(root, 'src/consts.ts')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'flags/new-checkout.yaml')).mode & 0o777).toBe(0o640);
    writeFileSync(config, `${plain}cleanup:\n  check: node -e "process.exit(0)"\n`);
    expect(flagops(['cleanup', 'new-checkout', ...NOW], root).code).toBe(0);
    expect(readFileSync(join(root, 'src/consts.ts'), 'utf8')).not.toContain('new-checkout');
    expect(statSync(join(root, 'src/consts.ts')).mode & 0o777).toBe(0o600);
  });
});

describe('flagops cleanup on a dirty tree', () => {
  it('refuses to edit files with uncommitted changes, unless --allow-dirty', () => {
    const root = formsProject();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=ci@example.test', '-c', 'user.name=CI', 'add', '-A');
    git('-c', 'user.email=ci@example.test', '-c', 'user.name=CI', 'commit', '-q', '-m', 'start');
    // Uncommitted work in a file cleanup does not touch does not matter.
    writeFileSync(join(root, 'src/extra.ts'), 'export const extra = 1;\n');
    writeFileSync(join(root, 'src/consts.ts'), `${readFileSync(join(root, 'src/consts.ts'), 'utf8')}// work in progress\n`);
    const before = snapshot(root);
    const refused = flagops(['cleanup', 'new-checkout', ...NOW], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('flagops cleanup would edit files with uncommitted changes: src/consts.ts');
    expect(refused.stderr).not.toContain('src/extra.ts');
    expect(refused.stderr).toContain('--allow-dirty');
    expect(snapshot(root)).toEqual(before);
    expect(flagops(['cleanup', 'new-checkout', '--dry-run', ...NOW], root).code).toBe(0);
    const allowed = flagops(['cleanup', 'new-checkout', '--allow-dirty', '--no-check', ...NOW], root);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(readFileSync(join(root, 'src/consts.ts'), 'utf8')).toContain('// work in progress');
  });
});
