import { describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { tmpProject, writeFile } from '../helpers/tmp.js';

const flag = (o: { owner?: string; expires?: string; type?: string; production?: string; staging?: string } = {}) => `description: A flag.
owner: "${o.owner ?? '@acme/web'}"
type: ${o.type ?? 'release'}
created: 2026-11-10
${o.type === 'kill-switch' ? '' : `expires: ${o.expires ?? '2026-12-10'}\n`}environments:
  staging: ${o.staging ?? '{ enabled: true, serve: on }'}
  production: ${o.production ?? '{ enabled: true, serve: { percentage: 5 } }'}
`;

function repo() {
  const r = new GitRepo({
    'flags/checkout.yaml': flag(),
    'flags/search.yaml': flag({ production: '{ enabled: true, serve: { percentage: 40 } }' }),
    'flags/payments.yaml': flag({ type: 'kill-switch', production: '{ enabled: true, serve: on }' }),
    'flags/old-banner.yaml': flag(),
    'flags/quiet.yaml': flag(),
    'src/app.ts': `declare const flags: { isEnabled(k: string): boolean };\nexport const a = flags.isEnabled('old-banner');\nexport const b = flags.isEnabled('checkout');\n`,
    'flagops.config.yaml': 'scan:\n  include: ["src/**/*.ts"]\n',
  });
  const base = r.commit('base');
  r.write({
    'flags/checkout.yaml': flag({
      owner: '@acme/payments',
      expires: '2026-12-19',
      production: `\n    enabled: true\n    rules:\n      - { name: staff, groups: [employees], serve: on }\n    serve: { percentage: 25 }`,
    }),
    'flags/search.yaml': flag({ production: '{ enabled: true, serve: { percentage: 100 } }' }),
    'flags/payments.yaml': flag({ type: 'kill-switch', production: '{ enabled: true, serve: off }' }),
    'flags/quiet.yaml': flag({}).replace('A flag.', 'A quieter flag.'),
  });
  r.remove('flags/old-banner.yaml');
  r.commit('head');
  return { r, base };
}

describe('flagops diff', () => {
  it('says per flag and environment what changes for users, with risks and code references', () => {
    const { r } = repo();
    const result = flagops(['diff', '--base', 'HEAD~1'], r.root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('Flag changes in HEAD~1..HEAD:');
    expect(out).toContain('~ checkout  (flags/checkout.yaml, 1 code reference in 1 file)');
    expect(out).toContain('    production: everyone else: 5% on → 25% on');
    expect(out).toContain('    production: new rule "staff": groups employees → on');
    expect(out).toContain('    owner: @acme/web → @acme/payments');
    expect(out).toContain('    expires: 2026-12-10 → 2026-12-19');
    expect(out).toContain('- flag old-banner removed — still referenced in 1 file');
    expect(out).toContain('    production: everyone else: 40% on → 100% on');
    expect(out).toContain('    production: everyone else: on → off');
    expect(out).toContain('    description changed');
    expect(out).toMatch(/flags\/search\.yaml:8:3 warning risk-full-rollout\n {2}production: everyone gets it now \(40% → 100%\), in one step\./);
    expect(out).toMatch(/flags\/payments\.yaml:7:3 warning risk-kill-switch-off/);
    expect(out).toMatch(/flags\/checkout\.yaml:2:8 warning risk-owner-changed/);
    expect(out).toMatch(/flags\/checkout\.yaml:5:10 warning risk-expiry-extended\n {2}The expiry is pushed out by 9 days, to 2026-12-19 \(was 2026-12-10\)\./);
    expect(out).toMatch(/src\/app\.ts:2:34 warning risk-removed-but-referenced/);
    expect(flagops(['diff', '--base', 'HEAD~1', '--fail-on', 'warning'], r.root).code).toBe(1);
  });

  it('gives the blast radius of each change: exact for percentages, estimated on a population file otherwise, a warning over the threshold', () => {
    const r = new GitRepo({
      'flagops.config.yaml': 'diff: { blastRadiusThreshold: 20 }\n',
      'flags/pricing.yaml': flag({ production: '{ enabled: true, serve: { percentage: 10 } }' }),
      'flags/plans.yaml': flag({ production: '{ enabled: true, serve: off }' }),
    });
    r.commit('base');
    r.write({
      'flags/pricing.yaml': flag({ production: '{ enabled: true, serve: { percentage: 35 } }' }),
      'flags/plans.yaml': flag({ production: `\n    enabled: true\n    rules:\n      - { name: pro, when: [{ attribute: plan, op: eq, value: pro }], serve: on }\n    serve: off` }),
      'population.jsonl': `${Array.from({ length: 200 }, (_, i) => JSON.stringify({ userId: `u-${i}`, plan: i % 4 === 0 ? 'pro' : 'free' })).join('\n')}\n`,
    });
    r.commit('head');
    const exact = flagops(['diff', '--base', 'HEAD~1', '--no-references'], r.root);
    expect(exact.stdout).toContain('    production: 25.0% of users change from off to on (percentage 10% → 35%)');
    expect(exact.stdout).toMatch(/flags\/pricing\.yaml:8:3 warning risk-blast-radius\n {2}production: 25\.0% of users get another variant/);
    expect(exact.stdout).toContain('    production: no user of 100,000 generated ids changes variant (rules changed)');
    const counted = flagops(['diff', '--base', 'HEAD~1', '--no-references', '--population', 'population.jsonl'], r.root);
    expect(counted.stdout).toContain('    production: 25.0% of 200 contexts of population.jsonl (estimated) change from off to on (rules changed); by rule: pro 25.0%');
    writeFile(r.root, 'bad.jsonl', '{"userId":"u-1"}\n[1]\n');
    const bad = flagops(['diff', '--base', 'HEAD~1', '--no-references', '--population', 'bad.jsonl'], r.root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.jsonl:2:1 is not a JSON object.');
  });

  it('prints json and markdown, and annotations for GitHub', () => {
    const { r, base } = repo();
    const json = JSON.parse(flagops(['diff', '--base', base, '-f', 'json'], r.root).stdout);
    expect(json.base.commit).toBe(base);
    const byKey = Object.fromEntries(json.changes.map((c: { key: string }) => [c.key, c]));
    expect(Object.keys(byKey).sort()).toEqual(['checkout', 'old-banner', 'payments', 'quiet', 'search']);
    expect(byKey.search).toMatchObject({
      kind: 'changed',
      risks: ['risk-full-rollout'],
      environments: [
        {
          environment: 'production',
          details: ['everyone else: 40% on → 100% on', '60.0% of users change from off to on (percentage 40% → 100%)'],
          blast: { share: 60, exact: true, of: 'users', moves: [{ from: 'off', to: 'on', share: 60 }] },
        },
      ],
    });
    expect(byKey['old-banner']).toMatchObject({ kind: 'removed', references: { count: 1, files: 1 }, risks: ['risk-removed-but-referenced'] });
    const markdown = flagops(['diff', '--base', base, '-f', 'markdown'], r.root).stdout;
    expect(markdown).toContain(
      '| ~ | `search` | **production**: everyone else: 40% on → 100% on<br>**production**: 60.0% of users change from off to on (percentage 40% → 100%) | ⚠️ jumps to 100% | no code references |',
    );
    const github = flagops(['diff', '--base', base, '-f', 'github'], r.root).stdout;
    expect(github).toMatch(/::warning file=flags\/search\.yaml,line=8,col=3[^:]*::/);
  });

  it('says when nothing changed, and exits 2 for a ref the clone does not have', () => {
    const { r } = repo();
    expect(flagops(['diff', '--base', 'HEAD', '--no-references'], r.root).stdout).toContain('No flag behaviour changes in HEAD..HEAD.');
    const missing = flagops(['diff', '--base', 'origin/main'], r.root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('This clone has no commit "origin/main".');
    expect(missing.stderr).toContain('fetch-depth: 0');
    expect(flagops(['diff'], r.root).stderr).toContain('--base <ref>');
    const plain = tmpProject({ 'flags/a.yaml': 'description: x\n' });
    const outside = flagops(['diff', '--base', 'HEAD~1'], plain);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('not in a git repository');
  });
});
