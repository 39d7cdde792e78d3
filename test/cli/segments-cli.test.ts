import { describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { flagYaml, segmentYaml } from '../helpers/segment-project.js';

/** Two flags use the segment beta (one in staging, one in production); checkout requires payments. */
function project() {
  const repo = new GitRepo({
    'flagops.config.yaml': 'environments: { staging: {}, production: {} }\n',
    'segments/beta.yaml': segmentYaml(['groups: [beta-testers]']),
    'flags/reports.yaml': flagYaml({ rules: ['{ name: beta, segments: [beta], serve: on }'] }),
    'flags/dark-mode.yaml': flagYaml().replace('    serve: on\n', '    rules: [{ name: beta, segments: [beta], serve: on }]\n    serve: off\n'),
    'flags/payments.yaml': flagYaml().replace('    serve: off\n', '    serve: on\n'),
    'flags/checkout.yaml': flagYaml({ requires: ['payments'] }).replace('    serve: off\n', '    serve: on\n'),
    'flags/express.yaml': flagYaml({ requires: ['checkout'] }).replace('    serve: off\n', '    serve: on\n'),
  });
  repo.commit('flags');
  return repo;
}

describe('segments and prerequisites on the command line', () => {
  it('plan and diff describe a segment change once, with every flag and environment it changes', () => {
    const repo = project();
    expect(flagops(['sync', '--all-envs'], repo.root).code).toBe(0);
    repo.write({ 'segments/beta.yaml': segmentYaml(['groups: [beta-testers, design-partners]']) });
    repo.write({ 'flags/express.yaml': flagYaml({ requires: ['checkout', 'payments'] }).replace('    serve: off\n', '    serve: on\n') });
    repo.commit('more beta');

    const diff = flagops(['diff', '--base', 'HEAD~1', '--no-references'], repo.root);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('* segment beta: + group design-partners — changes dark-mode (staging), reports (production)');
    expect(diff.stdout).toContain('    production: rule "beta": segment beta changed');
    expect(diff.stdout).toContain('    staging: rule "beta": segment beta changed');
    expect(diff.stdout).toContain('    production: requires: checkout on → checkout on, payments on');

    const plan = flagops(['plan', '--all-envs'], repo.root);
    expect(plan.stdout).toMatch(/staging \(file[^\n]*\n(?:.*\n)*? {2}segment beta: \+ group design-partners — changes dark-mode\n/);
    expect(plan.stdout).toMatch(/production \(file[^\n]*\n(?:.*\n)*? {2}segment beta: \+ group design-partners — changes reports\n/);
    const json = JSON.parse(flagops(['plan', '--env', 'production', '--format', 'json'], repo.root).stdout);
    expect(json.environments[0].segments).toEqual([{ segment: 'beta', details: ['+ group design-partners'], affects: [{ flag: 'reports', environment: 'production' }] }]);
  });

  it('diff says which flags change with a prerequisite, and fails on what validate refuses across files', () => {
    const repo = project();
    repo.write({ 'flags/payments.yaml': flagYaml() });
    repo.commit('payments off in production');
    const diff = flagops(['diff', '--base', 'HEAD~1', '--no-references'], repo.root);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(
      '~ payments  (flags/payments.yaml)\n    production: everyone else: on → off\n    production: 100.0% of users change from on to off (on → off)\n' +
      '    required by checkout: they change with it (prerequisites)',
    );
    repo.write({ 'flags/reports.yaml': flagYaml({ rules: ['{ name: beta, segments: [betta], serve: on }'] }) });
    repo.commit('a typo');
    const broken = flagops(['diff', '--base', 'HEAD~1', '--no-references'], repo.root);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/flags\/reports\.yaml:\d+:\d+ error unknown-segment\n {2}No segment "betta"\. Did you mean "beta"\?/);
  });

  it('kill names the flags it turns off through prerequisites; status and eval say so; unkill brings them back', () => {
    const repo = project();
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
    const kill = flagops(['kill', 'payments', '--env', 'production', '--reason', 'INC-1'], repo.root);
    expect(kill.code).toBe(0);
    expect(kill.stdout).toContain('Also off through prerequisites (their offVariant for everyone): checkout, express (through checkout).');
    expect(flagops(['status', '--env', 'production'], repo.root).stdout).toContain('    and turns off through prerequisites: checkout, express');
    const live = flagops(['eval', 'express', '--env', 'production', '--live'], repo.root);
    expect(live.stdout).toContain('  reason    PREREQUISITE_FAILED');
    expect(live.stdout).toContain('  requires  checkout on: it serves off (PREREQUISITE_FAILED), so express serves its offVariant');
    const unkill = flagops(['unkill', 'payments', '--env', 'production'], repo.root);
    expect(unkill.stdout).toContain('Its dependents evaluate their own rules again: checkout, express (through checkout).');
    expect(JSON.parse(flagops(['eval', 'express', '--env', 'production', '--live', '--format', 'json'], repo.root).stdout)).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('flagops segments lists who uses each segment and who depends on each flag', () => {
    const repo = project();
    const text = flagops(['segments'], repo.root);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        'beta  @acme/growth  segments/beta.yaml',
        '  groups beta-testers',
        '  used by dark-mode in staging',
        '  used by reports in production',
        '',
        'Prerequisites:',
        '  checkout  required by express (needs on)',
        '  payments  required by checkout (needs on); through them: express',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(flagops(['segments', 'beta', '--format', 'json'], repo.root).stdout);
    expect(json.segments[0]).toMatchObject({ segment: 'beta', conditions: 'groups beta-testers', flags: [{ flag: 'dark-mode', environments: ['staging'] }, { flag: 'reports', environments: ['production'] }] });
    const unknown = flagops(['segments', 'betta'], repo.root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Did you mean "beta"?');
  });
});
