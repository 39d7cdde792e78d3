import { describe, expect, it } from 'vitest';
import { withoutCases } from '../../../src/core/lifecycle/cleanup/spec-cases.js';

const spec = `# Checkout specs.
env: production
cases:
  - name: first
    flag: old-flag
    expect: on

  # The kept flag's own comment.
  - name: second
    flag: kept-flag
    expect: off

  - name: third
    flag: old-flag
    expect: off
`;

describe('withoutCases', () => {
  it('drops the cases of the removed flag and keeps every other line as written, comments included', () => {
    expect(withoutCases(spec, new Set(['old-flag']))).toBe(`# Checkout specs.
env: production
cases:
  # The kept flag's own comment.
  - name: second
    flag: kept-flag
    expect: off
`);
  });

  it('says to delete a file whose every case was about removed flags, through the file-level flag too', () => {
    expect(withoutCases(spec, new Set(['old-flag', 'kept-flag']))).toBeNull();
    expect(withoutCases('flag: old-flag\ncases:\n  - expect: on\n  - expect: off\n', new Set(['old-flag']))).toBeNull();
  });

  it('changes nothing when no case is about a removed flag, or the file does not parse', () => {
    expect(withoutCases(spec, new Set(['other']))).toBeUndefined();
    expect(withoutCases('cases: [\n', new Set(['old-flag']))).toBeUndefined();
  });
});
