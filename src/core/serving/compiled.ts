import type { CompiledGuard } from '../definition/guard-thresholds.js';
import type { Condition, FlagType, JsonValue, Scalar } from '../definition/model.js';

/**
 * Version of the compiled format; readers refuse formats they do not know. Format 2 adds match trees
 * (segments, all / any / not) and prerequisites; format 3 adds guarded rollout stages, whose readers
 * must honour `_holds`. A store is written in the lowest format its flags need, so older readers keep
 * reading stores that use nothing newer.
 */
export const COMPILED_FORMAT = 3;
export const GUARDS_FORMAT = 3;
export const PREREQUISITES_FORMAT = 2;
export const BASE_FORMAT = 1;

/** Who gets what, normalised: every default filled in, splits as ordered pairs. */
export type CompiledServe =
  | { variant: string }
  | { percentage: number; variant: string; stickiness: string }
  | { split: Array<[variant: string, weight: number]>; stickiness: string }
  | { stages: CompiledStage[]; variant: string; stickiness: string };

/** From `at` on, `percentage` of users get the variant; a stage with guards begins only once they pass. */
export interface CompiledStage {
  at: string;
  percentage: number;
  guards?: CompiledGuard[];
}

/**
 * Who matches: every part given must hold (users, groups, each condition, every `all`, at least one
 * `any`, not `not`). `segment` only names the segment these conditions came from (for explanations
 * and reviews): segments are copied into each flag that uses them, so a flag's JSON is complete.
 */
export interface CompiledMatch {
  segment?: string;
  users?: string[];
  groups?: string[];
  when?: Condition[];
  all?: CompiledMatch[];
  any?: CompiledMatch[];
  not?: CompiledMatch;
}

export interface CompiledRule extends CompiledMatch {
  name?: string;
  serve: CompiledServe;
}

/** A flag that must serve `variant` (for the same context) before this one is evaluated. */
export interface CompiledRequirement {
  flag: string;
  variant: string;
}

/**
 * One flag as one environment sees it: what the SDK evaluates and what a store holds. Every default
 * is resolved, so a reader in any language needs no knowledge of the YAML format.
 */
export interface CompiledFlag {
  key: string;
  type: FlagType;
  enabled: boolean;
  variants: Record<string, JsonValue>;
  offVariant: string;
  salt: string;
  /** Present (format 2) when the flag has prerequisites; in order, the first unmet one decides. */
  requires?: CompiledRequirement[];
  rules: CompiledRule[];
  serve: CompiledServe;
  expires?: string;
  /** The flag file's metadata, for readers that return it (OpenFeature flag metadata). */
  metadata?: Record<string, Scalar>;
}
