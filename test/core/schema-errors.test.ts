import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/definition/config.js';
import { validateFlagTexts } from '../../src/core/definition/validate/validate-flags.js';

const head = 'description: d\nowner: "@a"\ntype: ops\ncreated: 2026-11-10\nenvironments:\n  staging:\n';
const diagnose = (environment: string) =>
  validateFlagTexts([{ file: 'flags/f.yaml', text: head + environment }], defaultConfig()).diagnostics;

describe('schema messages for mistakes made by hand', () => {
  it.each([
    ['    enabled: "true"\n    serve: on\n', 'Write true without quotes.'],
    ['    enabled: off\n    serve: on\n', 'Write true or false: YAML 1.2 reads yes, no, on and off as text.'],
    ['    enabled: true\n    serve: false\n', 'serve names a variant: write serve: off.'],
    ['    enabled: true\n    serve: { percentage: " 12.5 %" }\n', 'Write the number without quotes or %: 12.5.'],
    ['    enabled: true\n    rules: { users: [a], serve: on }\n    serve: off\n', 'Start each entry on its own line with "- " to make a list.'],
    ['    enabled: true\n    rules:\n      - { groups: staff, serve: on }\n    serve: off\n', 'Write a list, e.g. [staff].'],
  ])('%j → %s', (environment, hint) => {
    const diagnostics = diagnose(environment);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'wrong-type', hint });
  });

  it('gives no hint where it has no good one', () => {
    const [diagnostic] = diagnose('    enabled: [true]\n    serve: on\n');
    expect(diagnostic).toMatchObject({ code: 'wrong-type', message: 'environments.staging.enabled must be a boolean; found a list.' });
    expect(diagnostic?.hint).toBeUndefined();
  });

  it('reports an operator that does not exist, listing the ones that do', () => {
    const [diagnostic] = diagnose(
      '    enabled: true\n    rules:\n      - when: [{ attribute: plan, op: equals, value: pro }]\n        serve: on\n    serve: off\n',
    );
    expect(diagnostic).toMatchObject({ code: 'invalid-value', line: 9, column: 39 });
    expect(diagnostic?.message).toMatch(/^environments.staging.rules\[0\].when\[0\].op must be one of eq, neq, in, not_in,/);
  });
});
