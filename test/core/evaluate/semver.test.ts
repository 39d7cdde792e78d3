import { describe, expect, it } from 'vitest';
import { compareSemver, parseSemver } from '../../../src/core/serving/evaluate/semver.js';

describe('parseSemver, which keeps the last text it parsed', () => {
  it('answers each text for itself, whatever came before', () => {
    const sequence = ['2.3.1', '2.3.1', 'not a version', '2.3.1', '1.0.0-beta.2', 'x'.repeat(300), '1.0.0-beta.2', ' 3.0.0 '];
    const got = sequence.map((text) => parseSemver(text));
    expect(got).toEqual([
      { core: [2, 3, 1], pre: [] },
      { core: [2, 3, 1], pre: [] },
      undefined,
      { core: [2, 3, 1], pre: [] },
      { core: [1, 0, 0], pre: ['beta', 2] },
      undefined,
      { core: [1, 0, 0], pre: ['beta', 2] },
      { core: [3, 0, 0], pre: [] },
    ]);
    expect(compareSemver(parseSemver('1.0.0-beta.2')!, parseSemver('1.0.0')!)).toBe(-1);
  });
});
