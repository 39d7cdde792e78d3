import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

const bundle = `${repoRoot}dist/action/index.js`;
const CANARY = 'canary-Act10n-pa55';
let secured: RedisServer;

beforeAll(async () => {
  secured = await startRedis(['--requirepass', CANARY]);
});
afterAll(async () => {
  await secured?.stop();
});

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

/** Runs dist/action/index.js as the runner does: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
function runAction(repo: GitRepo, inputs: Record<string, string>, extraEnv: Record<string, string> = {}, entry = bundle): ActionRun {
  const summaryFile = join(repo.root, '.summary.md');
  const outputFile = join(repo.root, '.outputs');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: repo.root,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_ACTIONS: 'true',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...extraEnv,
  };
  const result = spawnSync(process.execPath, [entry], { cwd: repo.root, env, encoding: 'utf8', timeout: 60_000 });
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(outputFile, 'utf8').matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, summary: readFileSync(summaryFile, 'utf8'), outputs };
}

const expiredRelease = `description: Old banner.
owner: "@acme/web"
type: release
created: 2026-01-01
expires: 2026-02-01
environments:
  production: { enabled: true, serve: on }
`;

function project() {
  const repo = new GitRepo({
    'flags/checkout.yaml': flagFile('{ percentage: 10 }'),
    'flags/banner.yaml': expiredRelease,
    'src/app.ts': `declare const flags: { isEnabled(k: string): boolean };\nexport const a = flags.isEnabled('banner');\nexport const b = flags.isEnabled('checkuot');\nexport const c = flags.isEnabled('checkout');\n`,
    'flagops.config.yaml': 'scan:\n  include: ["src/**/*.ts"]\n',
  });
  repo.commit('base');
  return repo;
}

