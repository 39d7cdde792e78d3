import type { Diagnostic } from '../../shared/diagnostic.js';
import { didYouMean } from '../../shared/suggest.js';
import { evaluateFlag } from '../evaluate/evaluate.js';
import type { EvaluationResult } from '../evaluate/result.js';
import type { Snapshot } from '../evaluate/snapshot.js';
import type { SpecCase } from './parse-spec.js';
import type { Span } from '../../definition/load/source-map.js';

export interface CaseResult {
  file: string;
  line: number;
  name?: string;
  flag: string;
  env: string;
  at: string;
  passed: boolean;
  got?: Pick<EvaluationResult, 'value' | 'variant' | 'reason' | 'rule'>;
  /** A segment case: its key and whether the context matched. */
  segment?: string;
  matched?: boolean;
}

/** Tests of the segments of the checkout, by key, and the environments each exists in (undefined: all). */
export type SegmentTests = ReadonlyMap<string, { test: (context: Record<string, unknown>) => boolean; environments?: readonly string[] }>;

const show = (v: unknown) => JSON.stringify(v);

function describeCase(c: SpecCase, at: string): string {
  const context = Object.keys(c.context).length > 0 ? ` for ${show(c.context)}` : '';
  return `${c.name ? `"${c.name}": ` : ''}${c.flag} in ${c.env} at ${at}${context}`;
}

/** Runs cases against each environment's snapshot (the checkout's flags compiled for it). */
export function runSpecs(
  cases: readonly SpecCase[],
  snapshots: ReadonlyMap<string, Snapshot>,
  now: number,
  segments: SegmentTests = new Map(),
): { results: CaseResult[]; diagnostics: Diagnostic[] } {
  const results: CaseResult[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const c of cases) {
    if (c.segment !== undefined) {
      const result = runSegmentCase(c, segments, snapshots);
      results.push(result.result);
      if (result.diagnostic) diagnostics.push(result.diagnostic);
      continue;
    }
    const at = c.at ?? new Date(now).toISOString();
    const base = { file: c.file, line: c.span.line, ...(c.name ? { name: c.name } : {}), flag: c.flag, env: c.env, at };
    const snapshot = snapshots.get(c.env);
    if (!snapshot) {
      const near = didYouMean(c.env, snapshots.keys()) ?? [...snapshots.keys()].find((env) => env.startsWith(c.env));
      diagnostics.push({
        severity: 'error',
        code: 'spec-unknown-environment',
        file: c.file,
        ...c.spans.env,
        message: `No environment "${c.env}" is configured.`,
        hint: near ? `Did you mean "${near}"?` : `Configured: ${[...snapshots.keys()].join(', ')}.`,
      });
      results.push({ ...base, passed: false });
      continue;
    }
    if (!snapshot.flags.has(c.flag)) {
      const near = didYouMean(c.flag, snapshot.flags.keys());
      diagnostics.push({
        severity: 'error',
        code: 'spec-unknown-flag',
        file: c.file,
        ...c.spans.flag,
        flag: c.flag,
        message: `No valid flag "${c.flag}": a spec can only test a flag that exists and validates.`,
        hint: near ? `Did you mean "${near}"?` : 'Check the key, and run flagops validate.',
      });
      results.push({ ...base, passed: false });
      continue;
    }
    const atMs = Date.parse(at);
    const r = evaluateFlag(snapshot, c.flag, c.context, undefined as never, () => atMs);
    const got = { value: r.value, ...(r.variant !== undefined ? { variant: r.variant } : {}), reason: r.reason, ...(r.rule ? { rule: r.rule } : {}) };
    const wrong = (['variant', 'reason', 'rule'] as const).filter((k) => c.expect[k] !== undefined && c.expect[k] !== got[k]);
    if (c.expect.value !== undefined && show(c.expect.value) !== show(got.value)) wrong.unshift('value' as never);
    const passed = wrong.length === 0;
    results.push({ ...base, passed, got });
    if (!passed) {
      const expected = wrong.map((k) => `${k} ${show(c.expect[k as keyof typeof c.expect])}`).join(', ');
      const actual = `variant ${show(got.variant)}, value ${show(got.value)}, reason ${got.reason}${got.rule ? `, rule ${show(got.rule)}` : ''}`;
      diagnostics.push({
        severity: 'error',
        code: 'spec-failed',
        file: c.file,
        ...c.spans.expect,
        flag: c.flag,
        message: `${describeCase(c, at)}: expected ${expected}; got ${actual}.`,
        hint: 'Either the flag changed behaviour (update the flag or the spec) or the spec is wrong; flagops eval shows the evaluation.',
      });
    }
  }
  return { results, diagnostics };
}

type CaseOutcome = { result: CaseResult; diagnostic?: Diagnostic };

function runSegmentCase(c: SpecCase, segments: SegmentTests, snapshots: ReadonlyMap<string, Snapshot>): CaseOutcome {
  const key = c.segment!;
  const base = { file: c.file, line: c.span.line, ...(c.name ? { name: c.name } : {}), flag: '', env: c.env, at: '', segment: key };
  const problem = (code: string, span: Span, message: string, hint: string) => ({
    result: { ...base, passed: false },
    diagnostic: { severity: 'error' as const, code, file: c.file, ...span, message, hint },
  });
  const segment = segments.get(key);
  if (!segment) {
    const near = didYouMean(key, segments.keys());
    return problem('spec-unknown-segment', c.spans.flag, `No valid segment "${key}": a spec can only test a segment that exists and validates.`, near ? `Did you mean "${near}"?` : 'Check the key, and run flagops validate.');
  }
  if (c.env !== '' && !snapshots.has(c.env)) {
    return problem('spec-unknown-environment', c.spans.env, `No environment "${c.env}" is configured.`, `Configured: ${[...snapshots.keys()].join(', ')}.`);
  }
  if (c.env !== '' && segment.environments && !segment.environments.includes(c.env)) {
    return problem('spec-failed', c.spans.env, `Segment "${key}" does not exist in ${c.env} (it exists in ${segment.environments.join(', ')}).`, 'Test it in one of those environments, or leave env out.');
  }
  const matched = segment.test(c.context);
  const passed = matched === c.expectedToMatch;
  const result: CaseResult = { ...base, passed, matched };
  if (passed) return { result };
  return {
    result,
    diagnostic: {
      severity: 'error',
      code: 'spec-failed',
      file: c.file,
      ...c.spans.expect,
      message: `${c.name ? `"${c.name}": ` : ''}segment ${key} for ${show(c.context)}: expected ${c.expectedToMatch ? 'a match' : 'no match'}; it ${matched ? 'matched' : 'did not match'}.`,
      hint: 'Either the segment changed (update it or the spec) or the spec is wrong; flagops segments shows its conditions.',
    },
  };
}
