import type { JsonValue } from '../../definition/model.js';

/**
 * Why a value was served. The names are OpenFeature's resolution reasons: STATIC (one variant for
 * everyone, no rules to try), TARGETING_MATCH (a rule matched), SPLIT (a percentage, split or stage
 * bucketed the user), DISABLED (the flag is off here, or killed: its offVariant), DEFAULT (rules
 * were tried and none matched, so the flag's own serve; or offVariant without a way to bucket),
 * STALE (the store is away: last known good), ERROR (the caller's default; see errorCode), and
 * PREREQUISITE_FAILED (a flag this one requires does not serve the variant it needs: the offVariant;
 * OpenFeature reasons are open-ended, and LaunchDarkly's name for it is the same).
 */
export type Reason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'DEFAULT' | 'PREREQUISITE_FAILED' | 'STALE' | 'ERROR';

/** OpenFeature's error codes. */
export type ErrorCode = 'PROVIDER_NOT_READY' | 'FLAG_NOT_FOUND' | 'PARSE_ERROR' | 'TYPE_MISMATCH' | 'INVALID_CONTEXT' | 'GENERAL';

export interface EvaluationResult<T = JsonValue | undefined> {
  /** The served value; the caller default (undefined when none was given) on an error. */
  value: T;
  /** The variant served; absent when the caller's default was returned. */
  variant?: string;
  reason: Reason;
  errorCode?: ErrorCode;
  /** What went wrong, or why no bucketing was possible: for logs, never shown to end users. */
  message?: string;
  /** The name (or 1-based position, "#2") of the rule that matched. */
  rule?: string;
  /** An emergency override (flagops kill) decided this value. */
  override?: true;
  /** With PREREQUISITE_FAILED: the required flag that did not serve the variant this one needs. */
  prerequisite?: string;
}

/** What a flag decided for a context, before a caller's default is involved. Shared and frozen. */
export interface Resolution {
  readonly value: JsonValue;
  readonly variant: string;
  readonly reason: Reason;
  readonly rule?: string;
  readonly message?: string;
  readonly override?: true;
  readonly prerequisite?: string;
}

/** A context: the user id, the groups, any attributes rules look at. */
export interface EvaluationContext {
  userId?: string | number;
  groups?: readonly string[] | string;
  [attribute: string]: unknown;
}