describe('the bundled GitHub Action', () => {
  it('check: annotations on the exact source lines, outputs, a job summary and a failure message', () => {
    const repo = project();
    const run = runAction(repo, { command: 'check', 'sarif-file': 'flagops.sarif' });
    expect(run.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(repo.root, 'flagops.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('orphaned-reference');
    expect(run.outputs['sarif-file']).toBe(join(repo.root, 'flagops.sarif'));
    expect(run.stdout).toMatch(/^::error file=src\/app\.ts,line=2,col=34,endLine=2,endColumn=42,title=flagops expired-flag-referenced::/m);
    expect(run.stdout).toMatch(/^::error file=src\/app\.ts,line=3,col=34,[^:]*title=flagops orphaned-reference::.*Did you mean "checkout"\?/m);
    expect(run.stdout).toMatch(/^::error::flagops check found 2 errors and \d+ warnings?; see the annotations and the job summary\.$/m);
    expect(run.outputs.errors).toBe('2');
    expect(run.summary).toContain('### flagops check');
    expect(run.summary).toContain('`src/app.ts:3:34`');
    expect(run.summary).toContain('#### Flag health\n\n| Owner | Flags | Expired | Expiring within 14 days | Unused | Stale |\n|---|---|---|---|---|---|\n| @acme/web | 2 | 🔴 1 | 0 | 0 | 0 |\n');
    expect(run.summary).toContain('#### Flags expiring soon');
    expect(run.summary).toMatch(/\| `banner` \| expired \|/);

    repo.write({ 'src/app.ts': `declare const flags: { isEnabled(k: string): boolean };\nexport const c = flags.isEnabled('checkout');\n` });
    repo.remove('flags/banner.yaml');
    const clean = runAction(repo, { command: 'check' });
    expect(clean.code).toBe(0);
    expect(clean.outputs.errors).toBe('0');
    expect(clean.summary).toContain('✅');
  });

  it('check: an expired flag read in Python is annotated at its line, with the grammar the bundle carries', () => {
    const repo = new GitRepo({
      'flags/banner.yaml': expiredRelease,
      'service/app.py': 'def render(client):\n    return client.get_boolean_value("banner", False)\n',
      'flagops.config.yaml': 'scan:\n  include: ["service/**"]\n',
    });
    repo.commit('base');
    // A runner checks the action's repository out without node_modules: run such a copy of it.
    const copy = mkdtempSync(join(tmpdir(), 'flagops-action-copy-'));
    cpSync(dirname(bundle), join(copy, 'dist/action'), { recursive: true });
    cpSync(join(repoRoot, 'package.json'), join(copy, 'package.json'));
    const run = runAction(repo, { command: 'check' }, {}, join(copy, 'dist/action/index.js'));
    rmSync(copy, { recursive: true, force: true });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^::error file=service\/app\.py,line=2,col=37,[^:]*title=flagops expired-flag-referenced::/m);
    expect(run.code).toBe(1);
  });

  it('diff: the pull request base from the event payload, changed flags, risk annotations on YAML lines', () => {
    const repo = project();
    const base = repo.git('rev-parse', 'HEAD');
    repo.write({ 'flags/checkout.yaml': flagFile('{ percentage: 100 }'), 'flags/new-one.yaml': flagFile() });
    repo.commit('head');
    const event = join(repo.root, '.event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base } } }));
    const run = runAction(repo, { command: 'diff' }, { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs['changed-flags']).toBe('checkout,new-one');
    expect(run.stdout).toMatch(/^::warning file=flags\/checkout\.yaml,line=7,col=3,[^:]*title=flagops risk-full-rollout::production: everyone gets it now \(10%25 → 100%25\)/m);
    expect(run.summary).toContain('#### Flag changes in');
    expect(run.summary).toContain(
      '| ~ | `checkout` | **staging**: everyone else: 10% on → 100% on<br>**staging**: 90.0% of users change from off to on (percentage 10% → 100%)<br>' +
      '**production**: everyone else: 10% on → 100% on<br>**production**: 90.0% of users change from off to on (percentage 10% → 100%) | ⚠️ jumps to 100% | 1 code reference in 1 file |',
    );
    const strict = runAction(repo, { command: 'diff', base, 'fail-on': 'warning' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('(fail-on: warning)');
  });

  it('diff: the job summary describes a segment change once, with the flags it changes', () => {
    const repo = project();
    repo.write({
      'segments/beta.yaml': 'description: Beta.\nowner: "@acme/web"\ngroups: [beta]\n',
      'flags/checkout.yaml': flagFile('off').replace(
        '  production: { enabled: true, serve: off }',
        '  production: { enabled: true, rules: [{ name: beta, segments: [beta], serve: on }], serve: off }',
      ),
    });
    const base = repo.commit('segment');
    repo.write({ 'segments/beta.yaml': 'description: Beta.\nowner: "@acme/web"\ngroups: [beta, partners]\n' });
    repo.commit('partners join');
    const run = runAction(repo, { command: 'diff', base });
    expect(run.stderr).toBe('');
    expect(run.summary).toContain('- segment beta: + group partners — changes checkout (production)');
    expect(run.summary).toContain('| ~ | `checkout` | **production**: rule "beta": segment beta changed<br>**production**: no user of 100,000 generated ids changes variant (rules changed) |');
  });

  it('plan and sync to Redis: outputs, summary, and the password nowhere but in the mask commands', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile(), 'flags/b.yaml': flagFile('{ percentage: 30 }') });
    repo.commit();
    const url = `redis://:${CANARY}@127.0.0.1:${secured.port}`;
    const plan = runAction(repo, { command: 'plan', env: 'production', 'redis-url': url });
    expect(plan.code).toBe(0);
    expect(plan.outputs['changed-flags']).toBe('a,b');
    expect(plan.summary).toContain('a');
    const sync = runAction(repo, { command: 'sync', env: 'production', 'redis-url': url });
    expect(sync.code).toBe(0);
    expect(sync.outputs.revision).toBe('1');
    expect(sync.summary).toMatch(/production/);
    const again = runAction(repo, { command: 'sync', 'redis-url': url });
    expect(again.code).toBe(0);
    expect(again.outputs['changed-flags']).toBe('a,b');

    for (const run of [plan, sync, again]) {
      const unmasked = run.stdout.split('\n').filter((line) => line.includes(CANARY) && !line.startsWith('::add-mask::'));
      expect(unmasked).toEqual([]);
      expect(run.stdout).toContain(`::add-mask::${CANARY}`);
      expect(run.stderr).not.toContain(CANARY);
      expect(run.summary).not.toContain(CANARY);
      expect(JSON.stringify(run.outputs)).not.toContain(CANARY);
    }
  });

  it('removes one of three flags only when allow-delete says so, as the workflow init writes passes it from a manual run', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile(), 'flags/b.yaml': flagFile(), 'flags/c.yaml': flagFile(), 'flagops.config.yaml': 'environments:\n  staging: {}\n  production: { prefix: "del:production" }\n' });
    repo.commit();
    const url = `redis://:${CANARY}@127.0.0.1:${secured.port}`;
    const first = runAction(repo, { command: 'sync', env: 'production', 'redis-url': url });
    expect(first.code, first.stdout).toBe(0);
    repo.remove('flags/c.yaml');
    repo.commit('c is done');
    const refused = runAction(repo, { command: 'sync', env: 'production', 'redis-url': url, 'allow-delete': 'false' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/would remove 1 of 3 flags/);
    const allowed = runAction(repo, { command: 'sync', env: 'production', 'redis-url': url, 'allow-delete': 'true' });
    expect(allowed.code, allowed.stdout).toBe(0);
    expect(allowed.outputs['changed-flags']).toBe('c');
    expect(runAction(repo, { command: 'sync', env: 'production', 'redis-url': url, 'allow-delete': 'yes' }).stdout).toContain('Input "allow-delete" must be true or false');
  });

  it('runs no workflow command planted in what it logs: the plan text is shown with commands stopped around it', async () => {
    const staging = 'description: A flag for a test.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-10\nenvironments:\n  staging: { enabled: true, serve: on }\n';
    const repo = new GitRepo({ 'flags/a.yaml': staging, 'flagops.config.yaml': 'environments:\n  staging: { prefix: "inj:staging" }\n' });
    repo.commit();
    const url = `redis://:${CANARY}@127.0.0.1:${secured.port}`;
    const synced = runAction(repo, { command: 'sync', env: 'staging', 'redis-url': url });
    expect(synced.code, synced.stdout).toBe(0);
    // Someone with write access to the store (not to git) plants a reason that would be two commands.
    const admin = new Redis({ port: secured.port, host: '127.0.0.1', password: CANARY });
    const reason = 'oops\n::error title=INJ::injected\n::add-mask::attacker';
    await admin.hset('inj:staging:_overrides', 'a', JSON.stringify({ variant: 'off', reason, actor: 'x', at: '2026-11-27T00:00:00Z' }));
    const plan = runAction(repo, { command: 'plan', env: 'staging', 'redis-url': url });
    expect(plan.code).toBe(0);
    const lines = plan.stdout.split('\n');
    const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    const token = lines[stop]!.slice('::stop-commands::'.length);
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const resume = lines.indexOf(`::${token}::`);
    const planted = lines.findIndex((l) => l.startsWith('::error title=INJ'));
    expect(stop).toBeGreaterThanOrEqual(0);
    expect(planted).toBeGreaterThan(stop);
    expect(resume).toBeGreaterThan(planted);
    expect(lines.filter((l) => l.startsWith('::add-mask::attacker'))).toHaveLength(1);
    expect(lines.findIndex((l) => l.startsWith('::add-mask::attacker'))).toBeLessThan(resume);
    admin.disconnect();
  });

  it('working-directory: a project in a subfolder, annotated with paths from the repository root', () => {
    const repo = new GitRepo({
      'services/web/flagops.config.yaml': 'scan:\n  include: ["src/**/*.ts"]\n',
      'services/web/flags/search.yaml': flagFile('{ percentage: 10 }'),
      'services/web/src/app.ts': `declare const flags: { isEnabled(k: string): boolean };\nexport const a = flags.isEnabled('search');\nexport const b = flags.isEnabled('serch');\n`,
      'README.md': 'other things\n',
    });
    const base = repo.commit('base');
    repo.write({ 'services/web/flags/search.yaml': flagFile('{ percentage: 100 }') });
    repo.commit('head');
    const check = runAction(repo, { command: 'check', 'working-directory': 'services/web' });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^::error file=services\/web\/src\/app\.ts,line=3,col=34,[^:]*title=flagops orphaned-reference::/m);
    const diff = runAction(repo, { command: 'diff', base, 'working-directory': 'services/web' });
    expect(diff.outputs['changed-flags']).toBe('search');
    expect(diff.stdout).toMatch(/^::warning file=services\/web\/flags\/search\.yaml,line=7,col=3,[^:]*title=flagops risk-full-rollout::/m);
    expect(diff.summary).toContain('1 code reference in 1 file');
  });

  it('fails clearly for a store it cannot reach, a refused password and bad inputs', () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    const wrong = runAction(repo, { command: 'sync', env: 'production', 'redis-url': `redis://:wrong-${CANARY}@127.0.0.1:${secured.port}` });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^::error::flagops sync could not run: flagops: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(prefix flagops:production\) refused the credentials/m);
    expect(wrong.stdout.split('\n').filter((l) => l.includes(CANARY) && !l.startsWith('::add-mask::'))).toEqual([]);
    const bad = runAction(repo, { command: 'deploy' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::Input "command" must be one of check, diff, plan, sync, guard, cleanup, site, not "deploy".');
    const noToken = runAction(repo, { command: 'cleanup' });
    expect(noToken.stdout).toContain('::error::The cleanup command needs a token: set the github-token input');
    expect(noToken.code).toBe(1);
    const noBase = runAction(repo, { command: 'diff' });
    expect(noBase.stdout).toContain('::error::The diff command needs a base');
    const env = runAction(repo, { command: 'plan', env: 'prod' });
    expect(env.stdout).toMatch(/::error::flagops plan could not run: flagops: Unknown environment "prod"\./);
  });

  it('site: builds the flag site where upload-pages-artifact takes it, links to the run\'s repository, with the overview script the bundle carries', () => {
    const repo = project();
    const sha = repo.git('rev-parse', 'HEAD');
    const run = runAction(repo, { command: 'site' }, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: sha });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['site-path']).toBe(join(repo.root, '_site'));
    expect(run.outputs.pages).toBe('6');
    expect(run.summary).toContain('Flag site: 2 flags (1 expired, 0 expiring soon, 0 stale, 0 unused, 1 orphaned keys), 6 pages in _site.');
    const page = readFileSync(join(repo.root, '_site/flags/banner.html'), 'utf8');
    expect(page).toContain(`href="https://github.com/acme/shop/blob/${sha}/src/app.ts#L2"`);
    // The overview's script is the bundle's own copy (a runner has only dist/action/).
    expect(readFileSync(join(repo.root, '_site/assets/overview.js'), 'utf8')).toBe(readFileSync(`${repoRoot}dist/action/site-overview.js`, 'utf8'));
    // As a runner has it: the repository's files at the ref (dist/action/, package.json), no node_modules.
    const alone = mkdtempSync(join(tmpdir(), 'flagops-action-alone-'));
    try {
      cpSync(`${repoRoot}dist/action`, join(alone, 'dist/action'), { recursive: true });
      cpSync(`${repoRoot}package.json`, join(alone, 'package.json'));
      const bare = runAction(repo, { command: 'site', out: '_site_alone' }, {}, join(alone, 'dist/action/index.js'));
      expect(bare.code, bare.stdout + bare.stderr).toBe(0);
      expect(readFileSync(join(repo.root, '_site_alone/assets/overview.js'), 'utf8')).toBe(readFileSync(join(alone, 'dist/action/site-overview.js'), 'utf8'));
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
    const refused = runAction(repo, { command: 'site', out: 'src' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('::error::flagops site could not run: flagops: src is not empty and was not built by flagops site');
  });
});
