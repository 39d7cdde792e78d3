import { readFileSync } from 'node:fs';
import AjvDraft04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { fixture, flagops } from '../helpers/cli.js';

type AjvDraft04 = typeof AjvDraft04Module.default;
// ajv-draft-04 is CommonJS; under NodeNext its class may arrive as the default's default.
const AjvDraft04: AjvDraft04 =
  (AjvDraft04Module as unknown as { default?: AjvDraft04 }).default ??
  (AjvDraft04Module as unknown as AjvDraft04);
const scenario = fixture('validate', 'unknown-field');

describe('flagops validate --format', () => {
  it('text: position, severity, code, message, the line with a caret, a hint and a summary', () => {
    const { code, stdout } = flagops(['validate'], scenario);
    expect(stdout).toBe(`flags/typo.yaml:8:5 error unknown-field
  Unknown field "enabeld" in environments.staging. Did you mean "enabled"?
  8 |     enabeld: true
    |     ^^^^^^^
  hint: Fields allowed here: enabled, requires, rules, serve.

✖ 1 error, 0 warnings (1 file checked)
`);
    expect(code).toBe(1);
  });

  it('text: a missing field, with what it holds as the hint', () => {
    const { code, stdout } = flagops(['validate'], fixture('validate', 'missing-field'));
    expect(stdout).toBe(`flags/no-owner.yaml:1:1 error missing-field
  Missing required field "owner" in the flag.
  1 | description: Nobody owns this.
    | ^
  hint: "owner" — Who answers for the flag: a GitHub @handle, an @org/team or an e-mail address.

✖ 1 error, 0 warnings (1 file checked)
`);
    expect(code).toBe(1);
  });

  it('text: one line when all is well', () => {
    const { code, stdout } = flagops(['validate'], fixture('validate', 'valid-minimal'));
    expect(stdout).toBe('✔ 1 file checked, no problems\n');
    expect(code).toBe(0);
  });

  it('json: one object with summary, diagnostics and the valid flags', () => {
    const { stdout } = flagops(['validate', '--format', 'json'], fixture('validate', 'custom-config'));
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      tool: { name: 'flagops' },
      command: 'validate',
      summary: { errors: 0, warnings: 0, infos: 0, files: 1 },
      diagnostics: [],
      flags: [{ key: 'long-release', file: 'definitions/long-release.yaml', type: 'release' }],
    });
  });

  it('github: workflow annotations on the exact line and column, escaped', () => {
    const { code, stdout } = flagops(['validate', '--format', 'github'], scenario);
    expect(stdout).toBe(
      '::error file=flags/typo.yaml,line=8,col=5,endLine=8,endColumn=12,title=flagops unknown-field::' +
      'Unknown field "enabeld" in environments.staging. Did you mean "enabled"?%0AFields allowed here: enabled, requires, rules, serve.\n',
    );
    expect(code).toBe(1);
  });

  it('markdown: a table for a pull-request comment or job summary', () => {
    const { stdout } = flagops(['validate', '--format', 'markdown'], scenario);
    expect(stdout).toBe(`### flagops validate

1 error, 0 warnings in 1 file.

| | Where | Code | Problem |
|---|---|---|---|
| ❌ | \`flags/typo.yaml:8:5\` | \`unknown-field\` | Unknown field "enabeld" in environments.staging. Did you mean "enabled"?<br>*Fields allowed here: enabled, requires, rules, serve.* |
`);
  });

  it('sarif: valid SARIF 2.1.0 with rule metadata for every code', () => {
    const { stdout } = flagops(['validate', '--format', 'sarif'], scenario);
    const log = JSON.parse(stdout);
    const schema = JSON.parse(readFileSync(fixture('schemas', 'sarif-2.1.0.schema.json'), 'utf8'));
    const validate = new AjvDraft04({ strict: false, validateFormats: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);

    const run = log.runs[0];
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['unknown-field', 'split-sum', 'yaml-alias-limit']));
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({
      ruleId: 'unknown-field',
      ruleIndex: ruleIds.indexOf('unknown-field'),
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'flags/typo.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 8, startColumn: 5, endLine: 8, endColumn: 12 },
          },
        },
      ],
    });
  });

  it.each(['text', 'json', 'github', 'sarif', 'markdown'])('%s: never prints the password of a Redis URL in the configuration', (format) => {
    const { stdout, stderr } = flagops(['validate', '--format', format], fixture('validate', 'config-secret'));
    expect(stdout).toContain('config-secret');
    expect(`${stdout}${stderr}`).not.toContain('canary-Hunter2-secret');
  });

  it('--fail-on warning turns warnings into exit 1', () => {
    const emptyFolder = fixture('validate', 'empty-folder');
    expect(flagops(['validate'], emptyFolder).code).toBe(0);
    expect(flagops(['validate', '--fail-on', 'warning'], emptyFolder).code).toBe(1);
  });
});
