import { preview } from '../../../shared/diagnostic.js';
import { type Condition, DATE_OPERATORS, type Operator, SEMVER_OPERATORS } from '../../model.js';
import type { FlagRule } from '../rule.js';

const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

const is = (list: readonly string[], op: Operator) => list.includes(op);

/** A semver or date condition whose value cannot be compared: a finding at its value. */
export function conditionProblem(condition: Condition): { message: string; hint: string } | undefined {
  const value = condition.value;
  if (is(SEMVER_OPERATORS, condition.op) && !(typeof value === 'string' && semver.test(value))) {
    return {
      message: `${condition.op} compares semantic versions; found ${preview(value)}, which is not one.`,
      hint: 'Write a full version such as "2.14.0" or "3.0.0-beta.1".',
    };
  }
  if (is(DATE_OPERATORS, condition.op) && !(typeof value === 'string' && isoDate.test(value) && !Number.isNaN(Date.parse(value)))) {
    return {
      message: `${condition.op} compares dates; found ${preview(value)}, which is not an ISO date.`,
      hint: 'Write a date such as "2026-12-01" or a time such as "2026-12-01T09:00:00Z".',
    };
  }
  return undefined;
}

export const conditionValues: FlagRule = {
  code: 'invalid-condition',
  severity: 'error',
  description: 'Semver conditions compare with a semantic version and date conditions with an ISO date.',
  check(flag, ctx) {
    for (const [env, definition] of Object.entries(flag.environments)) {
      (definition.rules ?? []).forEach((rule, r) => {
        (rule.when ?? []).forEach((condition, c) => {
          const problem = conditionProblem(condition);
          if (problem) ctx.report(['environments', env, 'rules', r, 'when', c, 'value'], problem.message, { hint: problem.hint });
        });
      });
    }
  },
};
