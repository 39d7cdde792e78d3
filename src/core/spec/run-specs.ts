import type { Diagnostic } from '../diagnostic.js';
import { didYouMean } from '../suggest.js';
import { evaluateFlag } from '../evaluate/evaluate.js';
import type { EvaluationResult } from '../evaluate/result.js';
import type { Snapshot } from '../evaluate/snapshot.js';
import type { SpecCase } from './parse-spec.js';

export interface CaseResult {
  file: string;
  line: number;
  name?: string;
  flag: string;
  env: string;
  at: string;
  passed: boolean;
  got?: Pick<EvaluationResult, 'value' | 'variant' | 'reason' | 'rule'>;
}

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
): { results: CaseResult[]; diagnostics: Diagnostic[] } {
  const results: CaseResult[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const c of cases) {
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
