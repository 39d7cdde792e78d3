import type { JsonValue } from '../model.js';
import { type Clock, isBroken } from './prepare.js';
import type { EvaluationContext, EvaluationResult, Reason } from './result.js';
import type { Snapshot } from './snapshot.js';

/** A JSON value's kind as a default and a served value must share it: null and array apart from object. */
export const jsonKind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

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
  if (!snapshot) return { value: fallback, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', message: 'no flags loaded yet' };
  const flag = snapshot.flags.get(key);
  if (!flag) return { value: fallback, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', message: `no flag "${key}" in revision ${snapshot.revision}` };
  if (isBroken(flag)) return { value: fallback, reason: 'ERROR', errorCode: 'PARSE_ERROR', message: `flag "${key}" could not be read: ${flag.error}` };
  try {
    const r = flag.evaluate(context ?? {}, now);
    if (fallback !== undefined && jsonKind(r.value) !== jsonKind(fallback)) {
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
    };
  } catch (error) {
    return { value: fallback, reason: 'ERROR', errorCode: 'GENERAL', message: `evaluating "${key}" failed: ${(error as Error)?.message ?? error}` };
  }
}
