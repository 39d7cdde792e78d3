import { describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { referencePosition as position } from '../helpers/bucket-reference.js';

const checkout = `description: One-page checkout.
owner: "@acme/payments"
type: ops
created: 2026-11-10
environments:
  staging: { enabled: true, serve: on }
  production:
    enabled: true
    rules:
      - { name: testers, users: [u-1042], serve: on }
      - name: enterprise
        when: [{ attribute: plan, op: in, values: [enterprise] }]
        serve: on
    serve:
      rollout:
        stages:
          - { at: 2026-11-20T09:00:00Z, percentage: 10 }
          - { at: 2026-12-01T09:00:00Z, percentage: 100 }
`;

function project(files: Record<string, string> = {}) {
  const repo = new GitRepo({ 'flags/new-checkout.yaml': checkout, 'flags/banner.yaml': flagFile(), 'src/app.ts': 'export const app = true;\n', ...files });
  repo.commit();
  return repo;
}

describe('flagops eval', () => {
  it('prints value, variant, reason, rule and bucket position', () => {
    const repo = project();
    const hit = flagops(['eval', 'new-checkout', '--env', 'production', '--context', '{"userId":"u-1042"}', '--now', '2026-11-22'], repo.root);
    expect(hit.code).toBe(0);
    expect(hit.stdout).toContain('new-checkout in production (this checkout) at 2026-11-22T00:00:00.000Z');
    expect(hit.stdout).toMatch(/value {5}true\n {2}variant {3}on\n {2}reason {4}TARGETING_MATCH\n {2}rule {6}testers/);
    expect(hit.stdout).toContain(`position  ${position('new-checkout', 'u-1042').toFixed(2)} of 100, by userId`);

    const user = 'u-somebody';
    const json = flagops(['eval', 'new-checkout', '-e', 'production', '--context', JSON.stringify({ userId: user }), '--now', '2026-11-22', '-f', 'json'], repo.root);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ command: 'eval', flag: 'new-checkout', environment: 'production', source: 'checkout', reason: 'SPLIT' });
    expect(out.variant).toBe(position('new-checkout', user) < 10 ? 'on' : 'off');
    expect(out.positions).toEqual({ userId: position('new-checkout', user) });
  });

  it('evaluates stages at --now and reads the context from a file', () => {
    const repo = project({ 'ctx.json': '{"userId":"u-5"}' });
    const before = flagops(['eval', 'new-checkout', '--env', 'production', '--context', '@ctx.json', '--now', '2026-11-19', '-f', 'json'], repo.root);
    expect(JSON.parse(before.stdout)).toMatchObject({ variant: 'off', reason: 'SPLIT' });
    const after = flagops(['eval', 'new-checkout', '--env', 'production', '--context', '@ctx.json', '--now', '2026-12-02', '-f', 'json'], repo.root);
    expect(JSON.parse(after.stdout)).toMatchObject({ variant: 'on', reason: 'SPLIT' });
    const noUser = flagops(['eval', 'new-checkout', '--env', 'production', '--now', '2026-11-22'], repo.root);
    expect(noUser.stdout).toMatch(/reason {4}DEFAULT\n[\s\S]*note {6}no "userId" in the context/);
  });

  it('evaluates the live store with --live, overrides included', () => {
    const repo = project();
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
    expect(flagops(['kill', 'banner', '--env', 'production', '--reason', 'incident 42'], repo.root, { env: { FLAGOPS_ACTOR: 'oncall' } }).code).toBe(0);
    const live = flagops(['eval', 'banner', '--env', 'production', '--live', '-f', 'json'], repo.root);
    expect(JSON.parse(live.stdout)).toMatchObject({ source: 'store', value: false, variant: 'off', reason: 'DISABLED', override: true });
    const text = flagops(['eval', 'banner', '--env', 'production', '--live'], repo.root);
    expect(text.stdout).toContain('banner in production (file .flagops/store/production.json)');
    expect(text.stdout).toContain('reason    DISABLED, by a kill-switch override');
    const checkoutView = flagops(['eval', 'banner', '--env', 'production', '-f', 'json'], repo.root);
    expect(JSON.parse(checkoutView.stdout)).toMatchObject({
      source: 'checkout',
      value: true,
      reason: 'STATIC',
      live: { store: 'file .flagops/store/production.json', override: { variant: 'off', reason: 'incident 42' } },
    });
    // Without --live, the answer of the flag files says that a kill switch serves another one now.
    const checkoutText = flagops(['eval', 'banner', '--env', 'production'], repo.root).stdout;
    expect(checkoutText).toMatch(/ {2}live {6}a kill switch in file \.flagops\/store\/production\.json serves "off" to everyone \(since .+, by .+: incident 42\); this answer is from the flag files, flagops eval --live shows what is served/);
    expect(flagops(['eval', 'new-checkout', '--env', 'production'], repo.root).stdout).not.toContain('live');
    // A store it cannot read is said so, and the evaluation goes on.
    const away = flagops(['eval', 'banner', '--env', 'production', '--redis', 'redis://127.0.0.1:1', '--redis-timeout', '300'], repo.root);
    expect(away.code).toBe(0);
    expect(away.stdout).toContain('reason    STATIC');
    expect(away.stdout).toMatch(/ {2}live {6}not checked for a kill switch: .*Redis/);
  });

  it('exits 2 with a clear message for unknown flags, environments, bad contexts and broken flag files', () => {
    const repo = project({ 'flags/broken.yaml': 'description: x\nowner: "@a/b"\ntype: ops\ncreated: 2026-11-10\nenvironments: { production: { enabled: maybe } }\n' });
    const typo = flagops(['eval', 'new-chekout', '--env', 'production'], repo.root);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('No flag "new-chekout" in production (this checkout).\nDid you mean "new-checkout"?');
    expect(flagops(['eval', 'banner', '--env', 'prod'], repo.root).stderr).toContain('Unknown environment "prod"');
    expect(flagops(['kill', 'banner', '--env', 'production', '--reason', 'a\n::error::b'], repo.root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('The --reason must be one line of text, without line breaks or control characters.'),
    });
    // Commands of one environment suggest only what they accept (not --all-envs).
    for (const command of [['eval', 'banner'], ['kill', 'banner', '--reason', 'x'], ['unkill', 'banner']]) {
      const noEnv = flagops(command, repo.root);
      expect(noEnv.code, command[0]).toBe(2);
      expect(noEnv.stderr, command[0]).toContain('flagops: Say which environment: --env <name>.\nEnvironments: ');
    }
    const bad = flagops(['eval', 'banner', '--env', 'production', '--context', '{userId: 1}'], repo.root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--context is not valid JSON');
    expect(flagops(['eval', 'banner', '--env', 'production', '--context', '[1]'], repo.root).stderr).toContain('--context must be a JSON object');
    const broken = flagops(['eval', 'broken', '--env', 'production'], repo.root);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('The flag file flags/broken.yaml has errors, so broken cannot be evaluated.');
    for (const r of [typo, bad, broken]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

const specs = `env: production
at: 2026-11-22T12:00:00Z
cases:
  - name: testers get it
    flag: new-checkout
    context: { userId: u-1042 }
    expect: { variant: on, rule: testers }
  - flag: new-checkout
    context: { userId: x, plan: enterprise }
    expect: on
  - flag: banner
    env: staging
    expect: { value: true, reason: STATIC }
`;

describe('flagops test', () => {
  it('runs spec files and reports every case', () => {
    const repo = project({ 'flag-tests/checkout.yaml': specs });
    const result = flagops(['test', '--list'], repo.root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('pass  flag-tests/checkout.yaml:4  testers get it: new-checkout in production → on (TARGETING_MATCH)');
    expect(result.stdout).toContain('Flag specs: 3 cases in 1 file, 3 passed, 0 failed.');
    const json = JSON.parse(flagops(['test', '-f', 'json'], repo.root).stdout);
    expect(json.cases).toHaveLength(3);
    expect(json.cases[2]).toMatchObject({ flag: 'banner', env: 'staging', passed: true, got: { value: true, variant: 'on', reason: 'STATIC' } });
  });

  it('fails a case at its expect line, saying what it got', () => {
    const repo = project({
      'flag-tests/wrong.yaml': `cases:\n  - flag: new-checkout\n    env: production\n    at: 2026-11-19\n    context: { userId: u-5 }\n    expect: { variant: on, reason: SPLIT }\n`,
    });
    const result = flagops(['test'], repo.root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('flag-tests/wrong.yaml:6:13');
    expect(result.stdout).toContain(
      'new-checkout in production at 2026-11-19T00:00:00.000Z for {"userId":"u-5"}: expected variant "on"; got variant "off", value false, reason SPLIT.',
    );
    const github = flagops(['test', '-f', 'github'], repo.root);
    expect(github.stdout).toMatch(/::error file=flag-tests\/wrong.yaml,line=6,col=13[^:]*::/);
  });

  it('points at invalid spec files, unknown flags and environments', () => {
    const repo = project({
      'flag-tests/bad.yaml': `cases:\n  - flag: new-chekout\n    env: production\n    expect: on\n  - flag: banner\n    env: prod\n    expect: on\n  - flag: banner\n    env: production\n    exepct: on\n  - flag: banner\n    env: production\n    at: someday\n    expect: on\n`,
    });
    const result = flagops(['test', '-f', 'json'], repo.root);
    expect(result.code).toBe(1);
    type Found = { code: string; line: number; message: string; hint?: string };
    const found = JSON.parse(result.stdout).diagnostics.map((d: Found) => [d.code, d.line, d.message, d.hint]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['spec-invalid', 10, 'Unknown field "exepct" in case 3.', expect.any(String)],
        ['spec-invalid', 8, 'The case says nothing it expects.', expect.any(String)],
        ['spec-invalid', 13, '"at" is not a date or time.', expect.any(String)],
        ['spec-unknown-flag', 2, 'No valid flag "new-chekout": a spec can only test a flag that exists and validates.', 'Did you mean "new-checkout"?'],
        ['spec-unknown-environment', 6, 'No environment "prod" is configured.', 'Did you mean "production"?'],
      ]),
    );
  });

  it('is part of flagops check, and says when there are no spec files', () => {
    const repo = project({ 'flag-tests/wrong.yaml': `cases:\n  - { flag: banner, env: production, expect: off }\n` });
    const check = flagops(['check', '-f', 'json'], repo.root);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).diagnostics.map((d: { code: string }) => d.code)).toContain('spec-failed');
    const empty = project();
    const none = flagops(['test'], empty.root);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No flag spec files: add some to flag-tests/');
  });
});
