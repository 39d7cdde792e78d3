import type { Condition, Scalar } from '../../definition/model.js';
import type { EvaluationContext } from './result.js';
import { compareSemver, parseSemver } from './semver.js';

export type Test = (context: EvaluationContext) => boolean;

/** A context attribute as the scalars rules compare; arrays are kept (any element may match). */
const attributeOf = (context: EvaluationContext, name: string): unknown =>
  Object.hasOwn(context, name) ? context[name] : undefined;

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** eq/in compare numbers as numbers and everything else as text, so `plan: "3"` equals `value: 3`. */
function same(a: Scalar, b: Scalar): boolean {
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  return Number(a) === Number(b) && String(a).trim() !== '' && String(b).trim() !== '';
}

function toTime(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.length > 64) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(t) ? undefined : t;
}

const toNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** One element test for each operator; `undefined` when the condition cannot be compiled. */
function elementTest(condition: Condition): ((v: unknown) => boolean) | undefined {
  const { op, value } = condition;
  const values = condition.values ?? [];
  const text = typeof value === 'string' ? value : String(value ?? '');
  switch (op) {
    case 'eq':
    case 'neq':
      return isScalar(value) ? (v) => isScalar(v) && same(v, value) : undefined;
    case 'in':
    case 'not_in': {
      // A text attribute equals a text value exactly: a set answers that at once; only values of
      // other types (numbers, booleans) need same()'s conversions.
      const texts = new Set(values.filter((x): x is string => typeof x === 'string'));
      const others = values.filter((x) => typeof x !== 'string');
      return (v) => {
        if (typeof v === 'string') return texts.has(v) || (others.length > 0 && others.some((x) => same(v, x)));
        return isScalar(v) && values.some((x) => same(v, x));
      };
    }
    case 'contains':
      return (v) => typeof v === 'string' && v.includes(text);
    case 'starts_with':
      return (v) => typeof v === 'string' && v.startsWith(text);
    case 'ends_with':
      return (v) => typeof v === 'string' && v.endsWith(text);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const limit = toNumber(value);
      if (limit === undefined) return undefined;
      const cmp = { gt: (n: number) => n > limit, gte: (n: number) => n >= limit, lt: (n: number) => n < limit, lte: (n: number) => n <= limit }[op];
      return (v) => {
        const n = toNumber(v);
        return n !== undefined && cmp(n);
      };
    }
    case 'semver_eq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte': {
      const limit = parseSemver(text);
      if (!limit) return undefined;
      const ok = {
        semver_eq: (c: number) => c === 0,
        semver_gt: (c: number) => c > 0,
        semver_gte: (c: number) => c >= 0,
        semver_lt: (c: number) => c < 0,
        semver_lte: (c: number) => c <= 0,
      }[op];
      return (v) => {
        const version = typeof v === 'string' ? parseSemver(v) : undefined;
        return version !== undefined && ok(compareSemver(version, limit));
      };
    }
    case 'before':
    case 'after': {
      const limit = toTime(value);
      if (limit === undefined) return undefined;
      return op === 'before' ? (v) => (toTime(v) ?? Infinity) < limit : (v) => (toTime(v) ?? -Infinity) > limit;
    }
    default:
      return undefined;
  }
}

/**
 * A condition as a function of the context. A missing attribute fails every operator, negated ones
 * too: `plan neq free` does not match a context that says nothing about the plan. An array attribute
 * matches when any element does (for neq and not_in: when none does).
 */
export function compileCondition(condition: Condition): Test {
  const test = elementTest(condition);
  if (!test || typeof condition.attribute !== 'string') {
    throw new Error(`condition on "${String(condition.attribute)}" with operator "${String(condition.op)}" cannot be evaluated`);
  }
  const { attribute } = condition;
  const negated = condition.op === 'neq' || condition.op === 'not_in';
  return (context) => {
    const v = attributeOf(context, attribute);
    if (v === undefined || v === null) return false;
    const hit = Array.isArray(v) ? v.some(test) : test(v);
    return negated ? !hit : hit;
  };
}
