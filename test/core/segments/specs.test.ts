import { describe, expect, it } from 'vitest';
import { compileRefs, compileSegment } from '../../../src/core/serving/compile.js';
import { matchTest } from '../../../src/core/serving/evaluate/match.js';
import type { Snapshot } from '../../../src/core/serving/evaluate/snapshot.js';
import type { SegmentDocument } from '../../../src/core/definition/model.js';
import { parseSpecFile } from '../../../src/core/serving/spec/parse-spec.js';
import { runSpecs, type SegmentTests } from '../../../src/core/serving/spec/run-specs.js';

const segments: Record<string, SegmentDocument> = {
  eu: { description: 'd', owner: '@a/b', when: [{ attribute: 'country', op: 'in', values: ['DE', 'FR'] }] },
  staff: { description: 'd', owner: '@a/b', groups: ['employees'], environments: ['staging'] },
};
const refs = compileRefs([], Object.entries(segments).map(([key, definition]) => ({ key, definition })));
const tests: SegmentTests = new Map(
  Object.entries(segments).map(([key, s]) => {
    const test = matchTest(compileSegment(key, refs))!;
    return [key, { test, ...(s.environments ? { environments: s.environments } : {}) }];
  }),
);
const snapshots = new Map<string, Snapshot>([['staging', {} as Snapshot], ['production', {} as Snapshot]]);

const spec = `segment: eu
cases:
  - name: Germany is in the EU
    context: { country: DE }
    expectedToMatch: true
  - name: a wrong expectation
    context: { country: US }
    expectedToMatch: true
  - segment: staf
    expectedToMatch: false
  - segment: staff
    env: production
    expectedToMatch: false
  - segment: eu
    context: { country: FR }
    expect: on
`;

describe('segment cases in spec files', () => {
  it('pass, fail with what matched, and name unknown segments and environments at their line', () => {
    const parsed = parseSpecFile('flag-tests/segments.yaml', spec);
    expect(parsed.diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`)).toEqual([
      '14 spec-invalid Case 5 tests a segment but does not say expectedToMatch: true or false.',
      '16 spec-invalid A segment case says expectedToMatch, not expect.',
    ]);
    const { results, diagnostics } = runSpecs(parsed.cases, snapshots, 0, tests);
    expect(results.map((r) => [r.segment, r.passed, r.matched])).toEqual([
      ['eu', true, true],
      ['eu', false, false],
      ['staf', false, undefined],
      ['staff', false, undefined],
    ]);
    expect(diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['8 spec-failed', '9 spec-unknown-segment', '12 spec-failed']);
    expect(diagnostics[0]!.message).toBe('"a wrong expectation": segment eu for {"country":"US"}: expected a match; it did not match.');
    expect(diagnostics[1]!.hint).toBe('Did you mean "staff"?');
    expect(diagnostics[2]!.message).toContain('does not exist in production');
  });
});
