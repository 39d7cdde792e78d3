import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupWorkflow, guardWorkflow, pullRequestWorkflow, siteWorkflow, syncWorkflow } from '../../src/cli/flows/init-workflows.js';
import { flagops, repoRoot } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { tmpProject } from '../helpers/tmp.js';

const env = { FLAGOPS_NOW: '2026-11-27' };
const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');

describe('flagops init', () => {
  it('sets up a repository that passes check and syncs, and changes nothing the second time', () => {
    const repo = new GitRepo({ '.gitignore': 'node_modules/', 'src/app.ts': 'export const x = 1;\n' });
    const first = flagops(['init', '--env', 'qa,production'], repo.root, { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('\n').slice(0, 10)).toEqual([
      'Created flagops.config.yaml (environments: qa, production)',
      'Created flags/example/welcome-banner.yaml',
      'Added   .gitignore (.flagops/, _site/)',
      'Created .github/workflows/flags-pr.yml',
      'Created .github/workflows/flags-sync.yml',
      'Created .github/workflows/flags-cleanup.yml',
      'Created .github/workflows/flags-guard.yml',
      'Created .github/workflows/flags-site.yml',
      'Created .github/CODEOWNERS (an example: set your teams)',
      'Created .vscode/settings.json (schemas for flag and segment files and the configuration)',
    ]);
    // node_modules/ was ignored already: only what is missing is added.
    expect(read(repo.root, '.gitignore')).toBe(
      'node_modules/\n# flagops: the embedded file store (flagops sync without Redis), the site it builds locally, cleanup\'s journal\n.flagops/\n' +
      '# flagops site --out _site, as the site workflow builds it\n_site/\n',
    );
    expect(read(repo.root, 'flags/example/welcome-banner.yaml')).toContain('owner: ci@example.test\ntype: release\ncreated: 2026-11-27\nexpires: 2027-01-06\nenvironments:\n  qa:\n    enabled: false\n  production:\n    enabled: false\n');
    expect(read(repo.root, '.github/workflows/flags-sync.yml')).toMatch(/ {2}production:\n {4}needs: qa\n {4}if: github\.ref == 'refs\/heads\/main'/);
    // Guarded rollouts: one job per environment, behind its GitHub environment, allowed to open issues and nothing else.
    const guard = read(repo.root, '.github/workflows/flags-guard.yml');
    expect(guard).toMatch(/cron: "\*\/5 \* \* \* \*"/);
    expect(guard).toMatch(/ {2}production:\n {4}if: github\.ref == 'refs\/heads\/main'\n {4}runs-on: ubuntu-latest\n {4}timeout-minutes: 5\n {4}environment: production\n {4}permissions:\n {6}contents: read\n {6}issues: write\n/);
    expect(guard).toContain('command: guard\n          env: qa\n          redis-url: ${{ secrets.FLAGOPS_REDIS_URL }}\n        env:\n          FLAGOPS_METRICS_URL: ${{ secrets.FLAGOPS_METRICS_URL }}');
    expect(JSON.parse(read(repo.root, '.vscode/settings.json'))['yaml.schemas']).toEqual({
      'https://unpkg.com/flagops/schema/flag.schema.json': ['flags/**/*.yaml', 'flags/**/*.yml'],
      'https://unpkg.com/flagops/schema/config.schema.json': ['flagops.config.yaml', 'flagops.config.yml'],
      'https://unpkg.com/flagops/schema/segment.schema.json': ['segments/**/*.yaml', 'segments/**/*.yml'],
    });
    const before = repo.git('status', '--porcelain');
    const second = flagops(['init'], repo.root, { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to do: flagops is set up here.');
    expect(second.stdout).not.toMatch(/^Created|^Added/m);
    expect(repo.git('status', '--porcelain')).toBe(before);

    repo.commit('flagops init');
    expect(flagops(['check'], repo.root, { env }).code).toBe(0);
    expect(flagops(['sync', '--all-envs'], repo.root, { env }).stdout).toMatch(/Synced: 1 added/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('keeps what is there: a configuration of another name, flag files, a settings file', () => {
    const repo = new GitRepo({ 'flagops.config.yml': 'environments:\n  live: {}\n', 'flags/a.yaml': 'x: 1\n', '.vscode/settings.json': '{}\n' });
    const result = flagops(['init', '--yes', '--format', 'json'], repo.root, { env });
    const files = (JSON.parse(result.stdout) as { files: Array<{ path: string; status: string }> }).files;
    expect(Object.fromEntries(files.map((f) => [f.path, f.status]))).toMatchObject({ 'flagops.config.yml': 'kept', 'flags/': 'kept', '.vscode/settings.json': 'kept' });
    expect(read(repo.root, '.vscode/settings.json')).toBe('{}\n');
    expect(flagops(['init', '--env', 'Prod!'], repo.root).stderr).toContain('"Prod!" is not an environment name');
  });

  it('writes the workflows this repository runs itself, with the Action by its version tag', () => {
    const options = { environments: ['staging', 'production'], flags: 'flags', tests: 'flag-tests', config: 'flagops.config.yaml' };
    const own = { ...options, action: './ # in your repository: <owner>/flagops@<full commit sha>' };
    expect(pullRequestWorkflow(own)).toBe(read(repoRoot, '.github/workflows/flags-pr.yml'));
    expect(syncWorkflow(own)).toBe(read(repoRoot, '.github/workflows/flags-sync.yml'));
    expect(siteWorkflow(own)).toBe(read(repoRoot, '.github/workflows/flags-site.yml'));
    // The cleanup and guard workflows are not run here (one would remove the example flags, the other
    // needs a metrics source): they pass the workflow lint.
    const root = tmpProject({ '.github/workflows/flags-cleanup.yml': cleanupWorkflow(own), '.github/workflows/flags-guard.yml': guardWorkflow(own) });
    const lint = spawnSync(process.execPath, [`${repoRoot}.ci/lint-workflows.mjs`, root], { encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`).toContain('workflow lint: 2 workflows');
    expect(lint.status).toBe(0);
  });
});
