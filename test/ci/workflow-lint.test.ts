import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

const lint = (root: string) => {
  const r = spawnSync(process.execPath, [`${repoRoot}.ci/lint-workflows.mjs`, root], { encoding: 'utf8', cwd: root });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

const good = `name: ok
on: pull_request
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8
      - uses: ./
        with:
          command: check
`;

describe('the workflow lint (.ci/lint-workflows.mjs)', () => {
  it('passes this repository\'s workflows and action.yml', () => {
    const result = lint(repoRoot);
    expect(result.out).toContain('workflow lint: 5 workflows and action.yml clean');
    expect(result.code).toBe(0);
  });

  it('finds unpinned actions, pull_request_target, missing permissions, unknown jobs and schema errors, with lines', () => {
    const root = tmpProject({
      '.github/workflows/good.yml': good,
      '.github/workflows/bad.yml': `name: bad
on: [pull_request_target]
jobs:
  build:
    runs-on: ubuntu-latest
    needs: setup
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.sha }"
  test:
    runs-on: ubuntu-latest
    stpes: []
`,
      '.github/workflows/dispatch.yml': `name: dispatch
on: [push, workflow_dispatch]
permissions:
  contents: read
jobs:
  sync:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - uses: ./
        with:
          redis-url: \${{ secrets.FLAGOPS_REDIS_URL }}
`,
      '.github/workflows/release.yml': `name: release
on:
  push:
    branches: [main]
permissions:
  contents: read
  id-token: write
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish --access public
      - run: git tag -f v1 && git push --force origin refs/tags/v1
`,
      'action.yml': 'name: x\ndescription: y\nruns:\n  using: node20\n  main: dist/missing.js\n',
    });
    const result = lint(root);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/bad\.yml:2: pull_request_target runs untrusted code/);
    expect(result.out).toMatch(/bad\.yml:1: no top-level permissions/);
    expect(result.out).toMatch(/bad\.yml:6: job "build" needs "setup", which is not a job here/);
    expect(result.out).toMatch(/bad\.yml:8: "actions\/checkout@v4" is not pinned to a full commit SHA/);
    expect(result.out).toMatch(/bad\.yml:9: unbalanced \$\{\{ \}\} expression/);
    expect(result.out).toMatch(/bad\.yml:\d+: schema: /);
    expect(result.out).toMatch(/action\.yml:4: runs\.using is node20; GitHub runs JavaScript actions on node24/);
    expect(result.out).toMatch(/action\.yml:5: runs\.main "dist\/missing\.js" does not exist/);
    expect(result.out).toMatch(/dispatch\.yml:7: job "sync" reads secrets and can be started from any branch/);
    expect(result.out).toMatch(/release\.yml:\d+: id-token: write for the whole workflow/);
    expect(result.out).toMatch(/release\.yml:12: npm publish without --provenance/);
    expect(result.out).toMatch(/release\.yml:12: npm publish in job "publish", which has no id-token: write/);
    expect(result.out).toMatch(/release\.yml:13: moves a tag in a workflow that does not run on tag pushes only/);
    expect(result.out).toMatch(/release\.yml:13: moves a tag that is not the major of the pushed tag/);
    expect(result.out).not.toContain('good.yml');
  });
});

describe('the release guard (.ci/release-check.mjs)', () => {
  it('passes the tag that names both packages\' version, and refuses any other', () => {
    const version = (JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { version: string }).version;
    const check = (tag: string) => spawnSync(process.execPath, [`${repoRoot}.ci/release-check.mjs`, tag], { encoding: 'utf8' });
    expect(check(`v${version}`).status).toBe(0);
    const wrong = check('v99.0.0');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`flagops is ${version}, not 99.0.0; @flagops/sdk is ${version}, not 99.0.0.`);
    expect(check('latest').stderr).toContain('"latest" is not a release tag');
  });
});
