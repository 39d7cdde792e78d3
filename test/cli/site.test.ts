import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { exampleProject } from '../helpers/example-project.js';
import { GitRepo } from '../helpers/git-repo.js';
import { tmpProject, writeFile } from '../helpers/tmp.js';

const NOW = ['--now', '2026-11-27'];
const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
/** Every URL a page would load (scripts, styles, images, frames): navigation links are not loads. */
const loads = (page: string) => [...page.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

describe('flagops site', () => {
  const repo = exampleProject();
  repo.git('remote', 'add', 'origin', 'git@github.com:acme/shop.git');
  repo.write({ 'flags/checkout/new-checkout.yaml': read(repo.root, 'flags/checkout/new-checkout.yaml').replace('expires: 2026-12-15', 'expires: 2026-12-18') });
  const head = repo.commit('new-checkout: three more days');

  it('writes an overview, a page per flag, owners and a timeline, with links to the repository at the commit', () => {
    const run = flagops(['site', '--out', 'site', '--format', 'json', ...NOW], repo.root);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ out: 'site', flags: 12, pages: 15, linksTo: 'https://github.com/acme/shop' });
    for (const page of ['index.html', 'owners.html', 'timeline.html', 'assets/site.css', 'assets/overview.js', 'flags/new-checkout.html']) {
      expect(existsSync(join(repo.root, 'site', page)), page).toBe(true);
    }
    const flag = read(repo.root, 'site/flags/new-checkout.html');
    expect(flag).toContain(`href="https://github.com/acme/shop/blob/${head}/examples/shop/src/checkout.ts#L8"`);
    expect(flag).toContain(`href="https://github.com/acme/shop/blob/${head}/flags/checkout/new-checkout.yaml"`);
    // History from git, newest first, each commit linked.
    expect(flag.indexOf('new-checkout: three more days')).toBeGreaterThan(-1);
    expect(flag.indexOf('new-checkout: three more days')).toBeLessThan(flag.indexOf('the example project'));
    expect(flag).toContain(`href="https://github.com/acme/shop/commit/${head}"`);
    // Rules in words, the rollout on a time axis, the specs, the prerequisite, the YAML.
    expect(flag).toContain('enterprise: plan in [&quot;enterprise&quot;] → on');
    expect(flag).toMatch(/<svg class="chart"[^>]*aria-label="Rollout of new-checkout in production: 1% from 2026-11-20 09:00Z, 25% from 2026-11-24 09:00Z, 100% from 2026-12-01 09:00Z"/);
    expect(flag).toContain('testers always get the one-page checkout');
    expect(flag).toContain('href="../flags/payments-enabled.html"');
    expect(flag).toContain('requires: [payments-enabled]');
    expect(read(repo.root, 'site/flags/payments-enabled.html')).toContain('Required by: <a class="key" href="../flags/new-checkout.html">new-checkout</a>');
    expect(read(repo.root, 'site/flags/beta-reports.html')).toContain('beta-customers');
    expect(read(repo.root, 'site/timeline.html')).toContain('2026-12-18 (in 21 days)');
    expect(read(repo.root, 'site/owners.html')).toContain('id="owner-acme-payments"');
  });

  it('makes no request to another host: a Content-Security-Policy on every page, only its own files loaded', () => {
    flagops(['site', '--out', 'site', ...NOW], repo.root);
    for (const page of ['index.html', 'owners.html', 'timeline.html', 'flags/new-checkout.html']) {
      const text = read(repo.root, `site/${page}`);
      const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(text)?.[1]?.replace(/&#39;/g, '\'');
      expect(policy).toBe('default-src \'none\'; script-src \'self\'; style-src \'self\'; img-src \'self\' data:; base-uri \'none\'; form-action \'none\'');
      expect(loads(text).every((url) => !/^[a-z]+:/i.test(url) && !url.startsWith('//')), `${page}: ${loads(text).join(', ')}`).toBe(true);
      expect(text).not.toMatch(/ style="/);
    }
  });

  it('links the lines of a project that sits in a folder of the repository, and GitHub Actions variables win over the remote', () => {
    const mono = exampleProject('services/shop');
    mono.git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/mono.git');
    const sha = mono.git('rev-parse', 'HEAD');
    const cwd = join(mono.root, 'services/shop');
    flagops(['site', '--out', 'site', ...NOW], cwd);
    expect(read(cwd, 'site/flags/new-checkout.html')).toContain(`href="https://gitlab.example.com/acme/mono/-/blob/${sha}/services/shop/examples/shop/src/checkout.ts#L8"`);
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/mono', GITHUB_SHA: 'a'.repeat(40) };
    flagops(['site', '--out', 'site', ...NOW], cwd, { env });
    expect(read(cwd, 'site/flags/new-checkout.html')).toContain(`href="https://github.com/acme/mono/blob/${'a'.repeat(40)}/services/shop/examples/shop/src/checkout.ts#L8"`);
  });

  it('never shows the credentials of a remote URL', () => {
    const secret = new GitRepo({ 'flags/a.yaml': 'description: A.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-01\nenvironments:\n  staging: { enabled: true, serve: on }\n' });
    secret.write({ 'flagops.config.yaml': 'environments:\n  staging: {}\nscan:\n  include: []\n' }).commit();
    secret.git('remote', 'add', 'origin', 'https://x-access-token:ghs_s3cr3tT0ken@github.com/acme/private.git');
    const run = flagops(['site', '--out', 'site', ...NOW], secret.root);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('References link to https://github.com/acme/private at');
    const everything = `${run.stdout}${run.stderr}${read(secret.root, 'site/index.html')}${read(secret.root, 'site/flags/a.html')}`;
    expect(everything).not.toContain('s3cr3t');
    expect(everything).not.toContain('x-access-token');
  });

  it('escapes what flag files say, shows invalid files and keys only code knows', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  staging: {}\nscan:\n  include: ["src/**"]\n',
      'flags/evil.yaml':
        'description: "</script><script>alert(1)</script> <img src=x onerror=alert(2)>"\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-01\nenvironments:\n'
        + '  staging:\n    enabled: true\n    rules: [{ users: ["<b>u-1</b>"], serve: on }]\n    serve: off\n',
      'flags/broken.yaml': 'description: Broken.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-01\nenvironments:\n  staging: { enabled: yes-please }\n',
      'src/app.ts': 'declare const flags: { isEnabled(key: string): boolean };\nflags.isEnabled(\'evil\');\nflags.isEnabled(\'nobody-defines-me\');\n',
    });
    const run = flagops(['site', '--out', 'out', ...NOW], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Built the flag site for 2 flags \(.*1 orphaned key, 1 invalid\)/);
    const index = read(root, 'out/index.html');
    expect(index).not.toContain('<script>alert(1)');
    expect(index).toContain('\\u003c/script>\\u003cscript>alert(1)');
    const page = read(root, 'out/flags/evil.html');
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('users &lt;b&gt;u-1&lt;/b&gt; → on');
    expect(page).not.toContain('<b>u-1');
    expect(read(root, 'out/flags/broken.html')).toContain('invalid file');
    expect(read(root, 'out/orphaned/nobody-defines-me.html')).toContain('src/app.ts:3');
  });

  it('replaces a site it built, refuses a folder that holds anything else, and leaves that folder as it was', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  staging: {}\nscan:\n  include: []\n',
      'flags/a.yaml': 'description: A.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-01\nenvironments:\n  staging: { enabled: true, serve: on }\n',
      'flags/b.yaml': 'description: B.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-01\nenvironments:\n  staging: { enabled: true, serve: on }\n',
      'docs/readme.md': 'mine',
    });
    expect(flagops(['site', '--out', 'public', ...NOW], root).code).toBe(0);
    expect(existsSync(join(root, 'public/flags/b.html'))).toBe(true);
    rmSync(join(root, 'flags/b.yaml'));
    expect(flagops(['site', '--out', 'public', ...NOW], root).code).toBe(0);
    expect(existsSync(join(root, 'public/flags/b.html')), 'a removed flag keeps no page').toBe(false);
    const refused = flagops(['site', '--out', 'docs', ...NOW], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('docs is not empty and was not built by flagops site: its files are left as they are.');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(read(root, 'docs/readme.md')).toBe('mine');
    expect(existsSync(join(root, 'docs/index.html'))).toBe(false);
    const bad = flagops(['site', '--format', 'xml'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown format "xml"');
  });

  it('says what is wrong when there is no flags folder', () => {
    const root = tmpProject({ 'flagops.config.yaml': 'environments:\n  staging: {}\n' });
    const run = flagops(['site', ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No flags folder at');
    // No code where scan.include points: an error, as in check, not a site where every flag is unused.
    writeFile(root, 'flags/a.yaml', 'description: A.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-01\nenvironments:\n  staging: { enabled: true, serve: on }\n');
    const noCode = flagops(['site', ...NOW], root);
    expect(noCode.code).toBe(2);
    expect(noCode.stderr).toContain('there is nothing to scan');
    expect(existsSync(join(root, '.flagops/site'))).toBe(false);
  });
});
