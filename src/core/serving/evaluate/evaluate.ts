import type { JsonValue } from '../../definition/model.js';
import { type Clock, isBroken } from './prepare.js';
import type { EvaluationContext, EvaluationResult, Reason } from './result.js';
import type { Snapshot } from './snapshot.js';

/** A JSON value's kind as a default and a served value must share it: null and array apart from object. */
export const jsonKind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Whether a served value may stand where the caller's default was: the same kind, or a null default
 * (the usual "no default" for structured flags) standing for an object or a list.
 */
export function fitsDefault(value: unknown, fallback: unknown): boolean {
  const kind = jsonKind(value);
  const expected = jsonKind(fallback);
  return kind === expected || (expected === 'null' && (kind === 'object' || kind === 'array'));
}

/**
 * One evaluation with the caller's default, as every reader reports it. `stale` marks a snapshot
 * served while its store is away (reason STALE). Never throws: a context whose attributes throw
 * when read, or anything else unexpected, is the caller's default with reason ERROR.
 */
export function evaluateFlag<T extends JsonValue>(
  snapshot: Snapshot | undefined,
  key: string,
  context: EvaluationContext | undefined,
  fallback: T,
  now: Clock,
  stale = false,
): EvaluationResult<T> {
  if (typeof key !== 'string') return { value: fallback, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', message: `flag keys are strings; got ${describeKey(key)}` };
  if (!snapshot) return { value: fallback, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', message: 'no flags loaded yet' };
  const flag = snapshot.flags.get(key);
  if (!flag) return { value: fallback, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', message: `flag ${key} not found in revision ${snapshot.revision}` };
  if (isBroken(flag)) return { value: fallback, reason: 'ERROR', errorCode: 'PARSE_ERROR', message: `flag "${key}" could not be read: ${flag.error}` };
  try {
    const r = flag.evaluate(context ?? {}, now);
    if (fallback !== undefined && !fitsDefault(r.value, fallback)) {
      return {
        value: fallback,
        variant: r.variant,
        reason: 'ERROR',
        errorCode: 'TYPE_MISMATCH',
        message: `flag "${key}" serves ${jsonKind(r.value)} values; the default is ${jsonKind(fallback)}`,
      };
    }
    const reason: Reason = stale ? 'STALE' : r.reason;
    return {
      value: r.value as T,
      variant: r.variant,
      reason,
      ...(r.rule !== undefined ? { rule: r.rule } : {}),
      ...(r.message !== undefined ? { message: r.message } : {}),
      ...(r.override ? { override: true as const } : {}),
      ...(r.prerequisite !== undefined ? { prerequisite: r.prerequisite } : {}),
    };
  } catch (error) {
    return { value: fallback, reason: 'ERROR', errorCode: 'GENERAL', message: `evaluating "${key}" failed: ${(error as Error)?.message ?? error}` };
  }
}

/** What a caller passed instead of a key, without converting it (a Symbol throws on conversion). */
const describeKey = (key: unknown) => (key === null ? 'null' : Array.isArray(key) ? 'an array' : `a ${typeof key}`);
